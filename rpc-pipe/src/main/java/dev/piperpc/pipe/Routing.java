package dev.piperpc.pipe;

/** How a {@link WorkerPool} picks the worker for each call. */
public enum Routing {
    /** The live worker with the fewest calls in flight. */
    LEAST_IN_FLIGHT,
    /** Live workers in turn, skipping those at their bound. */
    ROUND_ROBIN
}
