package dev.piperpc.queue.internal;

import dev.piperpc.queue.QueueSendException;
import dev.piperpc.queue.QueueWire;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchResponse;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * Everything a queue worker sends to SQS: answers and notifications to reply queues go through an
 * {@link SqsSender} (its thread {@code piperpc-sqs-send}), deletes from the request queue through
 * an {@link SqsDeleter} ({@code piperpc-sqs-delete}), and visibility changes are made by one
 * thread of their own ({@code piperpc-sqs-visibility}), as few batch requests as SQS allows.
 */
final class SqsOutbox {

    private static final Logger log = LoggerFactory.getLogger(SqsOutbox.class);
    private static final int MAX_ENTRIES = 10;
    /**
     * How long a delete may wait for others to share its request. It is on no call's path: the
     * answer has left and the slot is free; the message stays held (recognised if redelivered).
     */
    private static final Duration DELETE_DELAY = Duration.ofMillis(50);

    /**
     * Changes the visibility of the message whose handle {@code handle} gives, unless {@code skip}
     * says by then that it is no longer needed (the message was answered and is being deleted).
     */
    record Visibility(Supplier<String> handle, int seconds, BooleanSupplier skip) {
    }

    /** What happened to a reply. */
    interface Done {
        void sent(boolean ok);
    }

    /** How long a part batch of answers waits for the answers of requests just received. */
    static final Duration ANSWER_LINGER = Duration.ofMillis(3);

    private final SqsClient sqs;
    private final String requestQueueUrl;
    private final WorkerCounters counters;
    private final SqsMeter meter;
    private final ClaimCheck claims;
    private final SqsSender replies;
    private final SqsDeleter deletes;
    private final LinkedBlockingQueue<Visibility> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    /** Changes queued or being sent: counted before they are queued, so that a change just taken is not missed. */
    private final AtomicInteger unsentChanges = new AtomicInteger();
    private volatile boolean closing;

    /**
     * @param answersComing how many answers are about to be sent: requests received a moment ago
     *                      and still running (a part batch of answers waits a little for them)
     */
    SqsOutbox(SqsClient sqs, String requestQueueUrl, WorkerCounters counters, SqsMeter meter, ClaimCheck claims,
              IntSupplier answersComing) {
        this.sqs = sqs;
        this.requestQueueUrl = requestQueueUrl;
        this.counters = counters;
        this.meter = meter;
        this.claims = claims;
        // Unbounded here: notifications are bounded by each connection, answers by the worker's slots.
        this.replies = new SqsSender(sqs, meter, claims, "piperpc-sqs", 1, Integer.MAX_VALUE / 2);
        replies.lingerWhile(ANSWER_LINGER, answersComing);
        replies.start();
        this.deletes = new SqsDeleter(sqs, meter, requestQueueUrl, "piperpc-sqs-delete", DELETE_DELAY,
                counters.leasesLost::addAndGet);
        this.thread = new Thread(this::loop, "piperpc-sqs-visibility");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Sends {@code json} to the reply queue {@code queueUrl}, through the blob store when it is
     * above the threshold (claim-check: the manager deletes the stored text); {@code done} is
     * told, on the sending thread, whether SQS took it.
     *
     * @throws QueueSendException if it is too big for SQS and there is no blob store, or the store failed
     */
    void reply(String queueUrl, byte[] json, Done done) {
        ClaimCheck.Body body = claims.encode(json, QueueWire.MAX_BODY_BYTES);
        Map<String, MessageAttributeValue> attributes = new HashMap<>(2);
        int size = json.length;
        if (body.blobLocation() != null) {
            size = body.text().getBytes(StandardCharsets.UTF_8).length
                    + Outgoing.attribute(attributes, QueueWire.BLOB, body.blobLocation());
        }
        replies.offer(new Outgoing(queueUrl, body.text(), size, attributes, true,
                () -> done.sent(true), error -> {
                    counters.repliesFailed.incrementAndGet();
                    log.warn("a message to {} was not sent: {}", queueUrl, error.getMessage());
                    done.sent(false);
                }, body.blobLocation()));
    }

    /** Deletes the message whose handle {@code handle} gives when the delete is made, then runs {@code after}. */
    void delete(Supplier<String> handle, Runnable after) {
        deletes.delete(handle, after);
    }

    /** Queues a {@link Visibility} change. */
    void change(Visibility change) {
        unsentChanges.incrementAndGet();
        queue.add(change);
    }

    /** Waits at most {@code millis} until nothing is queued or being sent; whether that happened. */
    boolean awaitIdle(long millis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        if (!replies.awaitIdle(millis)) {
            return false;
        }
        if (!deletes.flush(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())))) {
            return false;
        }
        while (unsentChanges.get() > 0) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            Thread.sleep(2);
        }
        return true;
    }

    /** Stops the threads; what is still queued is dropped. */
    void close() {
        closing = true;
        replies.closeAndDrain();
        deletes.close();
        thread.interrupt();
    }

    private void loop() {
        List<Visibility> batch = new ArrayList<>();
        while (!closing) {
            try {
                batch.add(queue.take());
                queue.drainTo(batch, 1000);
                send(batch);
            } catch (InterruptedException e) {
                if (closing) {
                    return;
                }
            } catch (RuntimeException e) {
                log.error("sending to SQS failed", e);
            } finally {
                unsentChanges.addAndGet(-batch.size());
                batch.clear();
            }
        }
    }

    private void send(List<Visibility> operations) {
        List<Visibility> changes = new ArrayList<>();
        for (Visibility change : operations) {
            if (!change.skip().getAsBoolean()) {
                changes.add(change);
            }
        }
        for (int i = 0; i < changes.size(); i += MAX_ENTRIES) {
            changeVisibility(changes.subList(i, Math.min(changes.size(), i + MAX_ENTRIES)));
        }
    }

    private void changeVisibility(List<Visibility> changes) {
        List<ChangeMessageVisibilityBatchRequestEntry> entries = new ArrayList<>();
        for (int i = 0; i < changes.size(); i++) {
            entries.add(ChangeMessageVisibilityBatchRequestEntry.builder().id(Integer.toString(i))
                    .receiptHandle(changes.get(i).handle().get()).visibilityTimeout(changes.get(i).seconds()).build());
        }
        try {
            meter.request();
            ChangeMessageVisibilityBatchResponse response =
                    sqs.changeMessageVisibilityBatch(b -> b.queueUrl(requestQueueUrl).entries(entries));
            for (BatchResultErrorEntry failure : response.failed()) {
                if (changes.get(Integer.parseInt(failure.id())).skip().getAsBoolean()) {
                    // Answered and deleted meanwhile: the renewal was no longer needed.
                    continue;
                }
                counters.leasesLost.incrementAndGet();
                log.warn("lease lost: visibility change refused: {} {}", failure.code(), failure.message());
            }
        } catch (SdkException e) {
            counters.leasesLost.addAndGet(entries.size());
            log.warn("lease lost: changing the visibility of {} messages failed: {}", entries.size(), e.toString());
        }
    }
}
