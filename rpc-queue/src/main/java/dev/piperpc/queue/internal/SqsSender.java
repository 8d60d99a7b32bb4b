package dev.piperpc.queue.internal;

import dev.piperpc.core.BackpressureException;
import dev.piperpc.core.ConnectionClosedException;
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
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

/**
 * The one way piperpc puts messages on SQS, on the manager's side (requests to the request queue)
 * and on the worker's (answers and notifications to reply queues): a queue of {@link Outgoing}
 * messages and sender threads. Each sender takes whatever waits for one queue URL, up to one SQS
 * batch ({@value #MAX_BATCH_MESSAGES} messages, {@value #MAX_BATCH_BYTES} bytes), and sends it
 * with one {@code SendMessageBatch}, never waiting for a batch to fill: a sender goes as soon as
 * something waits and no other sender is busy; while one is, the others go only for a full batch,
 * so that what queues meanwhile leaves in as few requests as possible; a worker's sender may also
 * wait a few milliseconds for the answers of requests it has just received
 * ({@link #lingerWhile}). Entries SQS refuses for a
 * passing reason are tried again a few times; then, or at once when the fault is the message's,
 * the message is given up on and its {@link Outgoing#notSent()} is told. A message SQS accepted
 * has its {@link Outgoing#sent()} run, on the sender thread.
 *
 * <p>{@link #offer} refuses messages beyond {@code bound} waiting; control messages (answers,
 * cancellations) pass it up to a hard limit.
 */
final class SqsSender {

    private static final Logger log = LoggerFactory.getLogger(SqsSender.class);

    /** SQS takes at most ten messages in one batch. */
    static final int MAX_BATCH_MESSAGES = 10;
    /** The payload of one batch, all bodies and attributes together; a larger message is sent alone. */
    static final int MAX_BATCH_BYTES = 256 * 1024;
    /** How far a sender looks past the head of the queue for messages to the same queue URL. */
    private static final int MAX_SCAN = 256;
    private static final int ATTEMPTS = 3;
    private static final long BACKOFF_MILLIS = 100;

    private final SqsClient sqs;
    private final SqsMeter meter;
    private final ClaimCheck claims;
    private final String name;
    private final int bound;
    private final int hardLimit;
    private final ArrayDeque<Outgoing> queue = new ArrayDeque<>();
    private final List<Thread> threads = new ArrayList<>();
    private int sending;
    private boolean closed;
    private long lingerNanos;
    private IntSupplier comingSoon = () -> 0;

    /**
     * @param name    what it is called in errors, and how its threads' names start
     * @param threads how many sender threads
     * @param bound   how many messages other than control messages may wait
     */
    SqsSender(SqsClient sqs, SqsMeter meter, String name, int threads, int bound) {
        this(sqs, meter, null, name, threads, bound);
    }

    /**
     * @param claims  releases the stored text of a message given up on ({@code null}: none is stored)
     * @param name    what it is called in errors, and how its threads' names start
     * @param threads how many sender threads
     * @param bound   how many messages other than control messages may wait
     */
    SqsSender(SqsClient sqs, SqsMeter meter, ClaimCheck claims, String name, int threads, int bound) {
        this.sqs = sqs;
        this.meter = meter;
        this.claims = claims;
        this.name = name;
        this.bound = bound;
        this.hardLimit = (int) Math.min(Integer.MAX_VALUE, (long) bound + Math.max(bound, 1024));
        for (int i = 1; i <= threads; i++) {
            Thread thread = new Thread(this::run, threads == 1 ? name + "-send" : name + "-send-" + i);
            thread.setDaemon(true);
            this.threads.add(thread);
        }
    }

    /**
     * Lets a sender that would send a part batch wait at most {@code linger} for more while
     * {@code comingSoon} says that more messages than those waiting are about to be queued (a
     * worker's answers to requests it has just received). Call before {@link #start}.
     */
    void lingerWhile(Duration linger, IntSupplier comingSoon) {
        this.lingerNanos = linger.toNanos();
        this.comingSoon = comingSoon;
    }

    void start() {
        threads.forEach(Thread::start);
    }

    /**
     * Queues {@code message}; one refused here releases its stored text.
     *
     * @throws BackpressureException      if the bound (or, for a control message, the hard limit) is reached
     * @throws ConnectionClosedException if the sender is closed
     */
    void offer(Outgoing message) {
        try {
            queue(message);
        } catch (RuntimeException e) {
            releaseBlob(message);
            throw e;
        }
    }

    private synchronized void queue(Outgoing message) {
        if (closed) {
            throw new ConnectionClosedException(name + " is closed");
        }
        int limit = message.control() ? hardLimit : bound;
        if (queue.size() >= limit) {
            throw new BackpressureException(name + ": " + queue.size() + " messages wait to be sent to SQS (bound "
                    + limit + ")");
        }
        queue.add(message);
        notifyAll();
    }

