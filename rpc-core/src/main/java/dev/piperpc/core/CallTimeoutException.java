package dev.piperpc.core;

/** A call got no response within its timeout, or a bounded wait for it ran out. */
public final class CallTimeoutException extends PiperpcException {
    /** An exception with a message. */
    public CallTimeoutException(String message) {
        super(message);
    }
}
