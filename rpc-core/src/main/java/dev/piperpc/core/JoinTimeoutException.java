package dev.piperpc.core;

/**
 * {@link Call#join(java.time.Duration)} ran out of time while the call was still pending. Unlike
 * {@link CallTimeoutException}, which ends a call, this ends only the wait: the call goes on and can
 * be joined again, cancelled, or left to its own timeout.
 */
public final class JoinTimeoutException extends PiperpcException {
    /** An exception with a message. */
    public JoinTimeoutException(String message) {
        super(message);
    }
}
