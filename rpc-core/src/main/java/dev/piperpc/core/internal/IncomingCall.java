package dev.piperpc.core.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.piperpc.core.Dialect;
import dev.piperpc.core.Rpc;
import dev.piperpc.core.RequestContext;
import dev.piperpc.core.RequestHandler;
import dev.piperpc.core.RpcException;
import dev.piperpc.core.listen.CallOutcome;
import dev.piperpc.core.message.ErrorCodes;
import dev.piperpc.core.message.ErrorObject;
import dev.piperpc.core.message.Id;
import dev.piperpc.core.message.RawJson;
import dev.piperpc.core.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One incoming request or notification while it is handled: runs the handler, answers exactly once
 * (result, error, or -32800 when cancelled), and interrupts the handler's thread on cancellation.
 * With a {@link CallReporter}, it reports its start when made and its end once, right after it is
 * answered (a notification: once its handler is done); {@code answered} guards both.
 */
public final class IncomingCall implements RequestContext {

    private static final Logger log = LoggerFactory.getLogger(IncomingCall.class);
    private static final ThreadLocal<IncomingCall> CURRENT = new ThreadLocal<>();

    private final Rpc endpoint;
    private final ObjectMapper mapper;
    private final Dialect dialect;
    private final Id id;
    private final String method;
    private final RawJson params;
    private final Answerer answerer;
    private final CallReporter reporter;
    private final long startNanos;
    /** Set by whoever answers a request (or, with a reporter, ends a notification), once. */
    private final AtomicBoolean answered = new AtomicBoolean();
    private volatile boolean cancelled;
    private Thread runner;
    private Future<?> asyncResult;

    /**
     * A call to be handled.
     *
     * @param dialect   the connection's dialect
     * @param id        the request id, or {@code null} for a notification
     * @param answerer  where the answer goes (unused for notifications)
     * @param reporter  told of the call's start (now) and end, or {@code null}
     */
    public IncomingCall(Rpc endpoint, ObjectMapper mapper, Dialect dialect, Id id, String method, RawJson params,
                        Answerer answerer, CallReporter reporter) {
        this.endpoint = endpoint;
        this.mapper = mapper;
        this.dialect = dialect;
        this.id = id;
        this.method = method;
        this.params = params;
        this.answerer = answerer;
        this.reporter = reporter;
        this.startNanos = reporter == null ? 0 : reporter.requestStarted(method, id);
    }

    /** The call being handled on this thread, or {@code null}. */
    public static IncomingCall current() {
        return CURRENT.get();
    }

    /** Runs {@code handler} on the current thread and answers with what it returns or throws. */
    public void run(RequestHandler handler) {
        Object result;
        synchronized (this) {
            if (cancelled) {
                return;
            }
            runner = Thread.currentThread();
        }
        IncomingCall outer = CURRENT.get();
        CURRENT.set(this);
        try {
            result = handler.handle(this);
        } catch (Throwable error) {
            finishRunning();
            fail(error);
            return;
        } finally {
            CURRENT.set(outer);
        }
        finishRunning();
        if (result instanceof CompletionStage<?> stage) {
            synchronized (this) {
                asyncResult = stage.toCompletableFuture();
            }
            if (cancelled) {
                asyncResult.cancel(true);
            }
            stage.whenComplete((value, error) -> {
                if (error != null) {
                    fail(error);
                } else {
                    succeed(value);
                }
            });
        } else {
            succeed(result);
        }
    }

    private void finishRunning() {
        synchronized (this) {
            runner = null;
            // Clears an interrupt meant for the handler, so it does not leak to the next task of this thread.
            Thread.interrupted();
        }
    }

    private void succeed(Object value) {
        if (id == null) {
            endNotification(CallOutcome.RESULT);
            return;
        }
        if (cancelled) {
            // A cancelled call is answered by the cancellation (-32800), whatever the handler did after it.
            return;
        }
        if (value instanceof RawJson raw) {
            answer(Response.success(id, raw));
            return;
        }
        if (!answered.compareAndSet(false, true)) {
            return;
        }
        CallOutcome outcome = null;
        try {
            answerer.answerValue(id, value, mapper);
            outcome = CallOutcome.RESULT;
        } catch (IllegalArgumentException e) {
            Response failure = Response.failure(id, new ErrorObject(ErrorCodes.INTERNAL_ERROR,
                    ErrorCodes.standardMessage(ErrorCodes.INTERNAL_ERROR), RawJson.ofString("the result of '" + method + "' cannot be serialized: " + e.getMessage())));
            outcome = CallOutcome.error(failure.error());
            answerer.answer(failure);
        } finally {
            if (reporter != null) {
                reporter.requestEnded(method, id, outcome != null ? outcome
                        : CallOutcome.failure(CallOutcome.Kind.FAILED, "the answer to '" + method + "' could not be sent"), startNanos);
            }
        }
    }

