package dev.piperpc.pipe;

import dev.piperpc.core.PiperpcException;

/** A worker process could not be started (no such program, no permission, no pipes). */
public final class WorkerStartException extends PiperpcException {
    /** An exception with a message and a cause. */
    public WorkerStartException(String message, Throwable cause) {
        super(message, cause);
    }
}
