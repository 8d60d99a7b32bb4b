package dev.piperpc.core;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.piperpc.core.codec.MessageReader;
import dev.piperpc.core.internal.Answerer;
import dev.piperpc.core.internal.CallReporter;
import dev.piperpc.core.internal.InboundQueue;
import dev.piperpc.core.internal.IncomingCall;
import dev.piperpc.core.internal.RunningCalls;
import dev.piperpc.core.message.ErrorCodes;
import dev.piperpc.core.message.ErrorObject;
import dev.piperpc.core.message.Id;
import dev.piperpc.core.message.Message;
import dev.piperpc.core.message.Notification;
import dev.piperpc.core.message.RawJson;
import dev.piperpc.core.message.Request;
import dev.piperpc.core.message.Response;
import dev.piperpc.core.transport.Transport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.function.Consumer;

/**
 * The peer's requests and notifications on their way to the handlers of an {@link Endpoint}: each
 * is matched with the handler for its method, a request is registered as running until it is
 * answered (so a cancellation that follows finds it), the peer's cancellations stop the requests
 * they name, and answers go back through {@link PeerAnswers}. Requests are prepared on the
 * transport's I/O thread, in arrival order; handlers run on the executor.
 */
final class PeerRequests {

    private static final Logger log = LoggerFactory.getLogger(Endpoint.class);

    private final Transport transport;
    private final Rpc self;
    private final ObjectMapper mapper;
    private final MessageReader reader;
    private final Map<String, RequestHandler> handlers;
    private final RequestHandler fallbackHandler;
    private final Dialect dialect;
    private final CallReporter reporter;
    private final PeerAnswers answers;
    private final RunningCalls<IncomingCall> running = new RunningCalls<>(IncomingCall::id);

    /**
     * The requests {@code self} receives over {@code transport}: handled by {@code handlers} (by
     * method) or else by {@code fallbackHandler} (or {@code null}), reporting in {@code dialect},
     * their params read by {@code reader} and {@code mapper}, answered through {@code answers};
     * {@code reporter} (or {@code null}) hears of the requests handled.
     */
    PeerRequests(Transport transport, Rpc self, ObjectMapper mapper, MessageReader reader, Map<String, RequestHandler> handlers,
                 RequestHandler fallbackHandler, Dialect dialect, CallReporter reporter, PeerAnswers answers) {
        this.transport = transport;
        this.self = self;
        this.mapper = mapper;
        this.reader = reader;
        this.handlers = handlers;
        this.fallbackHandler = fallbackHandler;
        this.dialect = dialect;
        this.reporter = reporter;
        this.answers = answers;
    }

    /** Whether a request or notification for {@code method} has a handler. */
    boolean handles(String method) {
        return fallbackHandler != null || handlers.containsKey(method);
    }

    /** Stops every request still running or waiting, without answering: the connection is gone. */
    void abortAll() {
        running.forEach(IncomingCall::abort);
    }

    /** The peer's requests running or waiting to run. */
    int running() {
        return running.size();
    }

    /**
     * Prepares one incoming request or notification, in arrival order: cancellations take effect
     * here, and a request is registered (so a cancellation that follows finds it) before its
     * handler is queued. With {@code directResults}, a result is serialized straight into the
     * response sent; otherwise every response goes to {@code reply} (a batch collects them).
     *
     * @param message a {@link Request} or a {@link Notification}
     * @return what runs the handler, or {@code null} when nothing is left to run
     */
    InboundQueue.Task prepare(Message message, Consumer<Message> reply, boolean directResults) {
        Id id;
        String method;
        RawJson params;
        if (message instanceof Request request) {
            id = request.id();
            method = request.method();
            params = request.params();
        } else {
            Notification notification = (Notification) message;
            id = null;
            method = notification.method();
            params = notification.params();
            if (ProtocolMethods.CANCEL_REQUEST.equals(method)) {
                onCancel(method, reader.idMember(params, "id"), true);
                return null;
            }
            if (ProtocolMethods.MCP_CANCELLED.equals(method)) {
                onCancel(method, reader.idMember(params, "requestId"), false);
                return null;
            }
        }
        RequestHandler handler = handlers.getOrDefault(method, fallbackHandler);
        if (handler == null) {
            if (id != null) {
                reply.accept(Response.failure(id, new ErrorObject(ErrorCodes.METHOD_NOT_FOUND,
                        ErrorCodes.standardMessage(ErrorCodes.METHOD_NOT_FOUND), RawJson.ofString("no method '" + method + "'"))));
            } else {
                log.debug("{}: no handler for notification '{}'", transport.name(), method);
            }
            return null;
        }
        CallAnswerer answerer = new CallAnswerer(id, method, reply, directResults);
        IncomingCall call = new IncomingCall(self, mapper, dialect, id, method, params, answerer, reporter);
        answerer.call = call;
        if (id != null) {
            running.put(id, call);
        }
        return new InboundQueue.Task() {
            @Override
            public void run() {
                call.run(handler);
            }

            @Override
            public void rejected(java.util.concurrent.RejectedExecutionException cause) {
                call.refuse("no thread to run '" + method + "': " + cause.getMessage());
            }
        };
    }

    /**
     * Answers one incoming request, and forgets it as running once it is answered. A single
     * request's answer goes straight to the peer; a batch member's to {@code reply}.
     */
    private final class CallAnswerer implements Answerer {
        private final Id id;
        private final String method;
        private final Consumer<Message> reply;
        private final boolean directResults;
        /** The request answered; set before the request is handed to a thread to run. */
        private IncomingCall call;

        CallAnswerer(Id id, String method, Consumer<Message> reply, boolean directResults) {
            this.id = id;
            this.method = method;
            this.reply = reply;
            this.directResults = directResults;
        }

        @Override
        public void answer(Response response) {
            forget();
            if (directResults) {
                answers.send(response, method);
            } else {
                reply.accept(response);
            }
        }

        @Override
        public void answerValue(Id responseId, Object value, ObjectMapper resultMapper) {
            if (!directResults) {
                Answerer.super.answerValue(responseId, value, resultMapper);
                return;
            }
            forget();
            answers.sendResult(responseId, value, resultMapper, method);
        }

        /** A single request is left unanswered; a batch member is answered all the same, or the batch's answer would never be whole. */
        @Override
        public void withhold(Response cancelled) {
            if (directResults) {
                forget();
            } else {
                answer(cancelled);
            }
        }

        private void forget() {
            if (id != null) {
                running.remove(id, call);
            }
        }
    }

    /**
     * Cancels the running request with {@code id} (read as ids are: any type, size or exponent),
     * answering it with -32800 if {@code answer}, else leaving it unanswered; a cancellation
     * naming no request that runs is ignored.
     */
    private void onCancel(String method, Id id, boolean answer) {
        IncomingCall call = id == null ? null : running.get(id);
        if (call == null) {
            if (id == null) {
                log.debug("{}: {} names no request id", transport.name(), method);
            }
            return;
        }
        if (answer) {
            call.cancel();
        } else {
            call.cancelUnanswered();
        }
    }
}
