package dev.piperpc.core.listen;

import dev.piperpc.core.message.Id;

/**
 * Hears what an endpoint does, call by call, for metrics: the calls it sends (each started once
 * and ended once, with how it ended and how long it took), the notifications it sends, the
 * requests and notifications of the peer that its handlers handle, and the size of the JSON
 * texts it writes and reads. Every method does nothing unless overridden, so a listener picks
 * the events it wants.
 *
 * <pre>{@code
 * Endpoint.Builder builder = Endpoint.builder().callListener(new CallListener() {
 *     public void callEnded(String connection, String method, Id id, CallOutcome outcome, long durationNanos) {
 *         latencies.record(method, outcome.kind(), durationNanos);
 *     }
 * });
 * }</pre>
 *
 * <p><b>Threads.</b> Methods run on whichever thread the event happens on, most often the
 * transport's I/O thread (the one reactor thread that serves every worker of the JVM): they must
 * be quick and must never block, nor call back into the endpoint and wait. Record into counters
 * and hand anything slow to another thread. A method that throws is logged (at most a few lines a
 * second) and otherwise ignored: the call goes on as if the listener were not there. One listener
 * may serve many connections at once, so its methods must be thread-safe.
 *
 * <p><b>Order.</b> {@link #callStarted} comes before {@link #callEnded} for the same call, and
 * {@link #callEnded} runs before the caller sees the call end ({@code join()} returns, callbacks
 * run), so once a call is seen done its end has been counted. {@link #requestEnded} runs once the
 * answer to that request has been handed to the transport (at once when none is sent). Calls are
 * told apart by connection and id.
 *
 * <p><b>Cost.</b> An endpoint without a listener does none of this work. Method names are what
 * the calls and handlers name: requests for a method with no handler (answered -32601) are not
 * reported, so a peer cannot make up names.
 */
public interface CallListener {

    /**
     * An outbound call was made: it ends, exactly once, with {@link #callEnded}. A call refused
     * for backpressure starts and ends too (with {@link CallOutcome.Kind#REFUSED}).
     *
     * @param connection the name of the connection (its transport's name, such as a worker's)
     * @param method     the method called
     * @param id         the call's request id
     */
    default void callStarted(String connection, String method, Id id) {
    }

    /**
     * An outbound call ended: a result, an error object, or a local end (timeout, cancellation,
     * closed connection, backpressure, another failure).
     *
     * @param durationNanos from {@link #callStarted} to this end, in nanoseconds
     */
    default void callEnded(String connection, String method, Id id, CallOutcome outcome, long durationNanos) {
    }

    /**
     * A notification was sent (handed to the transport), the cancellations the endpoint sends for
     * timed-out and cancelled calls included.
     */
    default void notificationSent(String connection, String method) {
    }

    /**
     * A request (or, with {@code id} {@code null}, a notification) of the peer arrived for a
     * handler of this endpoint: it ends, exactly once, with {@link #requestEnded}. The time until
     * then includes any wait for a thread to run the handler.
     *
     * @param id the request id, or {@code null} for a notification
     */
    default void requestStarted(String connection, String method, Id id) {
    }

    /**
     * A request (or notification) of the peer was handled: answered with a result or an error
     * object, cancelled by the peer ({@link CallOutcome.Kind#CANCELLED}), or abandoned because the
     * connection closed ({@link CallOutcome.Kind#CONNECTION_CLOSED}). A notification's handler
     * that returns ends it with {@link CallOutcome#RESULT}; one that throws, with
     * {@link CallOutcome.Kind#ERROR}.
     *
     * @param id            the request id, or {@code null} for a notification
     * @param durationNanos from {@link #requestStarted} to this end, in nanoseconds
     */
    default void requestEnded(String connection, String method, Id id, CallOutcome outcome, long durationNanos) {
    }

    /**
     * A JSON text of {@code bytes} bytes (UTF-8, framing not counted) was handed to the transport.
     *
     * @param method the method of the request or notification, or of the request a response
     *               answers; {@code null} when there is no one method (a batch, an answer to a
     *               text that was not a valid request)
     */
    default void bytesSent(String connection, String method, int bytes) {
    }

    /**
     * A JSON text of {@code bytes} bytes (UTF-8, framing not counted) arrived from the peer.
     *
     * @param method the method of the request or notification, or of the pending call a response
     *               answers; {@code null} when there is no one method (a batch, a response to no
     *               pending call, a request for a method with no handler, a text that is not
     *               valid JSON-RPC)
     */
    default void bytesReceived(String connection, String method, int bytes) {
    }
}
