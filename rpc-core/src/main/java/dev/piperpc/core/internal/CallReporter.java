package dev.piperpc.core.internal;

import dev.piperpc.core.BackpressureException;
import dev.piperpc.core.CallCancelledException;
import dev.piperpc.core.CallTimeoutException;
import dev.piperpc.core.ConnectionClosedException;
import dev.piperpc.core.PiperpcException;
import dev.piperpc.core.RpcException;
import dev.piperpc.core.listen.CallListener;
import dev.piperpc.core.listen.CallOutcome;
import dev.piperpc.core.message.Id;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells one connection's {@link CallListener}s what happens on it, and keeps them from harming
 * it: what a listener throws is caught and logged (a few lines a second for the whole JVM, the
 * rest counted) and the call goes on. An endpoint without listeners has no reporter at all, so
 * its hot path pays one null check. Any thread.
 */
public final class CallReporter {

    private static final Logger log = LoggerFactory.getLogger(CallListener.class);
    private static final LogLimiter FAILURES = new LogLimiter();

    private final String connection;
    private final CallListener[] listeners;

    private CallReporter(String connection, CallListener[] listeners) {
        this.connection = connection;
        this.listeners = listeners;
    }

    /**
     * A reporter to {@code own} (the endpoint builder's listener) and {@code added} (one its owner,
     * such as a pool, adds) for the connection named {@code connection}; either may be
     * {@code null}, and {@code null} is returned when both are.
     */
    public static CallReporter of(String connection, CallListener own, CallListener added) {
        if (own == null && added == null) {
            return null;
        }
        CallListener[] listeners = own == null ? new CallListener[] {added}
                : added == null || added == own ? new CallListener[] {own} : new CallListener[] {own, added};
        return new CallReporter(connection, listeners);
    }

    /**
     * {@code call} was made: tells the listeners, and has its end told on the thread that ends it,
     * before its outcome becomes visible. Call before the call can be seen by another thread, or
     * for a call that may have ended already (its end is then told at once).
     */
    public void callStarted(PendingCall<?> call) {
        long start = System.nanoTime();
        String method = call.method();
        Id id = call.id();
        for (CallListener listener : listeners) {
            try {
                listener.callStarted(connection, method, id);
            } catch (RuntimeException | Error e) {
                failed("callStarted", e);
            }
        }
        call.onEnding(() -> callEnded(method, id, outcomeOf(call.endingWith()), System.nanoTime() - start));
    }

    private void callEnded(String method, Id id, CallOutcome outcome, long durationNanos) {
        for (CallListener listener : listeners) {
            try {
                listener.callEnded(connection, method, id, outcome, durationNanos);
            } catch (RuntimeException | Error e) {
                failed("callEnded", e);
            }
        }
    }

    /** A notification was handed to the transport (its bytes are told apart, by {@link #bytesSent}). */
    public void notificationSent(String method) {
        for (CallListener listener : listeners) {
            try {
                listener.notificationSent(connection, method);
            } catch (RuntimeException | Error e) {
                failed("notificationSent", e);
            }
        }
    }

    /** A text of {@code bytes} bytes was handed to the transport; {@code method} may be {@code null}. */
    public void bytesSent(String method, int bytes) {
        for (CallListener listener : listeners) {
            try {
                listener.bytesSent(connection, method, bytes);
            } catch (RuntimeException | Error e) {
                failed("bytesSent", e);
            }
        }
    }

    /** A text of {@code bytes} bytes arrived; {@code method} may be {@code null}. */
    public void bytesReceived(String method, int bytes) {
        for (CallListener listener : listeners) {
            try {
                listener.bytesReceived(connection, method, bytes);
            } catch (RuntimeException | Error e) {
                failed("bytesReceived", e);
            }
        }
    }

    /**
     * A request ({@code id} {@code null}: a notification) of the peer arrived for a handler.
     *
     * @return when, for {@link #requestEnded}
     */
    public long requestStarted(String method, Id id) {
        long start = System.nanoTime();
        for (CallListener listener : listeners) {
            try {
                listener.requestStarted(connection, method, id);
            } catch (RuntimeException | Error e) {
                failed("requestStarted", e);
            }
        }
        return start;
    }

    /** The request that {@link #requestStarted} reported at {@code start} ended with {@code outcome}. */
    public void requestEnded(String method, Id id, CallOutcome outcome, long start) {
        long durationNanos = System.nanoTime() - start;
        for (CallListener listener : listeners) {
            try {
                listener.requestEnded(connection, method, id, outcome, durationNanos);
            } catch (RuntimeException | Error e) {
                failed("requestEnded", e);
            }
        }
    }

    /** The outcome of a call that ends with {@code ended}: a result, or the error its caller sees. */
    static CallOutcome outcomeOf(Object ended) {
        if (!(ended instanceof PiperpcException error)) {
            return CallOutcome.RESULT;
        }
        if (error instanceof RpcException rpc) {
            return CallOutcome.error(rpc.error());
        }
        CallOutcome.Kind kind = error instanceof CallTimeoutException ? CallOutcome.Kind.TIMEOUT
                : error instanceof CallCancelledException ? CallOutcome.Kind.CANCELLED
                : error instanceof ConnectionClosedException ? CallOutcome.Kind.CONNECTION_CLOSED
                : error instanceof BackpressureException ? CallOutcome.Kind.REFUSED
                : CallOutcome.Kind.FAILED;
        return CallOutcome.failure(kind, error.getMessage());
    }

    private void failed(String event, Throwable error) {
        long left = FAILURES.admit();
        if (left < 0) {
            return;
        }
        log.warn("a call listener threw in {} on {}; the call goes on{}", event, connection,
                left > 0 ? " (" + left + " similar failures left out)" : "", error);
    }
}
