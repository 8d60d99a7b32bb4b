package dev.piperpc.core;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.piperpc.core.codec.MessageHead;
import dev.piperpc.core.codec.MessageReader;
import dev.piperpc.core.codec.MessageWriter;
import dev.piperpc.core.framing.FrameTooLargeException;
import dev.piperpc.core.internal.CallReporter;
import dev.piperpc.core.internal.InboundQueue;
import dev.piperpc.core.internal.LogLimiter;
import dev.piperpc.core.message.DecodedFrame;
import dev.piperpc.core.message.ErrorCodes;
import dev.piperpc.core.message.ErrorObject;
import dev.piperpc.core.message.Id;
import dev.piperpc.core.message.InvalidMessage;
import dev.piperpc.core.message.Message;
import dev.piperpc.core.message.Notification;
import dev.piperpc.core.message.RawJson;
import dev.piperpc.core.message.Request;
import dev.piperpc.core.message.Response;
import dev.piperpc.core.transport.Transport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * The inbound half of an {@link Endpoint}: what the peer sends. On the transport's I/O thread it
 * decodes each text, hands responses to the outbound half (behind the notifications that came
 * before them), has {@link PeerRequests} prepare the peer's requests and notifications (applying
 * cancellations), and queues them for the executor with a bound ({@link InboundQueue}); handlers
 * run there, and their answers, single or as one batch array, go back through the transport.
 * Nothing thrown while handling one message escapes onto the I/O thread.
 */
final class InboundDispatcher {

    private static final Logger log = LoggerFactory.getLogger(Endpoint.class);

    private final Transport transport;
    private final MessageReader reader;
    private final OutboundCalls outbound;
    private final InboundQueue inbound;
    private final Consumer<Throwable> onClosed;
    private final CallReporter reporter;
    private final LongAdder requestsReceived = new LongAdder();
    private final LongAdder invalidMessages = new LongAdder();
    private final LongAdder framingErrors = new LongAdder();
    private final LogLimiter peerWarnings = new LogLimiter();
    private final PeerAnswers answers;
    private final PeerRequests requests;
    /** Sends the answer to one request that came alone. */
    private final Consumer<Message> answerOne;

    /**
     * The inbound half of {@code self}, whose handlers run on {@code inbound}'s executor and report
     * in {@code dialect}; {@code onClosed} is told when the transport closes; {@code reporter} (or
     * {@code null}) hears of the texts read and the requests handled.
     */
    InboundDispatcher(Transport transport, Rpc self, ObjectMapper mapper, MessageWriter writer, OutboundCalls outbound,
                      Map<String, RequestHandler> handlers, RequestHandler fallbackHandler, InboundQueue inbound,
                      Dialect dialect, Consumer<Throwable> onClosed, CallReporter reporter) {
        this.transport = transport;
        this.reader = new MessageReader(mapper.getFactory());
        this.outbound = outbound;
        this.inbound = inbound;
        this.onClosed = onClosed;
        this.reporter = reporter;
        this.answers = new PeerAnswers(transport, writer, this::warnAboutPeer, reporter);
        this.requests = new PeerRequests(transport, self, mapper, reader, handlers, fallbackHandler, dialect, reporter, answers);
        this.answerOne = answers::send;
    }

    /** What the transport delivers to. */
    Transport.Listener listener() {
        return new Listener();
    }

    /** Stops every request still running or waiting, without answering: the connection is gone. */
    void abortAll() {
        requests.abortAll();
    }

    long requestsReceived() {
        return requestsReceived.sum();
    }

    int requestsRunning() {
        return requests.running();
    }

    long invalidMessages() {
        return invalidMessages.sum();
    }

    long framingErrors() {
        return framingErrors.sum();
    }

    long repliesNotSent() {
        return answers.notSent();
    }

    private final class Listener implements Transport.Listener {
        @Override
        public void onMessage(byte[] json) {
            handleContained(json, false);
        }

        /**
         * A response cut short by the end of the stream is not a malformed response: the call it
         * answers fails when the connection ends, with the reason it ended (a worker killed while
         * writing, say).
         */
        @Override
        public void onLastMessage(byte[] json) {
            handleContained(json, true);
        }

        private void handleContained(byte[] json, boolean last) {
            try {
                handle(json, last);
            } catch (RuntimeException e) {
                // One bad message costs nothing else: not the other frames of the read, not the I/O thread.
                invalidMessages.increment();
                log.error("{}: failed to handle a message: {}", transport.name(), abbreviate(json), e);
            }
        }

        private void handle(byte[] json, boolean last) {
            DecodedFrame frame = reader.decode(json);
            if (reporter != null) {
                reporter.bytesReceived(methodOf(frame), json.length);
            }
            if (!frame.batch() && frame.messages().get(0) instanceof InvalidMessage invalid) {
                if (last && invalid.looksLikeResponse() && invalid.error().code() == ErrorCodes.PARSE_ERROR) {
                    invalidMessages.increment();
                    warnAboutPeer("its output ended inside a response: {}", abbreviate(json));
                    return;
                }
                if (!invalid.looksLikeResponse()) {
                    warnAboutPeer("sent a text that is not valid JSON-RPC ({}): {}", invalid.error().data(), abbreviate(json));
                }
            }
            if (frame.batch()) {
                onBatch(frame.messages());
            } else {
                onSingle(frame.messages().get(0));
            }
        }

        @Override
        public void onError(Exception error) {
            try {
                framingErrors.increment();
                warnAboutPeer("{}", error.getMessage());
                if (error instanceof FrameTooLargeException tooLarge) {
                    onSkippedFrame(tooLarge);
                }
            } catch (RuntimeException e) {
                log.error("{}: failed to handle a framing error", transport.name(), e);
            }
        }

