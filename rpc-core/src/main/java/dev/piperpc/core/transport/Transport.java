package dev.piperpc.core.transport;

import dev.piperpc.core.framing.FrameHandler;
import dev.piperpc.core.framing.FramingException;

/**
 * A duplex connection that carries whole JSON texts: the service provider interface between an
 * {@code Endpoint} and what moves its bytes (an in-memory pair, a worker's pipes, a queue).
 * A transport does its own framing.
 */
public interface Transport extends AutoCloseable {

    /**
     * Starts delivering incoming messages to {@code listener}. Called once.
     *
     * @throws dev.piperpc.core.ConnectionClosedException if the transport cannot be opened
     */
    void start(Listener listener);

    /**
     * Queues one JSON text for sending. Thread-safe; never blocks on the peer.
     *
     * @throws dev.piperpc.core.ConnectionClosedException if the transport is closed
     */
    void send(byte[] json);

    /** Closes the connection; idempotent. The listener's {@link Listener#onClosed} follows. */
    @Override
    void close();

    /** A short name for messages and logs, such as {@code worker-3 (python3 worker.py)}. */
    String name();

    /**
     * Receives what a transport delivers. Its methods are called from the transport's I/O thread,
     * one at a time, and must neither block nor run user code.
     */
    interface Listener {
        /** One whole incoming JSON text; the array is handed over to the listener. */
        void onMessage(byte[] json);

        /** Bytes that could not be framed (garbage, an oversized frame); the connection goes on. */
        void onError(Exception error);

        /** The connection closed; called exactly once, last. {@code cause} is {@code null} for an orderly close. */
        void onClosed(Throwable cause);

        /** A frame handler that hands frames and framing errors to this listener. */
        default FrameHandler frameHandler() {
            Listener listener = this;
            return new FrameHandler() {
                @Override
                public void onFrame(byte[] frame) {
                    listener.onMessage(frame);
                }

                @Override
                public void onError(FramingException error) {
                    listener.onError(error);
                }
            };
        }
    }
}
