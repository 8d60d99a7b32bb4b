package dev.piperpc.queue;

import dev.piperpc.core.BackpressureException;
import dev.piperpc.core.Batch;
import dev.piperpc.core.Call;
import dev.piperpc.core.Endpoint;
import dev.piperpc.core.Params;
import dev.piperpc.core.Rpc;
import dev.piperpc.core.internal.EndpointAccess;
import dev.piperpc.core.message.Id;
import dev.piperpc.queue.internal.ClaimCheck;
import dev.piperpc.queue.internal.ReplyQueues;
import dev.piperpc.queue.internal.SqsMeter;
import dev.piperpc.queue.internal.SqsTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.lang.reflect.Type;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The manager's side of piperpc over Amazon SQS: calls go to a request queue that any number of
 * worker hosts consume, and their answers come back on a reply queue of this client's own. It
 * offers the same call styles as a {@code WorkerPool}, so a manager moves to the queue by building
 * this instead:
 *
 * <pre>{@code
 * try (QueueClient rpc = QueueClient.builder(requestQueueUrl).build()) {
 *     int sum = rpc.call("add", Params.of(1, 2), Integer.class);
 * }
 * }</pre>
 *
 * <p>Each message body is one JSON-RPC request, notification or batch; its attributes name the
 * reply queue and the call's deadline ({@link QueueWire}). Sends are queued in a bounded outbox
 * ({@link Builder#maxQueuedRequests}) and sent by sender threads, which put whatever is queued (up
 * to ten messages) into one {@code SendMessageBatch} without waiting for more. One receiver thread
 * long-polls the reply queue. A call whose message SQS refused, or that is too big for SQS, ends
 * with {@link QueueSendException}; an answer that comes twice, or after its call ended, is ignored
 * and counted ({@link QueueClientStats#ignoredResponses()}). With a {@link Builder#blobStore blob
 * store}, a text too big for a message travels through the store instead (claim-check), both ways.
 *
 * <p>The reply queue is created by {@link Builder#build()}, carries a heartbeat tag refreshed
 * while the client lives, and is deleted by {@link #close()}. Reply queues of managers that died
 * are removed by {@link #sweep}. All methods are thread-safe.
 */
public final class QueueClient implements Rpc, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(QueueClient.class);

    private final String requestQueueUrl;
    private final SqsClient sqs;
    private final boolean ownsSqs;
    private final SqsTransport transport;
    private final Endpoint endpoint;
    private final Duration closeGrace;
    private final AtomicBoolean sqsClosed = new AtomicBoolean();
    private final QueueClientListener listener;
    private final AtomicBoolean closeTold = new AtomicBoolean();

    private QueueClient(Builder builder, SqsClient sqs, boolean ownsSqs) {
        this.requestQueueUrl = builder.requestQueueUrl;
        this.sqs = sqs;
        this.ownsSqs = ownsSqs;
        this.closeGrace = builder.closeGrace;
        this.listener = builder.listener;
        this.transport = SqsTransport.open(sqs, requestQueueUrl, builder.replyQueuePrefix, builder.senders,
                builder.maxQueuedRequests, builder.heartbeat, new ClaimCheck(builder.blobStore, builder.blobThreshold),
                builder.traceContext);
        Endpoint started;
        try {
            started = EndpointAccess.connect(builder.endpoint, transport, listener);
        } catch (RuntimeException e) {
            transport.close();
            throw e;
        }
        this.endpoint = started;
        transport.answersToCome(() -> started.stats().callsPending());
    }

    /** A builder for a client that sends its calls to the queue at {@code requestQueueUrl}. */
    public static Builder builder(String requestQueueUrl) {
        return new Builder(requestQueueUrl);
    }

    /**
     * Deletes the reply queues whose names start with {@code prefix} and whose heartbeat is older
     * than {@code staleAfter}: those of clients that ended without closing. Queues with no
     * heartbeat tag are left alone. Choose {@code staleAfter} well above the clients' heartbeat
     * period (a few periods at least).
     *
     * @param sqs        the client to use (not closed here)
     * @param prefix     the reply queue prefix of the clients whose queues are swept
     * @param staleAfter how old a heartbeat must be for its queue to go
     * @return the URLs of the queues deleted
     * @throws IllegalArgumentException if {@code prefix} is not a valid prefix or {@code staleAfter} is negative
     */
    public static List<String> sweep(SqsClient sqs, String prefix, Duration staleAfter) {
        Objects.requireNonNull(sqs, "sqs");
        requireValidPrefix(prefix);
        Objects.requireNonNull(staleAfter, "staleAfter");
        if (staleAfter.isNegative()) {
            throw new IllegalArgumentException("staleAfter must not be negative, not " + staleAfter);
        }
        return ReplyQueues.sweep(sqs, prefix, staleAfter);
    }

    // ---------------------------------------------------------------- calls

    /**
     * {@inheritDoc}
     *
     * @throws BackpressureException if the outbox holds {@link Builder#maxQueuedRequests} messages (nothing was sent)
     */
    @Override
    public <T> Call<T> send(String method, Params params, Class<T> resultType) {
        return endpoint.send(method, params, resultType);
    }

    /**
     * {@inheritDoc}
     *
     * @throws BackpressureException if the outbox holds {@link Builder#maxQueuedRequests} messages (nothing was sent)
     */
    @Override
    public <T> Call<T> send(String method, Params params, Class<T> resultType, Duration timeout) {
        return endpoint.send(method, params, resultType, timeout);
    }

    /**
     * {@inheritDoc}
     *
     * @throws BackpressureException if the outbox holds {@link Builder#maxQueuedRequests} messages (nothing was sent)
     */
    @Override
    public <T> Call<T> send(String method, Params params, Type resultType, Duration timeout) {
        return endpoint.send(method, params, resultType, timeout);
    }

    /**
     * {@inheritDoc}
     *
     * @throws BackpressureException if the outbox holds {@link Builder#maxQueuedRequests} messages (nothing was sent)
     */
    @Override
    public <T> Call<T> send(Id id, String method, Params params, Type resultType, Duration timeout) {
        return endpoint.send(id, method, params, resultType, timeout);
    }

    /**
     * {@inheritDoc} The message names no reply queue.
     *
     * @throws BackpressureException if the outbox holds {@link Builder#maxQueuedRequests} messages (nothing was sent)
     * @throws QueueSendException    if the notification is too big for SQS
     */
    @Override
    public void notify(String method, Params params) {
        endpoint.notify(method, params);
    }

    /** Starts a batch: its calls and notifications travel as one JSON-RPC batch in one SQS message. */
    public Batch batch() {
        return endpoint.batch();
    }

    @Override
    public Duration defaultCallTimeout() {
        return endpoint.defaultCallTimeout();
    }

    // ---------------------------------------------------------------- state

    /** The URL of the queue calls go to. */
    public String requestQueueUrl() {
        return requestQueueUrl;
    }

    /** The URL of this client's reply queue (deleted once the client is closed). */
    public String replyQueueUrl() {
        return transport.replyQueueUrl();
    }

    /** Whether the client has closed. */
    public boolean isClosed() {
        return endpoint.isClosed();
    }

    /** A snapshot of the counters. */
    public QueueClientStats stats() {
        SqsMeter meter = transport.meter();
        return new QueueClientStats(endpoint.stats(), meter.requests(), meter.sendRequests(), meter.messagesSent(),
                meter.messagesNotSent(), transport.queued(), meter.receiveRequests(), meter.messagesReceived(),
                meter.deleteRequests(), meter.unreadable());
    }

    // ---------------------------------------------------------------- lifecycle

    /**
     * Closes in order: new calls fail at once, pending calls may finish within the close grace
     * ({@link Builder#closeGrace}), then the rest fail; what waits in the outbox is sent, the
     * receiver stops and the reply queue is deleted. Returns when closed; idempotent.
     */
    @Override
    public void close() {
        close(closeGrace);
    }

    /** Closes in order, giving pending calls up to {@code grace}; see {@link #close()}. */
    public void close(Duration grace) {
        Objects.requireNonNull(grace, "grace");
        try {
            endpoint.close(grace);
        } finally {
            closeSqs();
            closed();
        }
    }

    /**
     * Closes at once: pending calls fail, what waits in the outbox is dropped, and the reply queue
     * is deleted. Idempotent.
     */
    public void closeNow() {
        try {
            transport.discardQueued();
            endpoint.closeNow();
        } finally {
            closeSqs();
            closed();
        }
    }

    private void closeSqs() {
        if (ownsSqs && sqsClosed.compareAndSet(false, true)) {
            sqs.close();
        }
    }

    /** Tells the listener, once, that the client has closed. */
    private void closed() {
        if (listener != null && closeTold.compareAndSet(false, true)) {
            tell("clientClosed", () -> listener.clientClosed(this));
        }
    }

    /** Tells the listener of the client's start. */
    private QueueClient started() {
        if (listener != null) {
            tell("clientStarted", () -> listener.clientStarted(this));
        }
        return this;
    }

    /** Runs one of the listener's methods; what it throws is logged, and the client goes on. */
    private void tell(String event, Runnable call) {
        try {
            call.run();
        } catch (RuntimeException | Error e) {
            log.warn("a queue client listener threw in {}; the client goes on", event, e);
        }
    }

    @Override
    public String toString() {
        return "QueueClient[" + requestQueueUrl + (isClosed() ? ", closed" : "") + "]";
    }

    private static void requireValidPrefix(String prefix) {
        Objects.requireNonNull(prefix, "prefix");
        if (!ReplyQueues.isValidPrefix(prefix)) {
            throw new IllegalArgumentException("a reply queue prefix must be 1 to " + ReplyQueues.MAX_PREFIX_LENGTH
                    + " letters, digits, '-' or '_', not '" + prefix + "'");
        }
    }

    /** Settings of a {@link QueueClient}. */
    public static final class Builder {
        private final String requestQueueUrl;
        private SqsClient sqs;
        private Endpoint.Builder endpoint = Endpoint.builder();
        private int senders = 2;
        private int maxQueuedRequests = 1024;
        private String replyQueuePrefix = "piperpc-reply-";
        private Duration heartbeat = Duration.ofSeconds(60);
        private Duration closeGrace = Duration.ofSeconds(10);
        private BlobStore blobStore;
        private int blobThreshold = QueueWire.DEFAULT_BLOB_THRESHOLD;
        private Supplier<String> traceContext;
        private QueueClientListener listener;

        private Builder(String requestQueueUrl) {
            Objects.requireNonNull(requestQueueUrl, "requestQueueUrl");
            if (requestQueueUrl.isBlank()) {
                throw new IllegalArgumentException("the request queue URL is blank");
            }
            this.requestQueueUrl = requestQueueUrl;
        }

        /**
         * The SQS client to use; it stays the caller's and is not closed by the client. Without
         * one, the client makes its own with {@link SqsClients#fromEnvironment()} and closes it
         * when it closes.
         */
        public Builder sqs(SqsClient sqs) {
            this.sqs = Objects.requireNonNull(sqs, "sqs");
            return this;
        }

        /**
         * The connection settings, as a {@code WorkerPool} takes them: call timeout (default 30
         * s), mapper, executor, inbound bounds, and the handlers for the requests and
         * notifications workers send up, such as {@code $/progress} from
         * {@code WorkerContext.progress}. Default: {@link Endpoint#builder()} as it comes. The
         * client never changes the builder; how long {@link QueueClient#close()} waits is
         * {@link #closeGrace}.
         */
        public Builder endpoint(Endpoint.Builder endpoint) {
            this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
            return this;
        }

        /** How many threads send to SQS (default 2); each has at most one request under way. */
        public Builder senders(int senders) {
            if (senders < 1 || senders > 64) {
                throw new IllegalArgumentException("senders must be between 1 and 64, not " + senders);
            }
            this.senders = senders;
            return this;
        }

        /**
         * How many requests and notifications may wait to be sent (default 1024); beyond that,
         * sending throws {@link BackpressureException}.
         */
        public Builder maxQueuedRequests(int max) {
            if (max < 1) {
                throw new IllegalArgumentException("maxQueuedRequests must be positive, not " + max);
            }
            this.maxQueuedRequests = max;
            return this;
        }

        /**
         * How the reply queue's name starts (default {@code piperpc-reply-}); a random suffix
         * follows. {@link #sweep} finds queues by it.
         */
        public Builder replyQueuePrefix(String prefix) {
            requireValidPrefix(prefix);
            this.replyQueuePrefix = prefix;
            return this;
        }

        /** How often the reply queue's heartbeat tag is refreshed (default 60 s). */
        public Builder heartbeat(Duration period) {
            this.heartbeat = positive(period, "heartbeat");
            return this;
        }

        /** How long {@link QueueClient#close()} lets pending calls finish (default 10 s). */
        public Builder closeGrace(Duration grace) {
            Objects.requireNonNull(grace, "closeGrace");
            if (grace.isNegative()) {
                throw new IllegalArgumentException("closeGrace must not be negative, not " + grace);
            }
            this.closeGrace = grace;
            return this;
        }

        /**
         * Where texts too big for a message go (claim-check): a request or notification above the
         * {@link #blobThreshold} (or too big for SQS beside its attributes) is stored there and its
         * message carries only a pointer ({@link QueueWire#BLOB}); an answer that arrives as a
         * pointer is read from it before the call sees it, and deleted once its message is. The
         * workers need the same store ({@code PIPERPC_BLOB_STORE}). The store stays the caller's:
         * the client does not close it. Without one (the default), a text too big for SQS ends its
         * call at once with {@link QueueSendException}.
         */
        public Builder blobStore(BlobStore store) {
            this.blobStore = Objects.requireNonNull(store, "store");
            return this;
        }

        /**
         * Texts above this many bytes go to the {@link #blobStore} when there is one (default
         * {@value QueueWire#DEFAULT_BLOB_THRESHOLD}, 256 KiB); at most 1 MiB less 1 KiB.
         */
        public Builder blobThreshold(int bytes) {
            this.blobThreshold = checkBlobThreshold(bytes);
            return this;
        }

        /**
         * Where a call's W3C trace context comes from: asked on the calling thread as each request
         * or notification is sent, its answer (a {@code traceparent} value such as
         * {@code 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01}) travels as the message's
         * {@link QueueWire#TRACEPARENT} attribute, for the worker's tracing to continue the trace;
         * {@code null} or blank: none for that message. With OpenTelemetry, for instance, a supplier
         * that injects {@code Context.current()} into a map with the W3C propagator and returns its
         * {@code traceparent} entry. Default: no trace context.
         */
        public Builder traceContext(Supplier<String> traceparent) {
            this.traceContext = Objects.requireNonNull(traceparent, "traceparent");
            return this;
        }

        /**
         * Tells {@code listener} about the client's calls and notifications (with how each ended
         * and how long it took, refusals of the full outbox included) and about its start and close
         * (see {@link QueueClientListener}). The endpoint builder's own
         * {@link Endpoint.Builder#callListener call listener}, if it has one, is told about the
         * calls too. Its methods run on the client's receiver thread among others: they must be
         * quick and never block.
         */
        public Builder listener(QueueClientListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * Creates the reply queue and starts the client's threads.
         *
         * @throws software.amazon.awssdk.core.exception.SdkException if the reply queue cannot be created
         */
        public QueueClient build() {
            boolean owns = sqs == null;
            SqsClient client = owns ? SqsClients.fromEnvironment() : sqs;
            try {
                return new QueueClient(this, client, owns).started();
            } catch (RuntimeException e) {
                if (owns) {
                    client.close();
                }
                throw e;
            }
        }

        static int checkBlobThreshold(int bytes) {
            int max = QueueWire.MAX_BODY_BYTES - 1024;
            if (bytes < 1 || bytes > max) {
                throw new IllegalArgumentException("blobThreshold must be between 1 and " + max + " bytes, not " + bytes);
            }
            return bytes;
        }

        private static Duration positive(Duration duration, String what) {
            Objects.requireNonNull(duration, what);
            if (duration.isNegative() || duration.isZero()) {
                throw new IllegalArgumentException(what + " must be positive, not " + duration);
            }
            return duration;
        }
    }
}
