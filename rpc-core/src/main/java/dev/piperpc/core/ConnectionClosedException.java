package dev.piperpc.core;

/**
 * The connection to the peer closed (the endpoint was closed, the transport failed, or the worker
 * process exited) while the call was pending, or before it could be sent. The message names the
 * connection and, where known, why it closed; the cause carries the details.
 */
public final class ConnectionClosedException extends PiperpcException {
    /** An exception with a message. */
    public ConnectionClosedException(String message) {
        super(message);
    }

    /** An exception with a message and the reason the connection closed. */
    public ConnectionClosedException(String message, Throwable cause) {
        super(message, cause);
    }
}
