package dev.piperpc.core.transport;

import dev.piperpc.core.framing.FrameHandler;
import dev.piperpc.core.framing.FramingException;

import java.util.function.Consumer;

/**
 * A duplex connection that carries whole JSON texts: the service provider interface between an
 * {@code Endpoint} and what moves its bytes (an in-memory pair, a worker's pipes, a queue).
 * A transport does its own framing.
 *
 * <h2>Backpressure</h2>
 * Both directions are bounded, and this interface is the one place that says how:
 * <ul>
 *   <li><b>Outbound.</b> {@link #send} queues our own requests and notifications; when the queue
 *       holds as much as the transport's bound it throws
 *       {@link dev.piperpc.core.BackpressureException} and queues nothing. {@link #sendControl}
 *       queues responses and cancellations past that bound, since their number is bounded by the
 *       calls in progress; a transport may still refuse them beyond a hard limit of its own.
 *       {@link #isWritable()} tells whether the queue is below its low-water mark. A transport
 *       whose callers are threads of its own process rather than user threads (a worker's
 *       stdio) may instead make a caller other than its I/O thread wait for room; it says so.</li>
 *   <li><b>Inbound.</b> {@link #setReading setReading(false)} asks the transport to stop reading
 *       from the peer (the peer then blocks on its own writes: it slows itself down and nobody
 *       else); {@code setReading(true)} resumes. Messages already read when reading pauses may
 *       still be delivered.</li>
 * </ul>
 */
public interface Transport extends AutoCloseable {

    /**
     * Starts delivering incoming messages to {@code listener}. Called once.
     *
     * @throws dev.piperpc.core.ConnectionClosedException if the transport cannot be opened
     */
    void start(Listener listener);

    /**
     * Queues one JSON text (a request or notification of ours) for sending. Thread-safe; never
     * blocks the I/O thread on the peer.
     *
     * @throws dev.piperpc.core.BackpressureException if the outbound queue is at its bound; nothing was queued
     * @throws dev.piperpc.core.ConnectionClosedException if the transport is closed
     */
    void send(byte[] json);

    /**
     * Queues one JSON text that holds calls of ours (a request, or a batch with requests) as
     * {@link #send(byte[])} does, with what only the endpoint knows about it:
     * {@code deadlineNanos}, when the last of its calls stops waiting (in {@link System#nanoTime()}
     * terms), which a transport may pass on to the peer; and {@code notSent}, which the transport calls, at most
     * once and from any thread, when a text it had queued could not be delivered after all, so
     * that its calls end with that error instead of waiting for their timeout. The default ignores
     * both and calls {@link #send(byte[])}.
     *
     * @throws dev.piperpc.core.BackpressureException if the outbound queue is at its bound; nothing was queued
     * @throws dev.piperpc.core.ConnectionClosedException if the transport is closed
     */
    default void send(byte[] json, long deadlineNanos, Consumer<RuntimeException> notSent) {
        send(json);
    }

    /**
     * Queues one response or cancellation, even when the outbound queue is at the bound that
     * {@link #send} keeps. Thread-safe; never blocks the I/O thread on the peer.
     *
     * @throws dev.piperpc.core.BackpressureException if the transport's hard limit (far above the
     *                                                bound of {@code send}) is reached; nothing was queued
     * @throws dev.piperpc.core.ConnectionClosedException if the transport is closed
     */
    void sendControl(byte[] json);

    /** Whether the outbound queue is below its low-water mark (a transport without a bound is always writable). */
    boolean isWritable();

    /**
     * Stops ({@code false}) or resumes ({@code true}) reading from the peer. Any thread;
     * idempotent; the last call wins. A transport starts reading.
     */
    void setReading(boolean reading);

    /**
     * Lets the calling thread, which waits for a response, read this connection itself until
     * {@code caller} is done, instead of being woken by the transport's I/O thread: one thread
     * switch per round trip instead of two. While it reads, the thread is the connection's I/O
     * thread: it delivers every incoming message to the listener, one at a time with the I/O
     * thread's own deliveries. It stops early when it must (its deadline, an interrupt, reading
     * paused, the end of the input, the I/O thread asking for the connection back) and then
     * returns, its call maybe still pending; the caller then waits as usual. Never called on the
     * I/O thread. Optional: the default reads nothing and returns {@code false}.
     *
     * @return whether the thread read; {@code false} if this transport cannot lend its reading now
     */
    default boolean readWhileWaiting(WaitingCaller caller) {
        return false;
    }

    /**
     * Wakes the thread reading in {@link #readWhileWaiting} so that it looks at its
     * {@link WaitingCaller} again (what it waits for ended on another thread). Any thread; the
     * default does nothing.
     */
    default void wakeWaitingReader() {
    }

    /** What a thread reading in {@link #readWhileWaiting} waits for. */
    interface WaitingCaller {
        /** Whether what the thread waits for has ended: it may stop reading. */
        boolean isDone();

        /** Whether responses for other threads are awaited on the connection: someone must go on reading. */
        boolean othersAwaited();

        /** When the thread stops reading at the latest, in {@link System#nanoTime()} terms. */
        long deadlineNanos();
    }

    /** Closes the connection; idempotent. The listener's {@link Listener#onClosed} follows. */
    @Override
    void close();

    /** A short name for messages and logs, such as {@code worker-3 (python3 worker.py)}. */
    String name();

    /**
     * Receives what a transport delivers. Its methods are called from the transport's I/O thread
     * (or a thread lent the reading, see {@link #readWhileWaiting}), one at a time, and must
     * neither block nor run user code.
     */
    interface Listener {
        /** One whole incoming JSON text; the array is handed over to the listener. */
        void onMessage(byte[] json);

        /**
         * The text left when the input ended without a delimiter: a last message, or one cut short
         * by the end of the stream. By default a message.
         */
        default void onLastMessage(byte[] json) {
            onMessage(json);
        }

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
                public void onLastFrame(byte[] frame) {
                    listener.onLastMessage(frame);
                }

                @Override
                public void onError(FramingException error) {
                    listener.onError(error);
                }
            };
        }
    }
}
