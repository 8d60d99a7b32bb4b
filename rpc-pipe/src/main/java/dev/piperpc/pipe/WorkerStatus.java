package dev.piperpc.pipe;

/**
 * A snapshot of one worker slot of a {@link WorkerPool}.
 *
 * @param name     the worker's name
 * @param pid      the process id of the current process, or -1 while it is being restarted
 * @param alive    whether a process is running in the slot
 * @param inFlight calls sent to it and not yet ended
 * @param restarts how many times the slot's process was restarted
 */
public record WorkerStatus(String name, long pid, boolean alive, int inFlight, int restarts) {
}
