package dev.piperpc.queue.internal;

import dev.piperpc.queue.QueueSendException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The sender threads of one client: each takes whatever the outbox holds (up to one SQS batch) and
 * sends it with one {@code SendMessageBatch}, never waiting for a batch to fill. Entries SQS
 * refuses for a passing reason are tried again a few times; then, or at once when the fault is
 * the message's, the message is given up on and whoever waits for it is told.
 */
final class Senders {

    private static final Logger log = LoggerFactory.getLogger(Senders.class);

    /** SQS takes at most ten messages in one batch. */
    static final int MAX_BATCH_MESSAGES = 10;
    /** The payload of one batch, all bodies and attributes together. */
    static final int MAX_BATCH_BYTES = 256 * 1024;
    private static final int ATTEMPTS = 3;
    private static final long BACKOFF_MILLIS = 100;

    private final SqsClient sqs;
    private final String queueUrl;
    private final SendQueue outbox;
    private final SqsMeter meter;
    private final List<Thread> threads = new ArrayList<>();

    Senders(SqsClient sqs, String queueUrl, SendQueue outbox, SqsMeter meter, String name, int count) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
        this.outbox = outbox;
        this.meter = meter;
        for (int i = 1; i <= count; i++) {
            Thread thread = new Thread(this::run, name + "-send-" + i);
            thread.setDaemon(true);
            threads.add(thread);
        }
    }

    void start() {
        threads.forEach(Thread::start);
    }

    /** Waits up to {@code wait} for the senders to stop once the outbox is closed; whether they did. */
    boolean join(Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        for (Thread thread : threads) {
            long left = deadline - System.nanoTime();
            if (left > 0) {
                TimeUnit.NANOSECONDS.timedJoin(thread, left);
            }
            if (thread.isAlive()) {
                return false;
            }
        }
        return true;
    }

    private void run() {
        try {
            while (true) {
                List<Outgoing> batch = outbox.take(MAX_BATCH_MESSAGES, MAX_BATCH_BYTES);
                if (batch.isEmpty()) {
                    return;
                }
                send(batch);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Sends {@code batch}, trying again what failed for a passing reason; never throws. */
    private void send(List<Outgoing> batch) {
        List<Outgoing> left = batch;
        RuntimeException lastError = null;
        for (int attempt = 1; attempt <= ATTEMPTS && !left.isEmpty(); attempt++) {
            if (attempt > 1) {
                try {
                    Thread.sleep(BACKOFF_MILLIS * (attempt - 1));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    giveUp(left, "sending was interrupted", lastError);
                    return;
                }
            }
            try {
                if (left.size() == 1 && left.get(0).size() > MAX_BATCH_BYTES) {
                    sendAlone(left.get(0));
                    left = List.of();
                } else {
                    List<Outgoing> retry = new ArrayList<>();
                    lastError = sendBatch(left, retry);
                    left = retry;
                }
            } catch (QueueDoesNotExistException e) {
                giveUp(left, "the queue " + queueUrl + " does not exist", e);
                return;
            } catch (SdkException e) {
                lastError = e;
            }
        }
        if (!left.isEmpty()) {
            giveUp(left, "SQS refused it " + ATTEMPTS + " times", lastError);
        }
    }

    private void sendAlone(Outgoing message) {
        meter.sendRequest();
        sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody(message.body()).messageAttributes(message.attributes()));
        meter.sent(1);
    }

    /**
     * One {@code SendMessageBatch}: puts what failed for a passing reason in {@code retry}, gives
     * up at once on what failed for its own fault, and returns the last error seen (or {@code null}).
     */
    private RuntimeException sendBatch(List<Outgoing> messages, List<Outgoing> retry) {
        List<SendMessageBatchRequestEntry> entries = new ArrayList<>(messages.size());
        for (int i = 0; i < messages.size(); i++) {
            Outgoing message = messages.get(i);
            entries.add(SendMessageBatchRequestEntry.builder().id(Integer.toString(i)).messageBody(message.body())
                    .messageAttributes(message.attributes()).build());
        }
        meter.sendRequest();
        SendMessageBatchResponse response = sqs.sendMessageBatch(b -> b.queueUrl(queueUrl).entries(entries));
        meter.sent(response.successful().size());
        RuntimeException error = null;
        for (BatchResultErrorEntry failed : response.failed()) {
            Outgoing message = messages.get(Integer.parseInt(failed.id()));
            error = new QueueSendException("SQS: " + failed.code() + ": " + failed.message());
            if (Boolean.TRUE.equals(failed.senderFault())) {
                giveUp(List.of(message), "SQS refused it as faulty", error);
            } else {
                retry.add(message);
            }
        }
        return error;
    }

    private void giveUp(List<Outgoing> messages, String why, Throwable cause) {
        meter.notSent(messages.size());
        String detail = cause == null ? "" : ": " + cause.getMessage();
        for (Outgoing message : messages) {
            if (message.notSent() != null) {
                message.notSent().accept(new QueueSendException("could not put the message on " + queueUrl + ": " + why
                        + detail, cause));
            } else {
                log.warn("could not put a message on {}: {}{}", queueUrl, why, detail);
            }
        }
    }
}
