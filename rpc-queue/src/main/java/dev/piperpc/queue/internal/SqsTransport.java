package dev.piperpc.queue.internal;

import dev.piperpc.core.ConnectionClosedException;
import dev.piperpc.core.transport.Transport;
import dev.piperpc.queue.QueueSendException;
import dev.piperpc.queue.QueueWire;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * A transport whose frames are SQS message bodies: what the endpoint sends goes to the request
 * queue (through the {@link SqsSender} and its threads), what arrives on this client's own reply
 * queue is delivered to the endpoint (by the receiver thread). It owns the reply queue: it keeps
 * its heartbeat fresh and deletes it when it closes.
 */
public final class SqsTransport implements Transport {

    private static final Logger log = LoggerFactory.getLogger(SqsTransport.class);

    private static final Duration SENDERS_STOP_WAIT = Duration.ofSeconds(10);
    /** Longer than a long poll, so a receiver that missed its wake-up still ends in time. */
    private static final Duration RECEIVER_STOP_WAIT = Duration.ofSeconds(QueueWire.MAX_WAIT_SECONDS + 5);
    private static final String WAKE_UP = "{\"jsonrpc\":\"2.0\",\"method\":\"$/piperpc/wakeUp\"}";

    private final SqsClient sqs;
    private final String requestQueueUrl;
    private final String replyQueueUrl;
    private final SqsMeter meter;
    private final ClaimCheck claims;
    private final SqsSender outbox;
    private final ReplyReceiver receiver;
    private final Duration heartbeat;
    private final ScheduledExecutorService heartbeats;
    private final String name;
    private final Supplier<String> traceContext;
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();

    private SqsTransport(SqsClient sqs, String requestQueueUrl, String replyQueueUrl, SqsMeter meter, int senderCount,
                         int maxQueued, Duration heartbeat, ClaimCheck claims, Supplier<String> traceContext) {
        this.sqs = sqs;
        this.traceContext = traceContext;
        this.requestQueueUrl = requestQueueUrl;
        this.replyQueueUrl = replyQueueUrl;
        this.meter = meter;
        this.claims = claims;
        this.name = "sqs " + requestQueueUrl;
        String threads = "piperpc-queue-" + replyQueueUrl.substring(replyQueueUrl.lastIndexOf('/') + 1);
        this.outbox = new SqsSender(sqs, meter, claims, threads, senderCount, maxQueued);
        this.receiver = new ReplyReceiver(sqs, replyQueueUrl, meter, claims, threads + "-receive");
        this.heartbeat = heartbeat;
        this.heartbeats = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, threads + "-heartbeat");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Creates a reply queue named {@code replyQueuePrefix} and a random suffix, and a transport
     * that sends to {@code requestQueueUrl} and reads that reply queue once started; {@code claims}
     * says which texts travel as pointers to a blob store, both ways; {@code traceContext} (or
     * {@code null}) gives the {@code traceparent} of each request and notification sent.
     *
     * @throws SdkException if the reply queue cannot be created
     */
    public static SqsTransport open(SqsClient sqs, String requestQueueUrl, String replyQueuePrefix, int senders, int maxQueued,
                                    Duration heartbeat, ClaimCheck claims, Supplier<String> traceContext) {
        SqsMeter meter = new SqsMeter();
        String replyQueueUrl = ReplyQueues.create(sqs, replyQueuePrefix, meter);
        return new SqsTransport(sqs, requestQueueUrl, replyQueueUrl, meter, senders, maxQueued, heartbeat, claims, traceContext);
    }

    /** The URL of this transport's reply queue. */
    public String replyQueueUrl() {
        return replyQueueUrl;
    }

    /** What this transport asked of SQS. */
    public SqsMeter meter() {
        return meter;
    }

    /** Messages waiting in the outbox. */
    public int queued() {
        return outbox.size();
    }

    /** Tells the receiver how many answers are still to come, so a burst's answers are gathered. */
    public void answersToCome(LongSupplier pending) {
        receiver.answersToCome(pending);
    }

