package dev.piperpc.core;

/** The base of every exception piperpc throws or completes a call with. */
public class PiperpcException extends RuntimeException {
    /** An exception with a message. */
    public PiperpcException(String message) {
        super(message);
    }

    /** An exception with a message and a cause. */
    public PiperpcException(String message, Throwable cause) {
        super(message, cause);
    }
}
