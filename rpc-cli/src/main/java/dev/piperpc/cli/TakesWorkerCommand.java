package dev.piperpc.cli;

/**
 * Marks a command that runs a worker command given after {@code --}; any other command refuses
 * one as bad usage.
 */
interface TakesWorkerCommand {
}
