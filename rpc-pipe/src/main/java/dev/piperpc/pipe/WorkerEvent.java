package dev.piperpc.pipe;

import java.time.Duration;

/**
 * Something that happened to a worker of a {@link WorkerPool}.
 *
 * @param kind         what happened
 * @param worker       the worker's name
 * @param pid          its process id, or -1 if it has none (a failed start)
 * @param exit         how it exited, for {@link Kind#EXITED}; else {@code null}
 * @param restartDelay when it will be started again, for {@link Kind#EXITED} and {@link Kind#START_FAILED}
 *                     in a pool that is not closing; else {@code null}
 * @param reason       a one-line description
 */
public record WorkerEvent(Kind kind, String worker, long pid, WorkerExit exit, Duration restartDelay, String reason) {

    /** What happened. */
    public enum Kind {
        /** The worker process started. */
        STARTED,
        /** The worker process exited. */
        EXITED,
        /** A restart of the worker failed. */
        START_FAILED,
        /** The worker crashed (or failed to start) too many times in a row: it is not restarted again. */
        GAVE_UP,
        /**
         * The worker stayed silent and did not answer the health check's probe in time: it is
         * killed, and restarted like a worker that crashed.
         */
        UNRESPONSIVE
    }
}
