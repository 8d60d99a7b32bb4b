package dev.piperpc.core;

/** A call got no response within its timeout: the call has ended. (A bounded {@code join} that runs out throws {@link JoinTimeoutException}.) */
public final class CallTimeoutException extends PiperpcException {
    /** An exception with a message. */
    public CallTimeoutException(String message) {
        super(message);
    }
}
