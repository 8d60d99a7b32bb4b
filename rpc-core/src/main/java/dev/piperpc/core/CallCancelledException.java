package dev.piperpc.core;

/** A call was cancelled by the caller before its response arrived. */
public final class CallCancelledException extends PiperpcException {
    /** An exception with a message. */
    public CallCancelledException(String message) {
        super(message);
    }
}
