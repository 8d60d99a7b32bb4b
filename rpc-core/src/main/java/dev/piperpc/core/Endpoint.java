package dev.piperpc.core;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.piperpc.core.codec.MessageWriter;
import dev.piperpc.core.internal.CallReporter;
import dev.piperpc.core.internal.DefaultExecutor;
import dev.piperpc.core.internal.EndpointAccess;
import dev.piperpc.core.internal.InboundQueue;
import dev.piperpc.core.internal.PendingCall;
import dev.piperpc.core.internal.ResultTypes;
import dev.piperpc.core.listen.CallListener;
import dev.piperpc.core.transport.Transport;

import dev.piperpc.core.message.Id;

import java.lang.reflect.Type;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

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
 *
 * <p>An endpoint is a facade over its two halves: the calls it sends (pending table, timeouts,
 * cancellation) and what the peer sends (dispatch to handlers, answers).
 */
public final class Endpoint implements Rpc, AutoCloseable {

    private static final long CLOSE_POLL_MILLIS = 5;

    static {
        // A pool's or a queue client's way to add its own listener to the connections it makes; not offered to users.
        EndpointAccess.install((builder, transport, listener) -> builder.connect(transport, listener));
    }

    private final Transport transport;
    private final ObjectMapper mapper;
    private final ResultTypes resultTypes;
    private final Duration defaultTimeout;
    private final OutboundCalls outbound;
    private final InboundQueue inboundQueue;
    private final InboundDispatcher inbound;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Duration closeGrace;
    private final Dialect dialect;

    private Endpoint(Builder builder, Transport transport, CallListener addedListener) {
        this.transport = transport;
        this.mapper = builder.mapper;
        this.resultTypes = new ResultTypes(mapper);
        this.defaultTimeout = builder.defaultTimeout;
        this.closeGrace = builder.closeGrace;
        this.dialect = builder.dialect;
        MessageWriter writer = new MessageWriter(mapper);
        CallReporter reporter = CallReporter.of(transport.name(), builder.callListener, addedListener);
        this.outbound = new OutboundCalls(transport, mapper, builder.executor, writer, dialect, reporter);
        this.inboundQueue = new InboundQueue(builder.executor, builder.maxConcurrentRequests, builder.maxQueuedIncoming,
                transport::setReading);
        this.inbound = new InboundDispatcher(transport, this, mapper, writer, outbound, builder.handlers.all(mapper),
                builder.fallbackHandler, inboundQueue, dialect, this::closeWith, reporter);
    }

    /** A builder with default settings. */
    public static Builder builder() {
        return new Builder();
    }

    // ---------------------------------------------------------------- calls

    @Override
    public <T> Call<T> send(String method, Params params, Class<T> resultType) {
        return send(method, params, resultType, defaultTimeout);
    }

    @Override
    public <T> Call<T> send(String method, Params params, Class<T> resultType, Duration timeout) {
        return send(method, params, (Type) resultType, timeout);
    }

    /**
     * {@inheritDoc}
     *
     * @throws BackpressureException if the transport's outbound queue is full (nothing was sent)
     */
    @Override
    public <T> Call<T> send(String method, Params params, Type resultType, Duration timeout) {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(params, "params");
        return outbound.send(null, method, params, resultTypes.of(resultType), timeout);
    }

