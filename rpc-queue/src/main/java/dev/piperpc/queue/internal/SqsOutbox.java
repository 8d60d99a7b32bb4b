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
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Everything a queue worker sends to SQS, from one thread ({@code piperpc-sqs-send}): answers and
 * notifications to reply queues, deletes and visibility changes on the request queue. Whatever
 * is queued when the thread comes round goes in as few batch requests as SQS allows (10 entries,
 * 1 MiB), without waiting for more.
 */
final class SqsOutbox {

    private static final Logger log = LoggerFactory.getLogger(SqsOutbox.class);
    private static final int MAX_ENTRIES = 10;
    private static final int MAX_BATCH_BYTES = 1024 * 1024;

    /** An answer or notification for a reply queue; {@code done} is told whether it was sent. */
    record Reply(String queueUrl, String body, Done done) {
    }

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
    private final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile boolean closing;
    private volatile boolean busy;

    SqsOutbox(SqsClient sqs, String requestQueueUrl, WorkerCounters counters) {
        this.sqs = sqs;
        this.requestQueueUrl = requestQueueUrl;
        this.counters = counters;
        this.thread = new Thread(this::loop, "piperpc-sqs-send");
        thread.setDaemon(true);
        thread.start();
    }

    void add(Object operation) {
        queue.add(operation);
    }

    /** Waits at most {@code millis} until nothing is queued or being sent; whether that happened. */
    boolean awaitIdle(long millis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (!queue.isEmpty() || busy) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            Thread.sleep(2);
        }
        return true;
    }

    /** Stops the thread; what is still queued is dropped. */
    void close() {
        closing = true;
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
        Map<String, List<Reply>> replies = new LinkedHashMap<>();
        List<Delete> deletes = new ArrayList<>();
        List<Visibility> changes = new ArrayList<>();
        for (Object operation : operations) {
            if (operation instanceof Reply reply) {
                replies.computeIfAbsent(reply.queueUrl(), url -> new ArrayList<>()).add(reply);
            } else if (operation instanceof Delete delete) {
                deletes.add(delete);
            } else {
                changes.add((Visibility) operation);
            }
        }
        replies.forEach(this::sendReplies);
        for (int i = 0; i < deletes.size(); i += MAX_ENTRIES) {
            delete(deletes.subList(i, Math.min(deletes.size(), i + MAX_ENTRIES)));
        }
        for (int i = 0; i < changes.size(); i += MAX_ENTRIES) {
            changeVisibility(changes.subList(i, Math.min(changes.size(), i + MAX_ENTRIES)));
        }
    }

    private void sendReplies(String queueUrl, List<Reply> replies) {
        List<Reply> chunk = new ArrayList<>();
        int bytes = 0;
        for (Reply reply : replies) {
            int size = reply.body().getBytes(StandardCharsets.UTF_8).length;
            if (!chunk.isEmpty() && (chunk.size() == MAX_ENTRIES || bytes + size > MAX_BATCH_BYTES)) {
                sendChunk(queueUrl, chunk);
                chunk = new ArrayList<>();
                bytes = 0;
            }
            chunk.add(reply);
            bytes += size;
        }
        sendChunk(queueUrl, chunk);
    }

    private void sendChunk(String queueUrl, List<Reply> chunk) {
        List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
        for (int i = 0; i < chunk.size(); i++) {
            entries.add(SendMessageBatchRequestEntry.builder().id(Integer.toString(i)).messageBody(chunk.get(i).body()).build());
        }
        Set<String> failed = new HashSet<>();
        try {
            SendMessageBatchResponse response = sqs.sendMessageBatch(b -> b.queueUrl(queueUrl).entries(entries));
            for (BatchResultErrorEntry error : response.failed()) {
                failed.add(error.id());
                log.warn("an answer to {} was not sent: {} {}", queueUrl, error.code(), error.message());
            }
        } catch (SdkException e) {
            log.warn("answers to {} were not sent: {}", queueUrl, e.toString());
            for (SendMessageBatchRequestEntry entry : entries) {
                failed.add(entry.id());
            }
        }
        for (int i = 0; i < chunk.size(); i++) {
            boolean ok = !failed.contains(Integer.toString(i));
            if (!ok) {
                counters.repliesFailed.incrementAndGet();
            }
            try {
                chunk.get(i).done().sent(ok);
            } catch (RuntimeException e) {
                log.error("handling a sent answer failed", e);
            }
        }
    }

    private void delete(List<Delete> deletes) {
        List<DeleteMessageBatchRequestEntry> entries = new ArrayList<>();
        for (int i = 0; i < deletes.size(); i++) {
            entries.add(DeleteMessageBatchRequestEntry.builder().id(Integer.toString(i)).receiptHandle(deletes.get(i).handle().get()).build());
        }
        try {
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