    private void fail(Throwable error) {
        Throwable cause = ErrorMapping.unwrap(error);
        if (id == null) {
            log.warn("notification handler for '{}' failed", method, cause);
            if (reporter != null) {
                endNotification(CallOutcome.error(ErrorMapping.toError(cause, mapper)));
            }
            return;
        }
        if (cause instanceof Error fatal && !(cause instanceof AssertionError)) {
            answer(Response.failure(id, new ErrorObject(ErrorCodes.INTERNAL_ERROR,
                    ErrorCodes.standardMessage(ErrorCodes.INTERNAL_ERROR), RawJson.ofString(fatal.toString()))));
            throw fatal;
        }
        if (cancelled) {
            // Typically the interrupt the cancellation caused: the cancellation answers (-32800).
            return;
        }
        if (!(cause instanceof RpcException)) {
            log.debug("handler for '{}' threw", method, cause);
        }
        answer(Response.failure(id, ErrorMapping.toError(cause, mapper)));
    }

    /** Sends {@code response} unless this call was already answered. */
    public void answer(Response response) {
        if (answered.compareAndSet(false, true)) {
            try {
                answerer.answer(response);
            } finally {
                reportAnswered(response);
            }
        }
    }

    /** Reports the end of a request answered with {@code response}. */
    private void reportAnswered(Response response) {
        if (reporter == null) {
            return;
        }
        CallOutcome outcome;
        if (!response.isError()) {
            outcome = CallOutcome.RESULT;
        } else if (cancelled && response.error().code() == ErrorCodes.REQUEST_CANCELLED) {
            outcome = CallOutcome.failure(CallOutcome.Kind.CANCELLED, response.error().message());
        } else {
            outcome = CallOutcome.error(response.error());
        }
        reporter.requestEnded(method, id, outcome, startNanos);
    }

    /** Reports the end of a notification, once; only with a reporter. */
    private void endNotification(CallOutcome outcome) {
        if (reporter != null && answered.compareAndSet(false, true)) {
            reporter.requestEnded(method, null, outcome, startNanos);
        }
    }

    /** The handler could not be run at all (the executor refused it): answers -32603 saying why. */
    public void refuse(String reason) {
        if (id == null) {
            log.warn("notification '{}' was not handled: {}", method, reason);
            if (reporter != null) {
                endNotification(CallOutcome.error(new ErrorObject(ErrorCodes.INTERNAL_ERROR, reason, null)));
            }
            return;
        }
        answer(Response.failure(id, new ErrorObject(ErrorCodes.INTERNAL_ERROR, ErrorCodes.standardMessage(ErrorCodes.INTERNAL_ERROR),
                RawJson.ofString(reason))));
    }

    /** Cancels the call: answers -32800 at once and interrupts the handler if it is running. */
    public void cancel() {
        stop(true);
    }

    /**
     * Cancels the call without answering it, as MCP asks: interrupts the handler if it is running,
     * and whatever it does after that is not sent (see {@link Answerer#withhold}).
     */
    public void cancelUnanswered() {
        if (stop(false) && id != null && answered.compareAndSet(false, true)) {
            try {
                answerer.withhold(cancelledResponse());
            } finally {
                if (reporter != null) {
                    reporter.requestEnded(method, id, CallOutcome.failure(CallOutcome.Kind.CANCELLED,
                            "'" + method + "' was cancelled by the caller"), startNanos);
                }
            }
        }
    }

    /** Stops the call without answering it, because the connection is gone. */
    public void abort() {
        boolean unanswered = answered.compareAndSet(false, true);
        stop(false);
        if (unanswered && reporter != null) {
            reporter.requestEnded(method, id, CallOutcome.failure(CallOutcome.Kind.CONNECTION_CLOSED,
                    "the connection closed before '" + method + "' was answered"), startNanos);
        }
    }

    /** @return whether this stopped the call (it had not been stopped before) */
    private boolean stop(boolean answerCancelled) {
        Future<?> pending;
        synchronized (this) {
            if (cancelled) {
                return false;
            }
            cancelled = true;
            if (runner != null) {
                runner.interrupt();
            }
            pending = asyncResult;
        }
        if (pending != null) {
            pending.cancel(true);
        }
        if (id != null && answerCancelled) {
            answer(cancelledResponse());
        }
        return true;
    }

    private Response cancelledResponse() {
        return Response.failure(id, ErrorObject.of(ErrorCodes.REQUEST_CANCELLED, "'" + method + "' was cancelled by the caller"));
    }

    @Override
    public String method() {
        return method;
    }

    @Override
    public Id id() {
        return id;
    }

    @Override
    public RawJson params() {
        return params;
    }

    @Override
    public <T> T params(Class<T> type) {
        if (params == null) {
            throw new RpcException(ErrorCodes.INVALID_PARAMS, ErrorCodes.standardMessage(ErrorCodes.INVALID_PARAMS),
                    RawJson.ofString("params are missing"));
        }
        try {
            return params.bind(mapper, type);
        } catch (IOException e) {
            throw new RpcException(ErrorCodes.INVALID_PARAMS, ErrorCodes.standardMessage(ErrorCodes.INVALID_PARAMS),
                    RawJson.ofString("params do not fit " + type.getSimpleName() + ": " + e.getMessage()));
        }
    }

    @Override
    public boolean isCancelled() {
        return cancelled;
    }

    @Override
    public Dialect dialect() {
        return dialect;
    }

    @Override
    public Rpc endpoint() {
        return endpoint;
    }
}
