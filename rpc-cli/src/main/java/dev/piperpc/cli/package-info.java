/**
 * The {@code piperpc} command line tool: {@code call}, {@code send}, {@code serve}, {@code bridge},
 * {@code queue}; picocli reads the command line ({@link dev.piperpc.cli.Main}). The printer of
 * {@code send} runs on one thread of its own, in arrival order.
 */
package dev.piperpc.cli;