    /**
     * {@inheritDoc}
     *
     * @throws BackpressureException if the transport's outbound queue is full (nothing was sent)
     */
    @Override
    public <T> Call<T> send(Id id, String method, Params params, Type resultType, Duration timeout) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(params, "params");
        if (id.isNull()) {
            throw new IllegalArgumentException("a request's id cannot be null");
        }
        return outbound.send(id, method, params, resultTypes.of(resultType), timeout);
    }

    /**
     * {@inheritDoc}
     *
     * @throws BackpressureException if the transport's outbound queue is full (nothing was sent)
     */
    @Override
    public void notify(String method, Params params) {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(params, "params");
        outbound.notify(method, params);
    }

    /** Starts a batch: calls and notifications sent together as one JSON array. */
    public Batch batch() {
        return new Batch(this);
    }

    /** A call of a batch, not sent yet; used by {@link Batch}. */
    <T> PendingCall<T> newCall(String method, Type resultType, Duration timeout) {
        return outbound.newBatchCall(method, resultTypes.of(resultType), timeout);
    }

    /** Sends a batch's members as one frame; used by {@link Batch}. */
    void sendBatch(List<Batch.Member> members) {
        outbound.sendBatch(members);
    }

    @Override
    public Duration defaultCallTimeout() {
        return defaultTimeout;
    }

    // ---------------------------------------------------------------- lifecycle

    private Endpoint start() {
        outbound.open();
        try {
            transport.start(inbound.listener());
        } catch (RuntimeException e) {
            outbound.close(e);
            throw e;
        }
        return this;
    }

    /**
     * Closes in order: new calls fail at once with {@link ConnectionClosedException}, calls pending
     * and the peer's requests being handled may finish within the builder's close grace (10 s
     * unless set), then whatever is left ends as with {@link #closeNow()}. Returns when closed;
     * idempotent.
     */
    @Override
    public void close() {
        close(closeGrace);
    }

    /** Closes in order, giving pending calls and running handlers up to {@code grace}; see {@link #close()}. */
    public void close(Duration grace) {
        outbound.beginClosing();
        long deadline = System.nanoTime() + grace.toNanos();
        while (!closed.get() && (outbound.callsPending() > 0 || inbound.requestsRunning() > 0)
                && System.nanoTime() - deadline < 0) {
            try {
                Thread.sleep(CLOSE_POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        closeNow();
    }

    /**
     * Closes at once: every pending call ends with a {@link ConnectionClosedException}, handlers
     * still running are interrupted and not answered, and the transport is closed. Idempotent.
     */
    public void closeNow() {
        closeWith(null);
        transport.close();
    }

    private void closeWith(Throwable cause) {
        if (closed.compareAndSet(false, true)) {
            outbound.close(cause);
            inbound.abortAll();
        }
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

    /** The dialect this endpoint cancels in, and its handlers report progress and log in. */
    public Dialect dialect() {
        return dialect;
    }

    /** A snapshot of the counters. */
    public EndpointStats stats() {
        return new EndpointStats(outbound.callsSent(), outbound.callsPending(), inbound.requestsReceived(), inbound.requestsRunning(),
                inboundQueue.waiting(), inboundQueue.pauses(), outbound.unknownResponses(), inbound.invalidMessages(),
                inbound.framingErrors(), inbound.repliesNotSent(), outbound.cancelsNotSent());
    }

    @Override
    public String toString() {
        return "Endpoint[" + transport.name() + (closed.get() ? ", closed" : "") + "]";
    }

    /**
     * Settings for endpoints. A builder can connect any number of transports, each getting an
     * endpoint with the same settings and handlers.
     */
    public static final class Builder {
        private ObjectMapper mapper = new ObjectMapper();
        private Executor executor = DefaultExecutor.instance();
        private Duration defaultTimeout = Duration.ofSeconds(30);
        private final HandlerRegistry handlers = new HandlerRegistry();
        private RequestHandler fallbackHandler;
        private int maxConcurrentRequests = 64;
        private int maxQueuedIncoming = 1024;
        private Duration closeGrace = Duration.ofSeconds(10);
        private Dialect dialect = Dialect.LSP;
        private CallListener callListener;

        private Builder() {
        }

        /**
         * Tells {@code listener} about every call the endpoint sends and every request of the peer
         * its handlers handle (replacing a listener set before). Its methods run on the threads
         * where things happen, the transport's I/O thread among them: they must be quick and never
         * block (see {@link CallListener}). Without one (the default), the endpoint reports nothing
         * and pays nothing for it.
         */
        public Builder callListener(CallListener listener) {
            this.callListener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * The dialect of cancellations, progress and logs (default {@link Dialect#LSP}): what a
         * cancelled or timed-out call sends the peer ({@value ProtocolMethods#CANCEL_REQUEST} or
         * {@value ProtocolMethods#MCP_CANCELLED}), and what a handler's progress and log reports
         * become. Whatever the dialect, the peer's cancellations are obeyed in both.
         */
        public Builder dialect(Dialect dialect) {
            this.dialect = Objects.requireNonNull(dialect, "dialect");
            return this;
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

        /** How long {@link Endpoint#close()} lets pending calls and running handlers finish (default 10 s). */
        public Builder closeGrace(Duration grace) {
            Objects.requireNonNull(grace, "grace");
            if (grace.isNegative()) {
                throw new IllegalArgumentException("closeGrace must not be negative, not " + grace);
            }
            this.closeGrace = grace;
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
            OutboundCalls.requirePositive(timeout);
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
            handlers.handler(Objects.requireNonNull(method, "method"), handler);
            return this;
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
            handlers.service(service, mapper);
            return this;
        }

        /** Starts an endpoint on {@code transport}. */
        public Endpoint connect(Transport transport) {
            return connect(transport, null);
        }

        /** Starts an endpoint on {@code transport} that also reports to {@code addedListener} ({@code null}: none). */
        private Endpoint connect(Transport transport, CallListener addedListener) {
            return new Endpoint(this, Objects.requireNonNull(transport, "transport"), addedListener).start();
        }
    }
}
