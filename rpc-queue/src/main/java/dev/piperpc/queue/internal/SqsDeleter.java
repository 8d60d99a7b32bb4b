package dev.piperpc.queue.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchResponse;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import java.util.function.Supplier;

/**
 * Deletes received messages from one queue in {@code DeleteMessageBatch}es of up to ten, on a
 * thread of its own: the manager's reply queue and the worker's request queue. A delete is off
 * every call's path (the answer has left, or was handed over), so it may wait up to
 * {@code maxDelay} for others to share its request; a full batch, a flush or a close sends at
 * once. A refused delete (a stale receipt handle) is reported to {@code refused} and logged.
 */
final class SqsDeleter {

    private static final Logger log = LoggerFactory.getLogger(SqsDeleter.class);
    private static final int MAX_ENTRIES = 10;

    private record Pending(Supplier<String> handle, Runnable after, long sinceNanos) {
    }

    private final SqsClient sqs;
    private final SqsMeter meter;
    private final String queueUrl;
    private final long maxDelayNanos;
    private final IntConsumer refused;
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    private final Thread thread;
    private boolean busy;
    private boolean flushing;
    private boolean closed;

    /**
     * @param refused told how many deletes of a request were refused or failed
     */
    SqsDeleter(SqsClient sqs, SqsMeter meter, String queueUrl, String threadName, Duration maxDelay, IntConsumer refused) {
        this.sqs = sqs;
        this.meter = meter;
        this.queueUrl = queueUrl;
        this.maxDelayNanos = maxDelay.toNanos();
        this.refused = refused;
        this.thread = new Thread(this::run, threadName);
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Deletes the message whose receipt handle {@code handle} gives when the delete is made, then
     * runs {@code after} (if not {@code null}) on the deleting thread, whether or not it worked.
     * After a close, {@code after} runs at once and nothing is deleted.
     */
    void delete(Supplier<String> handle, Runnable after) {
        synchronized (this) {
            if (!closed) {
                queue.add(new Pending(handle, after, System.nanoTime()));
                if (queue.size() == 1 || queue.size() >= MAX_ENTRIES) {
                    notifyAll(); // the first starts the wait for others; a full batch goes at once
                }
                return;
            }
        }
        if (after != null) {
            after.run();
        }
    }

    /** Sends what waits now, without waiting for more; returns whether it was done within {@code millis}. */
    synchronized boolean flush(long millis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        flushing = true;
        notifyAll();
        try {
            while (!queue.isEmpty() || busy) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    return false;
                }
                wait(left);
            }
            return true;
        } finally {
            flushing = false;
        }
    }

    /**
     * Sends the full batches that wait on the calling thread, leaving the rest to the deleting
     * thread. A receiving thread calls it between receives, as a plain receive loop would delete
     * what it received: the pause lets what arrives meanwhile come in the next receive together.
     */
    void sendFullBatches() {
        while (true) {
            List<Pending> batch;
            synchronized (this) {
                if (queue.size() < MAX_ENTRIES || closed) {
                    return;
                }
                batch = new ArrayList<>(MAX_ENTRIES);
                while (batch.size() < MAX_ENTRIES) {
                    batch.add(queue.poll());
                }
            }
            send(batch);
        }
    }

    /** Sends what waits, then stops. */
    synchronized void close() {
        closed = true;
        notifyAll();
    }

    /** Waits up to {@code wait} for the thread to end; whether it did. */
    boolean join(Duration wait) throws InterruptedException {
        thread.join(Math.max(1, wait.toMillis()));
        return !thread.isAlive();
    }

    private synchronized List<Pending> take() throws InterruptedException {
        busy = false;
        notifyAll();
        while (true) {
            if (queue.isEmpty()) {
                if (closed) {
                    return List.of();
                }
                wait();
                continue;
            }
            long waited = System.nanoTime() - queue.peek().sinceNanos();
            if (queue.size() >= MAX_ENTRIES || flushing || closed || waited >= maxDelayNanos) {
                break;
            }
            TimeUnit.NANOSECONDS.timedWait(this, maxDelayNanos - waited);
        }
        List<Pending> batch = new ArrayList<>(MAX_ENTRIES);
        while (!queue.isEmpty() && batch.size() < MAX_ENTRIES) {
            batch.add(queue.poll());
        }
        busy = true;
        return batch;
    }

    private void run() {
        try {
            while (true) {
                List<Pending> batch = take();
                if (batch.isEmpty()) {
                    return;
                }
                try {
                    send(batch);
                } catch (RuntimeException e) {
                    log.error("deleting from {} failed", queueUrl, e);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            synchronized (this) {
                busy = false;
                notifyAll();
            }
        }
    }

    private void send(List<Pending> batch) {
        List<DeleteMessageBatchRequestEntry> entries = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            entries.add(DeleteMessageBatchRequestEntry.builder().id(Integer.toString(i)).receiptHandle(batch.get(i).handle().get())
                    .build());
        }
        try {
            meter.deleteRequest();
            DeleteMessageBatchResponse response = sqs.deleteMessageBatch(b -> b.queueUrl(queueUrl).entries(entries));
            if (!response.failed().isEmpty()) {
                refused.accept(response.failed().size());
                for (BatchResultErrorEntry failure : response.failed()) {
                    log.warn("a delete from {} was refused (lease lost): {} {}", queueUrl, failure.code(), failure.message());
                }
            }
        } catch (SdkException e) {
            refused.accept(entries.size());
            log.warn("deleting {} messages from {} failed: {}", entries.size(), queueUrl, e.toString());
        }
        for (Pending pending : batch) {
            if (pending.after() != null) {
                try {
                    pending.after().run();
                } catch (RuntimeException e) {
                    log.error("after a delete from {}", queueUrl, e);
                }
            }
        }
    }
}
