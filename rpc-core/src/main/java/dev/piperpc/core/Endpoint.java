package dev.piperpc.core;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.piperpc.core.codec.MessageCodec;
import dev.piperpc.core.codec.MessageHead;
import dev.piperpc.core.framing.FrameTooLargeException;
import dev.piperpc.core.internal.Answerer;
import dev.piperpc.core.internal.ByteSink;
import dev.piperpc.core.internal.CallOwner;
import dev.piperpc.core.internal.DeadlineSweeper;
import dev.piperpc.core.internal.DefaultExecutor;
import dev.piperpc.core.internal.InboundQueue;
import dev.piperpc.core.internal.IncomingCall;
import dev.piperpc.core.internal.LogLimiter;
import dev.piperpc.core.internal.PendingCall;
import dev.piperpc.core.internal.PendingTable;
import dev.piperpc.core.internal.dispatch.ServiceMethods;
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

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * One side of a JSON-RPC 2.0 connection over a {@link Transport}: it sends calls and matches their
 * responses by id, in whatever order they arrive, and it answers the peer's own requests with the
 * handlers it was built with. The two directions have separate id spaces.
 *
 * <pre>{@code
 * Endpoint rpc = Endpoint.builder().connect(transport);
 * int difference = rpc.call("subtract", Params.of(42, 23), Integer.class);
 * }</pre>
 *
 * <p>All methods are thread-safe. The transport's I/O thread only decodes and matches; results are
 * bound, callbacks run and handlers execute on the endpoint's executor or on the calling thread.
 * Incoming requests are handled concurrently, up to {@link Builder#maxConcurrentRequests} at a
 * time; incoming notifications (progress, logs) are handled one at a time, in the order they
 * arrived, and a response that arrives after a notification is seen only once that notification
 * was handled. What waits for the executor is bounded ({@link Builder#maxQueuedIncoming}): when
 * that many messages wait, the endpoint stops reading from the peer until half of them have started.
 */
public final class Endpoint implements Rpc, AutoCloseable {

    /** The notification that asks a peer to cancel a request: {@code {"id": <id>}}, as LSP defines it. */
    public static final String CANCEL_METHOD = "$/cancelRequest";

    private static final Logger log = LoggerFactory.getLogger(Endpoint.class);
    private static final ThreadLocal<ByteSink> ENCODE_BUFFER = ThreadLocal.withInitial(() -> new ByteSink(512));

    private final Transport transport;
    private final ObjectMapper mapper;
    private final MessageCodec codec;
    private final Executor executor;
    private final InboundQueue inbound;
    private final Duration defaultTimeout;
    private final Map<String, RequestHandler> handlers;
    private final RequestHandler fallbackHandler;
    private final PendingTable pending = new PendingTable();
    private final Map<Id, IncomingCall> running = new ConcurrentHashMap<>();
    private final Owner owner = new Owner();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile Throwable closeCause;
    private final LongAdder callsSent = new LongAdder();
    private final LongAdder requestsReceived = new LongAdder();
    private final LongAdder unknownResponses = new LongAdder();
    private final LongAdder invalidMessages = new LongAdder();
    private final LongAdder framingErrors = new LongAdder();
    private final LongAdder repliesNotSent = new LongAdder();
    private final LongAdder cancelsNotSent = new LongAdder();
    private final LogLimiter peerWarnings = new LogLimiter();

    private Endpoint(Builder builder, Transport transport) {
        this.transport = transport;
        this.mapper = builder.mapper;
        this.codec = new MessageCodec(mapper.getFactory());
        this.executor = builder.executor;
        this.inbound = new InboundQueue(builder.executor, builder.maxConcurrentRequests, builder.maxQueuedIncoming,
                transport::setReading);
        this.defaultTimeout = builder.defaultTimeout;
        this.handlers = builder.allHandlers();
        this.fallbackHandler = builder.fallbackHandler;
    }

    /** A builder with default settings. */
    public static Builder builder() {
        return new Builder();
    }

    // ---------------------------------------------------------------- outgoing

    @Override
    public <T> Call<T> send(String method, Params params, Class<T> resultType) {
        return send(method, params, resultType, defaultTimeout);
    }

    @Override
    public <T> Call<T> send(String method, Params params, Class<T> resultType, Duration timeout) {
        return sendTyped(method, params, mapper.constructType(resultType), timeout);
    }

    @Override
    public <T> Call<T> send(String method, Params params, Type resultType, Duration timeout) {
        return sendTyped(method, params, mapper.constructType(resultType), timeout);
    }

    private <T> Call<T> sendTyped(String method, Params params, JavaType resultType, Duration timeout) {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(params, "params");
        requirePositive(timeout);
        long id = pending.nextId();
        byte[] json = encodeRequest(id, method, params);
        PendingCall<T> call = new PendingCall<>(owner, id, method, resultType, timeout);
        register(call);
        transmit(call, json);
        return call;
    }

    private void register(PendingCall<?> call) {
        pending.put(call);
        callsSent.increment();
        DeadlineSweeper.instance().deadlineAdded(call.deadlineNanos());
        if (closed.get() && pending.remove(call.numericId()) != null) {
            call.fail(closedError());
        }
    }

    /**
     * Hands a registered call's request to the transport. A full queue is reported by throwing
     * {@link BackpressureException}: the call was never seen by the caller, so it is forgotten.
     */
    private void transmit(PendingCall<?> call, byte[] json) {
        try {
            transport.send(json);
        } catch (BackpressureException full) {
            pending.remove(call.numericId());
            throw full;
        } catch (RuntimeException e) {
            if (pending.remove(call.numericId()) != null) {
                call.fail(e instanceof PiperpcException piperpc ? piperpc
                        : new ConnectionClosedException("cannot send to " + transport.name() + ": " + e.getMessage(), e));
            }
        }
    }

    /**
     * {@inheritDoc}
     *
     * @throws BackpressureException if the transport's outbound queue is full (nothing was sent)
     */
    @Override
    public void notify(String method, Params params) {
        Objects.requireNonNull(method, "method");
        if (closed.get()) {
            throw closedError();
        }
        transport.send(encodeNotification(method, params));
    }

    /** Starts a batch: calls and notifications sent together as one JSON array. */
    public Batch batch() {
        return new Batch(this);
    }

    // ---------------------------------------------------------------- batch support

    /** Sends {@code members} as one batch frame; used by {@link Batch}. */
    <T> PendingCall<T> newCall(String method, Type resultType, Duration timeout) {
        requirePositive(timeout);
        return new PendingCall<>(owner, pending.nextId(), method, mapper.constructType(resultType), timeout);
    }

    void sendBatch(List<Batch.Member> members) {
        ByteSink sink = new ByteSink(256 * members.size());
        List<PendingCall<?>> calls = new ArrayList<>();
        sink.write('[');
        boolean first = true;
        for (Batch.Member member : members) {
            if (!first) {
                sink.write(',');
            }
            first = false;
            byte[] json;
            if (member.call() == null) {
                json = encodeNotification(member.method(), member.params());
            } else {
                json = encodeRequest(member.call().numericId(), member.method(), member.params());
                calls.add(member.call());
            }
            sink.write(json, 0, json.length);
        }
        sink.write(']');
        calls.forEach(this::register);
        byte[] frame = sink.toByteArray();
        try {
            if (closed.get()) {
                throw closedError();
            }
            transport.send(frame);
        } catch (RuntimeException e) {
            PiperpcException error = e instanceof PiperpcException piperpc ? piperpc
                    : new ConnectionClosedException("cannot send to " + transport.name() + ": " + e.getMessage(), e);
            for (PendingCall<?> call : calls) {
                if (pending.remove(call.numericId()) != null) {
                    call.fail(error);
                }
            }
            if (e instanceof BackpressureException full) {
                throw full;
            }
        }
    }

    @Override
    public Duration defaultCallTimeout() {
        return defaultTimeout;
    }

    // ---------------------------------------------------------------- encoding

    private byte[] encodeRequest(long id, String method, Params params) {
        return encodeCall(id, method, params);
    }

    private byte[] encodeNotification(String method, Params params) {
        return encodeCall(null, method, params);
    }

    /** A request with {@code id}, or a notification when {@code id} is {@code null}. */
    private byte[] encodeCall(Long id, String method, Params params) {
        return encodeEnvelope(mapper, generator -> {
            if (id != null) {
                generator.writeNumberField("id", id);
            }
            generator.writeStringField("method", method);
            writeParams(generator, method, params);
        });
    }

    /**
     * A successful response whose result is {@code value}, serialized by {@code resultMapper}
     * straight into it.
     *
     * @throws IllegalArgumentException if {@code value} cannot be serialized
     */
    private byte[] encodeResult(Id id, Object value, ObjectMapper resultMapper) {
        return encodeEnvelope(resultMapper, generator -> {
            MessageCodec.writeId(generator, id);
            generator.writeFieldName("result");
            try {
                resultMapper.writeValue(generator, value);
            } catch (IOException | RuntimeException e) {
                throw new IllegalArgumentException("cannot serialize " + (value == null ? "null" : value.getClass().getName()) + ": "
                        + e.getMessage(), e);
            }
        });
    }

    /** What goes between {@code "jsonrpc":"2.0"} and the end of a message object. */
    private interface Members {
        void write(JsonGenerator generator) throws IOException;
    }

    /** One message object: {@code {"jsonrpc":"2.0", members}}, written with a generator of {@code generatorMapper}. */
    private static byte[] encodeEnvelope(ObjectMapper generatorMapper, Members members) {
        ByteSink sink = ENCODE_BUFFER.get();
        sink.reset();
        try (JsonGenerator generator = generatorMapper.getFactory().createGenerator(sink)) {
            generator.writeStartObject();
            generator.writeStringField("jsonrpc", "2.0");
            members.write(generator);
            generator.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return sink.toByteArray();
    }

    private void writeParams(JsonGenerator generator, String method, Params params) throws IOException {
        if (params.isNone()) {
            return;
        }
        generator.writeFieldName("params");
        try {
            params.write(generator, mapper);
        } catch (com.fasterxml.jackson.core.JsonProcessingException | RuntimeException e) {
            throw new IllegalArgumentException("cannot serialize the params of '" + method + "': " + e.getMessage(), e);
        }
    }

    /** Sends an answer to the peer: past the bound of {@link Transport#send}, since answers are bounded by the requests run. */
    private void sendMessage(Message message) {
        sendReply(codec.encode(message), message);
    }

    private void sendReply(byte[] json, Object what) {
        try {
            transport.sendControl(json);
        } catch (ConnectionClosedException e) {
            log.debug("{}: dropped {} because the connection is closed", transport.name(), what);
        } catch (BackpressureException e) {
            repliesNotSent.increment();
            warnAboutPeer("dropped {}: {}", what, e.getMessage());
        }
    }

    /**
     * Answers a text that was not a valid request. Such answers are sent only while the outbound
     * queue is below its low-water mark, so a peer printing junk cannot fill it with our answers.
     */
    private void replyToInvalid(Message response) {
        if (!transport.isWritable()) {
            repliesNotSent.increment();
            return;
        }
        sendMessage(response);
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

    // ---------------------------------------------------------------- incoming

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
            DecodedFrame frame = codec.decode(json);
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
            closeWith(cause);
        }
    }

    /**
     * A frame was skipped for its size. If its first bytes show a response to a pending call, that
     * call fails at once; otherwise the peer is answered with -32600, under the request's id when
     * the first bytes hold it, else under id null.
     */
    private void onSkippedFrame(FrameTooLargeException tooLarge) {
        MessageHead head = codec.peek(tooLarge.prefix());
        Id id = head.id();
        PendingCall<?> call = !head.request() && id != null && id.isLong() ? pending.remove(id.asLong()) : null;
        if (call != null) {
            call.fail(new ProtocolException("the response to '" + call.method() + "' (id " + id + ") from " + transport.name()
                    + " was skipped: " + tooLarge.getMessage(), tooLarge));
            return;
        }
        if (head.isResponse()) {
            return;
        }
        Response refusal = Response.failure(id == null ? Id.NULL : id, new ErrorObject(ErrorCodes.INVALID_REQUEST,
                ErrorCodes.standardMessage(ErrorCodes.INVALID_REQUEST), RawJson.ofString(tooLarge.getMessage())));
        if (head.request() && id != null) {
            sendMessage(refusal);
        } else {
            replyToInvalid(refusal);
        }
    }

    private void onSingle(Message message) {
        if (message instanceof Response response) {
            onResponse(response);
        } else if (message instanceof Request || message instanceof Notification) {
            requestsReceived.increment();
            submit(message, prepare(message, this::sendMessage, true));
        } else if (message instanceof InvalidMessage invalid) {
            onInvalid(invalid, this::replyToInvalid);
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
            complete(response);
            return;
        }
        inbound.submitOrdered(new InboundQueue.Task() {
            @Override
            public void run() {
                complete(response);
            }

            @Override
            public void rejected(java.util.concurrent.RejectedExecutionException cause) {
                complete(response);
            }
        });
    }

    private void onBatch(List<Message> messages) {
        List<Message> incoming = new ArrayList<>(messages.size());
        for (Message message : messages) {
            if (message instanceof Response response) {
                onResponse(response);
            } else if (message instanceof InvalidMessage invalid && invalid.looksLikeResponse()) {
                onInvalid(invalid, this::replyToInvalid);
            } else {
                incoming.add(message);
            }
        }
        if (!incoming.isEmpty()) {
            requestsReceived.add(incoming.size());
            dispatchBatch(incoming);
        }
    }

    private void complete(Response response) {
        Id id = response.id();
        PendingCall<?> call = id.isLong() ? pending.remove(id.asLong()) : null;
        if (call == null) {
            unknownResponses.increment();
            if (id.isNull() && response.isError()) {
                log.warn("{} could not process a message we sent: {}", transport.name(), response.error());
            } else {
                log.debug("{}: response for unknown or ended call id {}", transport.name(), id);
            }
            return;
        }
        if (response.isError()) {
            call.fail(new RpcException(response.error()));
        } else {
            call.succeed(response.result());
        }
    }

    private void onInvalid(InvalidMessage invalid, java.util.function.Consumer<Message> reply) {
        invalidMessages.increment();
        if (invalid.looksLikeResponse()) {
            Id id = invalid.id();
            PendingCall<?> call = id.isLong() ? pending.remove(id.asLong()) : null;
            if (call != null) {
                call.fail(new ProtocolException("malformed response to '" + call.method() + "' (id " + id + ") from "
                        + transport.name() + ": " + invalid.error().data()));
            } else {
                warnAboutPeer("malformed response: {}", invalid.error().data());
            }
            return;
        }
        reply.accept(invalid.toResponse());
    }

    /**
     * Prepares one incoming request or notification, in arrival order: cancellations take effect
     * here, and a request is registered (so a cancellation that follows finds it) before its
     * handler is queued. With {@code directResults}, a result is serialized straight into the
     * response sent; otherwise every response goes to {@code reply} (a batch collects them).
     *
     * @return what runs the handler, or {@code null} when nothing is left to run
     */
    private InboundQueue.Task prepare(Message message, java.util.function.Consumer<Message> reply, boolean directResults) {
        Id id;
        String method;
        RawJson params;
        if (message instanceof Request request) {
            id = request.id();
            method = request.method();
            params = request.params();
        } else if (message instanceof Notification notification) {
            id = null;
            method = notification.method();
            params = notification.params();
            if (CANCEL_METHOD.equals(method)) {
                onCancelRequest(params);
                return null;
            }
        } else {
            onInvalid((InvalidMessage) message, reply);
            return null;
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
        IncomingCall call = new IncomingCall(this, mapper, id, method, params, new CallAnswerer(id, reply, directResults));
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

    /** Answers one incoming request, and forgets it as running once it is answered. */
    private final class CallAnswerer implements Answerer {
        private final Id id;
        private final java.util.function.Consumer<Message> reply;
        private final boolean directResults;

        CallAnswerer(Id id, java.util.function.Consumer<Message> reply, boolean directResults) {
            this.id = id;
            this.reply = reply;
            this.directResults = directResults;
        }

        @Override
        public void answer(Response response) {
            forget();
            reply.accept(response);
        }

        @Override
        public void answerValue(Id responseId, Object value, ObjectMapper resultMapper) {
            if (!directResults) {
                Answerer.super.answerValue(responseId, value, resultMapper);
                return;
            }
            byte[] json = encodeResult(responseId, value, resultMapper);
            forget();
            sendReply(json, "the response to " + responseId);
        }

        private void forget() {
            if (id != null) {
                running.remove(id);
            }
        }
    }

    private void dispatchBatch(List<Message> messages) {
        Response[] slots = new Response[messages.size()];
        int expected = 0;
        for (Message message : messages) {
            if (message instanceof Request || message instanceof InvalidMessage) {
                expected++;
            }
        }
        BatchReply collector = new BatchReply(slots, expected);
        for (int i = 0; i < messages.size(); i++) {
            Message message = messages.get(i);
            int slot = i;
            submit(message, prepare(message, response -> collector.put(slot, (Response) asResponse(response)), false));
        }
    }

    private static Message asResponse(Message message) {
        return message instanceof InvalidMessage invalid ? invalid.toResponse() : message;
    }

    /** Gathers the responses of one incoming batch and sends them as one array. */
    private final class BatchReply {
        private final Response[] slots;
        private int missing;

        BatchReply(Response[] slots, int expected) {
            this.slots = slots;
            this.missing = expected;
        }

        void put(int slot, Response response) {
            List<Message> responses;
            synchronized (this) {
                slots[slot] = response;
                if (--missing > 0) {
                    return;
                }
                responses = new ArrayList<>();
                for (Response each : slots) {
                    if (each != null) {
                        responses.add(each);
                    }
                }
            }
            sendReply(codec.encodeBatch(responses), "a batch response");
        }
    }

    /** Cancels the running request that {@code {"id": ...}} names; ids of any type, size or exponent are read as ids are. */
    private void onCancelRequest(RawJson params) {
        Id id = params == null || !params.isObject() ? null : codec.peek(params.toByteArray()).id();
        IncomingCall call = id == null ? null : running.get(id);
        if (call != null) {
            call.cancel();
        } else if (id == null) {
            log.debug("{}: malformed {}: {}", transport.name(), CANCEL_METHOD, params);
        }
    }

    private static String abbreviate(byte[] json) {
        String text = new String(json, 0, Math.min(json.length, 300), java.nio.charset.StandardCharsets.UTF_8);
        return json.length > 300 ? text + "... (" + json.length + " bytes)" : text;
    }

    // ---------------------------------------------------------------- lifecycle

    private Endpoint start() {
        DeadlineSweeper.instance().register(pending);
        try {
            transport.start(new Listener());
        } catch (RuntimeException e) {
            DeadlineSweeper.instance().unregister(pending);
            throw e;
        }
        return this;
    }

    /**
     * Closes the transport. Every pending call ends at once with a {@link ConnectionClosedException};
     * later calls fail the same way. Idempotent.
     */
    @Override
    public void close() {
        closeWith(null);
        transport.close();
    }

    private void closeWith(Throwable cause) {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        closeCause = cause;
        DeadlineSweeper.instance().unregister(pending);
        pending.failAll(call -> new ConnectionClosedException("'" + call.method() + "' (id " + call.numericId()
                + ") failed: " + closedReason(), cause));
        running.values().forEach(IncomingCall::abort);
    }

    private ConnectionClosedException closedError() {
        return new ConnectionClosedException(closedReason(), closeCause);
    }

    private String closedReason() {
        Throwable cause = closeCause;
        return "connection to " + transport.name() + " is closed" + (cause == null ? "" : ": " + cause.getMessage());
    }

    /** Whether the endpoint or its transport has closed. */
    public boolean isClosed() {
        return closed.get();
    }

    /**
     * Whether the transport's outbound queue is below its low-water mark, so a {@link #send} now
     * will not be refused for backpressure; a router prefers endpoints that are.
     */
    public boolean isWritable() {
        return transport.isWritable();
    }

    /** The transport's name. */
    public String name() {
        return transport.name();
    }

    /** The mapper that serializes params and results. */
    public ObjectMapper mapper() {
        return mapper;
    }

    /** A snapshot of the counters. */
    public EndpointStats stats() {
        return new EndpointStats(callsSent.sum(), pending.size(), requestsReceived.sum(), running.size(), inbound.waiting(),
                inbound.pauses(), unknownResponses.sum(), invalidMessages.sum(), framingErrors.sum(), repliesNotSent.sum(),
                cancelsNotSent.sum());
    }

    @Override
    public String toString() {
        return "Endpoint[" + transport.name() + (closed.get() ? ", closed" : "") + "]";
    }

    private final class Owner implements CallOwner {
        @Override
        public ObjectMapper mapper() {
            return mapper;
        }

        @Override
        public Executor executor() {
            return executor;
        }

        @Override
        public String peerName() {
            return transport.name();
        }

        /**
         * Never throws: the call has already ended locally. The cancellation passes the bound of the
         * outbound queue (it is small, and there is at most one per call sent); if the transport
         * refuses it all the same, it is counted and dropped.
         */
        @Override
        public void abandoned(PendingCall<?> call) {
            pending.remove(call.numericId());
            if (closed.get()) {
                return;
            }
            try {
                transport.sendControl(encodeNotification(CANCEL_METHOD, Params.named(Map.of("id", call.numericId()))));
            } catch (RuntimeException e) {
                cancelsNotSent.increment();
                log.debug("{}: could not send {} for id {}: {}", transport.name(), CANCEL_METHOD, call.numericId(), e.getMessage());
            }
        }
    }

    private static void requirePositive(Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, not " + timeout);
        }
    }

    /**
     * Settings for endpoints. A builder can connect any number of transports, each getting an
     * endpoint with the same settings and handlers.
     */
    public static final class Builder {
        private ObjectMapper mapper = new ObjectMapper();
        private Executor executor = DefaultExecutor.instance();
        private Duration defaultTimeout = Duration.ofSeconds(30);
        private final Map<String, RequestHandler> handlers = new LinkedHashMap<>();
        private final List<Object> services = new ArrayList<>();
        private final java.util.Set<String> methodNames = new java.util.HashSet<>();
        private Map<String, RequestHandler> serviceHandlers = Map.of();
        private ObjectMapper serviceMapper;
        private RequestHandler fallbackHandler;
        private int maxConcurrentRequests = 64;
        private int maxQueuedIncoming = 1024;

        private Builder() {
        }

        /**
         * How many of the peer's requests are handed to the executor at once (default 64); the
         * others wait in arrival order. With a growing executor this bounds the threads one peer
         * can occupy.
         */
        public Builder maxConcurrentRequests(int max) {
            if (max <= 0) {
                throw new IllegalArgumentException("maxConcurrentRequests must be positive, not " + max);
            }
            this.maxConcurrentRequests = max;
            return this;
        }

        /**
         * How many of the peer's requests and notifications may wait for the executor (default
         * 1024). When that many wait, the endpoint stops reading from the peer, which then blocks
         * on its own writes; reading resumes once half of them have started.
         */
        public Builder maxQueuedIncoming(int max) {
            if (max <= 1) {
                throw new IllegalArgumentException("maxQueuedIncoming must be at least 2, not " + max);
            }
            this.maxQueuedIncoming = max;
            return this;
        }

        /** The default call timeout set on this builder (30 s unless set). */
        public Duration defaultTimeout() {
            return defaultTimeout;
        }

        /** The mapper for params and results (default: a plain {@link ObjectMapper}). */
        public Builder mapper(ObjectMapper mapper) {
            this.mapper = Objects.requireNonNull(mapper, "mapper");
            return this;
        }

        /**
         * Where callbacks and incoming handlers run (default: a shared pool of daemon threads that
         * grows with the work and shrinks when idle).
         */
        public Builder executor(Executor executor) {
            this.executor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /** How long a call may wait for its response before it fails (default 30 s). */
        public Builder defaultTimeout(Duration timeout) {
            requirePositive(timeout);
            this.defaultTimeout = timeout;
            return this;
        }

        /**
         * Handles incoming requests and notifications for {@code method}.
         *
         * @throws IllegalArgumentException if the method already has a handler
         */
        public Builder handler(String method, RequestHandler handler) {
            Objects.requireNonNull(handler, "handler");
            claim(Objects.requireNonNull(method, "method"));
            handlers.put(method, handler);
            return this;
        }

        private void claim(String method) {
            if (!methodNames.add(method)) {
                throw new IllegalArgumentException("method '" + method + "' already has a handler");
            }
        }

        /** Handles incoming methods that have no handler of their own (instead of answering -32601). */
        public Builder fallbackHandler(RequestHandler handler) {
            this.fallbackHandler = Objects.requireNonNull(handler, "handler");
            return this;
        }

        /**
         * Exposes the public methods of {@code service} to the peer, named as jsonrpc4j names them:
         * by {@code @JsonRpcMethod} where present, else by their Java name.
         *
         * @throws IllegalArgumentException if a method name is taken
         */
        public Builder service(Object service) {
            Map<String, RequestHandler> compiled = ServiceMethods.compile(service, mapper);
            compiled.keySet().forEach(this::claim);
            services.add(service);
            serviceHandlers = null;
            return this;
        }

        /**
         * Every handler: those given directly, and those of the services, whose params are bound
         * with the mapper in force now (which may have been set after {@link #service}).
         */
        private synchronized Map<String, RequestHandler> allHandlers() {
            if (serviceHandlers == null || serviceMapper != mapper) {
                Map<String, RequestHandler> compiled = new LinkedHashMap<>();
                services.forEach(service -> compiled.putAll(ServiceMethods.compile(service, mapper)));
                serviceHandlers = compiled;
                serviceMapper = mapper;
            }
            Map<String, RequestHandler> all = new LinkedHashMap<>(handlers);
            all.putAll(serviceHandlers);
            return Map.copyOf(all);
        }

        /** Starts an endpoint on {@code transport}. */
        public Endpoint connect(Transport transport) {
            return new Endpoint(this, Objects.requireNonNull(transport, "transport")).start();
        }
    }
}
