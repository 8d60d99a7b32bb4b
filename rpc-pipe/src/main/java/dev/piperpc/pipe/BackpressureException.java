package dev.piperpc.pipe;

import dev.piperpc.core.PiperpcException;

/**
 * A message could not be queued because the worker is not keeping up: too many bytes already wait
 * for its stdin, or (in a pool) every worker has as many calls in flight as allowed for longer than
 * the pool waits.
 */
public final class BackpressureException extends PiperpcException {
    /** An exception with a message. */
    public BackpressureException(String message) {
        super(message);
    }
}
