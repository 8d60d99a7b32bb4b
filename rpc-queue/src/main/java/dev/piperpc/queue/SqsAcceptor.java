package dev.piperpc.queue;

import dev.piperpc.core.transport.Acceptor;
import dev.piperpc.core.transport.Transport;
import dev.piperpc.queue.internal.ClaimCheck;
import dev.piperpc.queue.internal.QueueListener;
import dev.piperpc.queue.internal.WorkerCounters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The worker side of a request queue: an {@link Acceptor} whose connections are the managers that
 * put requests on the queue, one per reply queue (ids are each manager's own, and a method's
 * progress and log notifications go to its caller's reply queue). A worker listens on it with
 * {@code PIPERPC_LISTEN=sqs:<queue URL>} or {@code Worker.builder().listen(acceptor)}.
 *
 * <p>The rules it keeps, so that each request has its effect once and nothing is lost:
 * <ul>
 *   <li>It receives (long poll, 20 s, at most 10) only as many messages as it has free slots:
 *       the worker's concurrency minus the request messages running (an answered message frees
 *       its slot, and is held until its delete is done). While calls run, a receive waits up to
 *       10 ms for a full batch of free slots (ten, or the concurrency if lower).</li>
 *   <li>A held message has a lease: its visibility is set again to the queue's visibility
 *       timeout (at most 12 h) every third of that timeout, in batches.</li>
 *   <li>A message is deleted only after its answer was sent to the reply queue (a batch after
 *       its batch answer); a message of notifications only once it was handed to the worker.</li>
 *   <li>A redelivered message that still runs here is not run twice; its new receipt handle
 *       replaces the old one.</li>
 *   <li>A message past its {@link QueueWire#DEADLINE} is deleted unrun.</li>
 *   <li>A message received more than {@link Builder#poisonAfter} times is answered with the error
 *       {@value #POISON_ERROR_CODE} and left undeleted, for the queue's dead-letter queue
 *       ({@code RedrivePolicy}) to take; so is a body that is not JSON-RPC (answered with -32700 or -32600
 *       when an id can be read).</li>
 *   <li>With a {@link Builder#blobStore blob store} (claim-check), a request that arrives as a
 *       pointer ({@link QueueWire#BLOB}) is read from the store before anything else sees it, and
 *       its stored text is deleted after the message is; an answer above the
 *       {@link Builder#blobThreshold} is stored and sent as a pointer (the manager deletes it). A
 *       pointer whose text cannot be read (no store here, the blob gone, the store failing) is
 *       answered with an error when it tells the request's id, counted as malformed, and left
 *       for the dead-letter queue. Without a store, an answer too big for SQS is replaced by an
 *       error answer.</li>
 *   <li>A delete or visibility change refused for a stale receipt handle means the lease was
 *       lost: it is logged and counted, never a failure of the call.</li>
 *   <li>{@link #stopAccepting()} stops receiving; messages received after it are made visible
 *       again at once. {@link #close(Duration)} lets the answers of running calls leave and their
 *       messages be deleted, then hands back what is still held.</li>
 * </ul>
 * A message that holds a JSON-RPC batch takes one slot.
 */
public final class SqsAcceptor implements Acceptor {

    /** The error code of the answer to a request given up as poison (received too often). */
    public static final int POISON_ERROR_CODE = -32603;

    private static final Logger log = LoggerFactory.getLogger(SqsAcceptor.class);

    private final String queueUrl;
    private final WorkerCounters counters = new WorkerCounters();
    private final QueueListener listener;
    private final BlobStore ownedBlobStore;

    private SqsAcceptor(Builder builder) {
        this.queueUrl = builder.queueUrl;
        this.listener = new QueueListener(builder.sqs, builder.ownsClient, queueUrl, builder.concurrency,
                builder.poisonAfter, builder.idleAfter, (int) builder.pollWait.toSeconds(), counters,
                new ClaimCheck(builder.blobStore, builder.blobThreshold));
        this.ownedBlobStore = builder.ownsBlobStore ? builder.blobStore : null;
    }

    /** A builder for an acceptor on the request queue {@code queueUrl}, using {@code sqs}. */
    public static Builder builder(SqsClient sqs, String queueUrl) {
        return new Builder(sqs, queueUrl);
    }

    @Override
    public void start(Consumer<Transport> onConnection) {
        listener.start(Objects.requireNonNull(onConnection, "onConnection"));
    }

    @Override
    public void stopAccepting() {
        listener.stopAccepting();
    }

    @Override
    public void close(Duration grace) {
        try {
            listener.close(grace);
        } finally {
            if (ownedBlobStore != null) {
                ownedBlobStore.close();
            }
        }
        log.info("stopped listening on {}: {}", queueUrl, stats());
    }

    @Override
    public String name() {
        return "sqs:" + queueUrl;
    }

    /** A snapshot of the counters. */
    public Stats stats() {
        return new Stats(counters.received.get(), counters.answered.get(), counters.duplicates.get(), counters.cancelled.get(),
                counters.expired.get(),
                counters.poison.get(), counters.malformed.get(), counters.leasesLost.get(), counters.repliesFailed.get(),
                listener.held());
    }

    /**
     * The counters of an acceptor.
     *
     * @param received      messages received (redeliveries of messages held here not counted)
     * @param answered      requests whose answer was sent
     * @param duplicates    redeliveries of messages running here, not run again
     * @param cancelled     requests cancelled by their caller while running here, or before they arrived (deleted unrun)
     * @param expired       messages past their deadline, deleted unrun
     * @param poison        messages received too often, answered with an error and left for the dead-letter queue
     * @param malformed     bodies that are not JSON-RPC, or whose stored text (claim-check) cannot be read; not run
     * @param leasesLost    deletes and visibility changes refused (a stale receipt handle)
     * @param repliesFailed answers that could not be sent to their reply queue
     * @param held          request messages held now
     */
    public record Stats(long received, long answered, long duplicates, long cancelled, long expired, long poison, long malformed,
                        long leasesLost, long repliesFailed, int held) {
    }

    /** Settings of an {@link SqsAcceptor}. */
    public static final class Builder {
        private final SqsClient sqs;
        private final String queueUrl;
        private boolean ownsClient;
        private int concurrency = Runtime.getRuntime().availableProcessors();
        private int poisonAfter = 5;
        private Duration idleAfter = Duration.ofMinutes(5);
        private Duration pollWait = Duration.ofSeconds(QueueWire.MAX_WAIT_SECONDS);
        private BlobStore blobStore;
        private boolean ownsBlobStore;
        private int blobThreshold = QueueWire.DEFAULT_BLOB_THRESHOLD;

        private Builder(SqsClient sqs, String queueUrl) {
            this.sqs = Objects.requireNonNull(sqs, "sqs");
            this.queueUrl = Objects.requireNonNull(queueUrl, "queueUrl");
        }

        /** How many request messages may be held at once (default: the number of cores); the worker's concurrency. */
        public Builder concurrency(int messages) {
            if (messages <= 0) {
                throw new IllegalArgumentException("concurrency must be positive, not " + messages);
            }
            this.concurrency = messages;
            return this;
        }

        /** How many times a message may be received before it is given up as poison (default 5). */
        public Builder poisonAfter(int receives) {
            if (receives <= 0) {
                throw new IllegalArgumentException("poisonAfter must be positive, not " + receives);
            }
            this.poisonAfter = receives;
            return this;
        }

        /** How long the connection of a manager that sends nothing stays open (default 5 min). */
        public Builder idleAfter(Duration idle) {
            if (Objects.requireNonNull(idle, "idle").isNegative()) {
                throw new IllegalArgumentException("idleAfter must not be negative, not " + idle);
            }
            this.idleAfter = idle;
            return this;
        }

        /**
         * How long one receive waits for messages (a long poll; default and most 20 s, least 1 s).
         * Shorter polls cost more requests while the queue is empty; a stop waits for the poll
         * under way to return, so that what it brings goes back to the queue at once rather than
         * after the visibility timeout: a SIGTERM takes up to this long.
         */
        public Builder pollWait(Duration wait) {
            long seconds = Objects.requireNonNull(wait, "wait").toSeconds();
            if (seconds < 1 || seconds > QueueWire.MAX_WAIT_SECONDS || wait.toNanos() % 1_000_000_000L != 0) {
                throw new IllegalArgumentException("pollWait must be whole seconds from 1 to " + QueueWire.MAX_WAIT_SECONDS + ", not " + wait);
            }
            this.pollWait = wait;
            return this;
        }

        /** Whether closing the acceptor closes the SQS client (default {@code false}). */
        public Builder ownsClient(boolean owns) {
            this.ownsClient = owns;
            return this;
        }

        /**
         * Where texts too big for a message are kept (claim-check): requests that arrive as a
         * pointer are read from it, answers above the {@link #blobThreshold} are stored in it.
         * The managers need the same store. It stays the caller's: the acceptor does not close it.
         */
        public Builder blobStore(BlobStore store) {
            this.blobStore = Objects.requireNonNull(store, "store");
            this.ownsBlobStore = false;
            return this;
        }

        /** A blob store that closing the acceptor closes (one the acceptor opened from a spec). */
        Builder ownedBlobStore(BlobStore store) {
            this.blobStore = Objects.requireNonNull(store, "store");
            this.ownsBlobStore = true;
            return this;
        }

        /**
         * Answers above this many bytes go to the {@link #blobStore} when there is one (default
         * {@value QueueWire#DEFAULT_BLOB_THRESHOLD}, 256 KiB); at most 1 MiB less 1 KiB.
         */
        public Builder blobThreshold(int bytes) {
            this.blobThreshold = QueueClient.Builder.checkBlobThreshold(bytes);
            return this;
        }

        /** The acceptor; it receives nothing until started. */
        public SqsAcceptor build() {
            return new SqsAcceptor(this);
        }
    }
}