        @Override
        public void onClosed(Throwable cause) {
            onClosed.accept(cause);
        }
    }

    /**
     * The one method a frame is about, for reporting: a request's or notification's that has a
     * handler, the pending call's a response answers; else {@code null}.
     */
    private String methodOf(DecodedFrame frame) {
        if (frame.batch()) {
            return null;
        }
        Message message = frame.messages().get(0);
        String method = message instanceof Request request ? request.method()
                : message instanceof Notification notification ? notification.method()
                : message instanceof Response response ? outbound.pendingMethod(response.id()) : null;
        return method == null || message instanceof Response || requests.handles(method) ? method : null;
    }

    /**
     * A frame was skipped for its size. If its first bytes show a response to a pending call, that
     * call fails at once; otherwise the peer is answered with -32600, under the request's id when
     * the first bytes hold it, else under id null.
     */
    private void onSkippedFrame(FrameTooLargeException tooLarge) {
        MessageHead head = reader.peek(tooLarge.prefix());
        Id id = head.id();
        if (!head.request() && outbound.fail(id, call -> new ProtocolException("the response to '" + call.method() + "' (id " + id
                + ") from " + transport.name() + " was skipped: " + tooLarge.getMessage(), tooLarge))) {
            return;
        }
        if (head.isResponse()) {
            return;
        }
        Response refusal = Response.failure(id == null ? Id.NULL : id, new ErrorObject(ErrorCodes.INVALID_REQUEST,
                ErrorCodes.standardMessage(ErrorCodes.INVALID_REQUEST), RawJson.ofString(tooLarge.getMessage())));
        if (head.request() && id != null) {
            answers.send(refusal);
        } else {
            answers.sendToInvalid(refusal);
        }
    }

    private void onSingle(Message message) {
        if (message instanceof Response response) {
            onResponse(response);
        } else if (message instanceof Request || message instanceof Notification) {
            requestsReceived.increment();
            submit(message, requests.prepare(message, answerOne, true));
        } else if (message instanceof InvalidMessage invalid) {
            onInvalid(invalid, answers::sendToInvalid);
        }
    }

    /** Queues a prepared request or notification; notifications keep their order. */
    private void submit(Message message, InboundQueue.Task handling) {
        if (handling == null) {
            return;
        }
        if (message instanceof Notification) {
            inbound.submitOrdered(handling);
        } else {
            inbound.submitRequest(handling);
        }
    }

    /**
     * A response ends its call at once, unless a notification that arrived before it is still
     * waiting or running: then it ends the call after that notification was handled, so whoever
     * sees the call done has seen what the peer said before answering. The call stays pending
     * (and can still time out) until then.
     */
    private void onResponse(Response response) {
        if (!inbound.hasOrderedWork()) {
            outbound.complete(response);
            return;
        }
        inbound.submitOrdered(new InboundQueue.Task() {
            @Override
            public void run() {
                outbound.complete(response);
            }

            @Override
            public void rejected(java.util.concurrent.RejectedExecutionException cause) {
                outbound.complete(response);
            }
        });
    }

    private void onBatch(List<Message> messages) {
        List<Message> incoming = new ArrayList<>(messages.size());
        for (Message message : messages) {
            if (message instanceof Response response) {
                onResponse(response);
            } else if (message instanceof InvalidMessage invalid && invalid.looksLikeResponse()) {
                onInvalid(invalid, answers::sendToInvalid);
            } else {
                incoming.add(message);
            }
        }
        if (!incoming.isEmpty()) {
            requestsReceived.add(incoming.size());
            dispatchBatch(incoming);
        }
    }

    private void onInvalid(InvalidMessage invalid, Consumer<Message> reply) {
        invalidMessages.increment();
        if (invalid.looksLikeResponse()) {
            Id id = invalid.id();
            boolean failed = outbound.fail(id, call -> new ProtocolException("malformed response to '" + call.method() + "' (id " + id
                    + ") from " + transport.name() + ": " + invalid.error().data()));
            if (!failed) {
                warnAboutPeer("malformed response: {}", invalid.error().data());
            }
            return;
        }
        reply.accept(invalid.toResponse());
    }

    private void dispatchBatch(List<Message> messages) {
        int expected = 0;
        for (Message message : messages) {
            if (message instanceof Request || message instanceof InvalidMessage) {
                expected++;
            }
        }
        PeerAnswers.BatchAnswer collector = answers.batch(messages.size(), expected);
        for (int i = 0; i < messages.size(); i++) {
            Message message = messages.get(i);
            int slot = i;
            Consumer<Message> reply = response -> collector.put(slot, asResponse(response));
            if (message instanceof InvalidMessage invalid) {
                onInvalid(invalid, reply);
            } else {
                submit(message, requests.prepare(message, reply, false));
            }
        }
    }

    private static Response asResponse(Message message) {
        return message instanceof InvalidMessage invalid ? invalid.toResponse() : (Response) message;
    }

    private static String abbreviate(byte[] json) {
        String text = new String(json, 0, Math.min(json.length, 300), java.nio.charset.StandardCharsets.UTF_8);
        return json.length > 300 ? text + "... (" + json.length + " bytes)" : text;
    }

    /**
     * Logs a warning about what the peer sent, at most a few a second: a peer that floods junk
     * must not flood the log (written on the I/O thread) too. Counters keep the whole count.
     */
    private void warnAboutPeer(String what, Object... details) {
        long left = peerWarnings.admit();
        if (left < 0) {
            return;
        }
        Object[] arguments = new Object[details.length + 2];
        arguments[0] = transport.name();
        System.arraycopy(details, 0, arguments, 1, details.length);
        arguments[details.length + 1] = left;
        log.warn("{}: " + what + (left > 0 ? " ({} similar warnings left out)" : ""), arguments);
    }
}
