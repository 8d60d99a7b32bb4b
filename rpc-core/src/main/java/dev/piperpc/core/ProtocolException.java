package dev.piperpc.core;

/**
 * The peer broke the protocol for this call: its response was malformed, or its result does not
 * fit the type the caller asked for.
 */
public final class ProtocolException extends PiperpcException {
    /** An exception with a message. */
    public ProtocolException(String message) {
        super(message);
    }

    /** An exception with a message and a cause. */
    public ProtocolException(String message, Throwable cause) {
        super(message, cause);
    }
}