    @Override
    public void start(Listener listener) {
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException(name + " already started");
        }
        outbox.start();
        receiver.start(listener);
        long period = heartbeat.toMillis();
        heartbeats.scheduleAtFixedRate(() -> ReplyQueues.beat(sqs, replyQueueUrl, meter), period, period,
                TimeUnit.MILLISECONDS);
    }

    /** A notification of ours: it expects nothing back, so it names no reply queue. */
    @Override
    public void send(byte[] json) {
        outbox.offer(message(json, false, 0, false, null));
    }

    @Override
    public void send(byte[] json, long deadlineNanos, Consumer<RuntimeException> notSent) {
        long deadlineMillis = System.currentTimeMillis() + TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
        outbox.offer(message(json, true, deadlineMillis, false, notSent));
    }

    /** A cancellation or an answer: it names the reply queue, so the worker knows whose ids it speaks of. */
    @Override
    public void sendControl(byte[] json) {
        outbox.offer(message(json, true, 0, true, null));
    }

    /**
     * The one place that turns a JSON text into a message for SQS: a text above the blob
     * threshold, or too big for SQS beside its attributes, is stored and travels as a pointer
     * ({@link QueueWire#BLOB}); without a blob store, what SQS would refuse for its size is refused.
     *
     * @throws QueueSendException if the message is too big for SQS and there is no blob store, or the store failed
     */
    private Outgoing message(byte[] json, boolean replyTo, long deadlineMillis, boolean control,
                             Consumer<RuntimeException> notSent) {
        if (closed.get()) {
            throw new ConnectionClosedException(name + " is closed");
        }
        Map<String, MessageAttributeValue> attributes = new HashMap<>(4);
        int attributesSize = 0;
        if (replyTo) {
            attributesSize += Outgoing.attribute(attributes, QueueWire.REPLY_TO, replyQueueUrl);
        }
        if (deadlineMillis > 0) {
            attributesSize += Outgoing.attribute(attributes, QueueWire.DEADLINE, Long.toString(deadlineMillis));
        }
        if (!control && traceContext != null) {
            String traceparent = traceContext.get();
            if (traceparent != null && !traceparent.isBlank()) {
                attributesSize += Outgoing.attribute(attributes, QueueWire.TRACEPARENT, traceparent);
            }
        }
        ClaimCheck.Body body = claims.encode(json, QueueWire.MAX_BODY_BYTES - attributesSize);
        int size = json.length + attributesSize;
        if (body.blobLocation() != null) {
            size = body.text().getBytes(StandardCharsets.UTF_8).length + attributesSize
                    + Outgoing.attribute(attributes, QueueWire.BLOB, body.blobLocation());
        }
        return new Outgoing(requestQueueUrl, body.text(), size, attributes, control, null, notSent, body.blobLocation());
    }

    @Override
    public boolean isWritable() {
        return outbox.isWritable();
    }

    @Override
    public void setReading(boolean reading) {
        receiver.setReading(reading);
    }

    /** Drops what waits in the outbox (closing at once); whoever waits for it is told. */
    public void discardQueued() {
        List<Outgoing> dropped = outbox.closeAndDrain();
        for (Outgoing message : dropped) {
            if (message.notSent() != null) {
                message.notSent().accept(new ConnectionClosedException(name + " closed before the message was sent"));
            }
        }
    }

    /**
     * Sends what waits in the outbox, stops the receiver (waking its long poll with a message to
     * the reply queue), then deletes the reply queue. Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        heartbeats.shutdownNow();
        outbox.close();
        try {
            if (started.get()) {
                if (!outbox.join(SENDERS_STOP_WAIT)) {
                    log.warn("{}: senders still busy after {}", name, SENDERS_STOP_WAIT);
                }
                receiver.stop();
                wakeReceiver();
                if (!receiver.join(RECEIVER_STOP_WAIT)) {
                    log.warn("{}: the receiver of {} did not stop within {}", name, replyQueueUrl, RECEIVER_STOP_WAIT);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            ReplyQueues.delete(sqs, replyQueueUrl, meter);
        }
    }

    private void wakeReceiver() {
        try {
            meter.request();
            sqs.sendMessage(b -> b.queueUrl(replyQueueUrl).messageBody(WAKE_UP));
        } catch (SdkException e) {
            log.debug("could not wake the receiver of {}: {}", replyQueueUrl, e.toString());
        }
    }

    @Override
    public String name() {
        return name;
    }
}
