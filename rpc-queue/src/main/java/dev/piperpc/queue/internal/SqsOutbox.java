package dev.piperpc.queue.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchResponse;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchResponse;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Everything a queue worker sends to SQS: answers and notifications to reply queues go through an
 * {@link SqsSender} (its thread {@code piperpc-sqs-send}); deletes and visibility changes on the
 * request queue are made by one thread of its own ({@code piperpc-sqs-lease-ops}). Whatever is
 * queued when a thread comes round goes in as few batch requests as SQS allows, without waiting
 * for more.
 */
final class SqsOutbox {

    private static final Logger log = LoggerFactory.getLogger(SqsOutbox.class);
    private static final int MAX_ENTRIES = 10;

    /** Deletes the message whose handle {@code handle} gives when the delete is made. */
    record Delete(Supplier<String> handle, Runnable after) {
    }

    /** Changes the visibility of the message whose handle {@code handle} gives. */
    record Visibility(Supplier<String> handle, int seconds) {
    }

    /** What happened to a reply. */
    interface Done {
        void sent(boolean ok);
    }

    private final SqsClient sqs;
    private final String requestQueueUrl;
    private final WorkerCounters counters;
    private final SqsMeter meter;
    private final SqsSender replies;
    private final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile boolean closing;
    private volatile boolean busy;

    SqsOutbox(SqsClient sqs, String requestQueueUrl, WorkerCounters counters, SqsMeter meter) {
        this.sqs = sqs;
        this.requestQueueUrl = requestQueueUrl;
        this.counters = counters;
        this.meter = meter;
        // Unbounded here: notifications are bounded by each connection, answers by the worker's slots.
        this.replies = new SqsSender(sqs, meter, "piperpc-sqs", 1, Integer.MAX_VALUE / 2);
        replies.start();
        this.thread = new Thread(this::loop, "piperpc-sqs-lease-ops");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Sends {@code json} to the reply queue {@code queueUrl}; {@code done} is told, on the sending
     * thread, whether SQS took it.
     */
    void reply(String queueUrl, byte[] json, Done done) {
        replies.offer(new Outgoing(queueUrl, new String(json, StandardCharsets.UTF_8), json.length, Map.of(), true,
                () -> done.sent(true), error -> {
                    counters.repliesFailed.incrementAndGet();
                    log.warn("a message to {} was not sent: {}", queueUrl, error.getMessage());
                    done.sent(false);
                }));
    }

    /** Queues a {@link Delete} or a {@link Visibility} change. */
    void add(Object operation) {
        queue.add(operation);
    }

    /** Waits at most {@code millis} until nothing is queued or being sent; whether that happened. */
    boolean awaitIdle(long millis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        if (!replies.awaitIdle(millis)) {
            return false;
        }
        while (!queue.isEmpty() || busy) {
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
        thread.interrupt();
    }

    private void loop() {
        List<Object> batch = new ArrayList<>();
        while (!closing) {
            try {
                Object first = queue.take();
                busy = true;
                batch.add(first);
                queue.drainTo(batch, 1000);
                send(batch);
            } catch (InterruptedException e) {
                if (closing) {
                    return;
                }
            } catch (RuntimeException e) {
                log.error("sending to SQS failed", e);
            } finally {
                batch.clear();
                busy = false;
            }
        }
    }

    private void send(List<Object> operations) {
        List<Delete> deletes = new ArrayList<>();
        List<Visibility> changes = new ArrayList<>();
        for (Object operation : operations) {
            if (operation instanceof Delete delete) {
                deletes.add(delete);
            } else {
                changes.add((Visibility) operation);
            }
        }
        for (int i = 0; i < deletes.size(); i += MAX_ENTRIES) {
            delete(deletes.subList(i, Math.min(deletes.size(), i + MAX_ENTRIES)));
        }
        for (int i = 0; i < changes.size(); i += MAX_ENTRIES) {
            changeVisibility(changes.subList(i, Math.min(changes.size(), i + MAX_ENTRIES)));
        }
    }

    private void delete(List<Delete> deletes) {
        List<DeleteMessageBatchRequestEntry> entries = new ArrayList<>();
        for (int i = 0; i < deletes.size(); i++) {
            entries.add(DeleteMessageBatchRequestEntry.builder().id(Integer.toString(i)).receiptHandle(deletes.get(i).handle().get()).build());
        }
        try {
            meter.deleteRequest();
            DeleteMessageBatchResponse response = sqs.deleteMessageBatch(b -> b.queueUrl(requestQueueUrl).entries(entries));
            leaseLost("delete", response.failed());
        } catch (SdkException e) {
            counters.leasesLost.addAndGet(entries.size());
            log.warn("lease lost: deleting {} messages failed: {}", entries.size(), e.toString());
        }
        for (Delete delete : deletes) {
            if (delete.after() != null) {
                delete.after().run();
            }
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
            leaseLost("visibility change", response.failed());
        } catch (SdkException e) {
            counters.leasesLost.addAndGet(entries.size());
            log.warn("lease lost: changing the visibility of {} messages failed: {}", entries.size(), e.toString());
        }
    }

    private void leaseLost(String what, List<BatchResultErrorEntry> failures) {
        for (BatchResultErrorEntry failure : failures) {
            counters.leasesLost.incrementAndGet();
            log.warn("lease lost: {} refused: {} {}", what, failure.code(), failure.message());
        }
    }
}