    /**
     * Waits until something is queued and takes, for the queue URL of the oldest message, up to
     * {@code maxMessages} messages of at most {@code maxBytes} in all (a larger single message is
     * taken alone). Returns an empty list once closed and empty.
     */
    synchronized List<Outgoing> take(int maxMessages, int maxBytes) throws InterruptedException {
        // A sender goes at once when no other is sending; while one is, another goes only for a full batch.
        while (!closed && (queue.isEmpty() || (sending > 0 && queue.size() < maxMessages))) {
            wait();
        }
        if (lingerNanos > 0) {
            long end = System.nanoTime() + lingerNanos;
            long left;
            while (!closed && queue.size() < maxMessages && comingSoon.getAsInt() > queue.size()
                    && (left = end - System.nanoTime()) > 0) {
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        }
        List<Outgoing> taken = new ArrayList<>(Math.min(maxMessages, queue.size()));
        String url = queue.isEmpty() ? null : queue.peek().queueUrl();
        int bytes = 0;
        int scanned = 0;
        for (Iterator<Outgoing> it = queue.iterator(); it.hasNext() && taken.size() < maxMessages && scanned < MAX_SCAN; scanned++) {
            Outgoing next = it.next();
            if (!next.queueUrl().equals(url)) {
                continue;
            }
            if (!taken.isEmpty() && bytes + next.size() > maxBytes) {
                break;
            }
            it.remove();
            bytes += next.size();
            taken.add(next);
        }
        if (!taken.isEmpty()) {
            sending++;
        }
        if (!queue.isEmpty()) {
            notifyAll(); // more for another sender
        }
        return taken;
    }

    private synchronized void doneSending() {
        sending--;
        notifyAll();
    }

    /** Whether fewer than half the bound wait. */
    synchronized boolean isWritable() {
        return queue.size() < Math.max(1, bound / 2);
    }

    /** Messages waiting. */
    synchronized int size() {
        return queue.size();
    }

    /** Waits at most {@code millis} until nothing waits and nothing is being sent; whether that happened. */
    synchronized boolean awaitIdle(long millis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (!queue.isEmpty() || sending > 0) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) {
                return false;
            }
            wait(left);
        }
        return true;
    }

    /** Takes no more; the senders send what is queued, then stop. */
    synchronized void close() {
        closed = true;
        notifyAll();
    }

    /** Closes and hands back what was still queued; the stored texts of those messages are released. */
    List<Outgoing> closeAndDrain() {
        List<Outgoing> left;
        synchronized (this) {
            closed = true;
            left = new ArrayList<>(queue);
            queue.clear();
            notifyAll();
        }
        left.forEach(this::releaseBlob);
        return left;
    }

    /** Deletes the stored text of a message that will not be sent. */
    void releaseBlob(Outgoing message) {
        if (message.blob() != null && claims != null) {
            claims.release(message.blob());
        }
    }

    /** Waits up to {@code wait} for the senders to stop once closed; whether they did. */
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
                List<Outgoing> batch = take(MAX_BATCH_MESSAGES, MAX_BATCH_BYTES);
                if (batch.isEmpty()) {
                    return;
                }
                try {
                    send(batch);
                } catch (RuntimeException e) {
                    log.error("{}: sending to SQS failed", name, e);
                } finally {
                    doneSending();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Sends {@code batch} (all to one queue), trying again what failed for a passing reason; never throws. */
    private void send(List<Outgoing> batch) {
        String queueUrl = batch.get(0).queueUrl();
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
                    lastError = sendBatch(queueUrl, left, retry);
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
        sqs.sendMessage(b -> b.queueUrl(message.queueUrl()).messageBody(message.body()).messageAttributes(message.attributes()));
        meter.sent(1);
        sent(message);
    }

    /**
     * One {@code SendMessageBatch}: puts what failed for a passing reason in {@code retry}, gives
     * up at once on what failed for its own fault, and returns the last error seen (or {@code null}).
     */
    private RuntimeException sendBatch(String queueUrl, List<Outgoing> messages, List<Outgoing> retry) {
        List<SendMessageBatchRequestEntry> entries = new ArrayList<>(messages.size());
        for (int i = 0; i < messages.size(); i++) {
            Outgoing message = messages.get(i);
            entries.add(SendMessageBatchRequestEntry.builder().id(Integer.toString(i)).messageBody(message.body())
                    .messageAttributes(message.attributes()).build());
        }
        meter.sendRequest();
        SendMessageBatchResponse response = sqs.sendMessageBatch(b -> b.queueUrl(queueUrl).entries(entries));
        meter.sent(response.successful().size());
        boolean[] failedEntries = new boolean[messages.size()];
        RuntimeException error = null;
        for (BatchResultErrorEntry failed : response.failed()) {
            int index = Integer.parseInt(failed.id());
            failedEntries[index] = true;
            Outgoing message = messages.get(index);
            error = new QueueSendException("SQS: " + failed.code() + ": " + failed.message());
            if (Boolean.TRUE.equals(failed.senderFault())) {
                giveUp(List.of(message), "SQS refused it as faulty", error);
            } else {
                retry.add(message);
            }
        }
        for (int i = 0; i < messages.size(); i++) {
            if (!failedEntries[i]) {
                sent(messages.get(i));
            }
        }
        return error;
    }

    private void sent(Outgoing message) {
        if (message.sent() != null) {
            try {
                message.sent().run();
            } catch (RuntimeException e) {
                log.error("{}: handling a sent message failed", name, e);
            }
        }
    }

    private void giveUp(List<Outgoing> messages, String why, Throwable cause) {
        meter.notSent(messages.size());
        String detail = cause == null ? "" : ": " + cause.getMessage();
        for (Outgoing message : messages) {
            releaseBlob(message);
            if (message.notSent() != null) {
                try {
                    message.notSent().accept(new QueueSendException("could not put the message on " + message.queueUrl() + ": "
                            + why + detail, cause));
                } catch (RuntimeException e) {
                    log.error("{}: handling an unsent message failed", name, e);
                }
            } else {
                log.warn("could not put a message on {}: {}{}", message.queueUrl(), why, detail);
            }
        }
    }
}
