package dev.piperpc.queue.internal;

import dev.piperpc.core.internal.ReadGate;
import dev.piperpc.core.transport.Transport;
import dev.piperpc.core.message.ErrorCodes;
import dev.piperpc.core.message.Id;
import dev.piperpc.queue.BlobStoreException;
import dev.piperpc.queue.QueueWire;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;

import java.time.Duration;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * The one thread that reads a client's reply queue: long polls of {@value QueueWire#MAX_WAIT_SECONDS}
 * s for up to ten messages, hands each body to the transport's listener, and leaves their deletes
 * to an {@link SqsDeleter}, which batches them. It waits while reading is paused. To stop it, {@link #stop()},
 * then have a message sent to the queue so that a waiting poll returns at once.
 */
final class ReplyReceiver {

    private static final Logger log = LoggerFactory.getLogger(ReplyReceiver.class);

    private static final int MAX_MESSAGES = 10;
    /**
     * After a receive that brought part of a batch while at least a batch of answers is still to
     * come, the next receive waits this long: answers gather, and a burst costs fewer receives
     * and deletes. A call on its own never waits for it.
     */
    private static final long GATHER_MILLIS = 5;
    private static final long MAX_BACKOFF_MILLIS = 5_000;

    private final SqsClient sqs;
    private final String queueUrl;
    private final SqsMeter meter;
    private final ClaimCheck claims;
    private final ReadGate gate = new ReadGate();
    private final SqsDeleter deleter;
    private final Thread thread;
    private volatile Transport.Listener listener;
    private volatile boolean stopping;

    ReplyReceiver(SqsClient sqs, String queueUrl, SqsMeter meter, ClaimCheck claims, String threadName) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
        this.meter = meter;
        this.claims = claims;
        // An answer's delete is on no call's path: it may wait a little for others to share its request.
        this.deleter = new SqsDeleter(sqs, meter, queueUrl, threadName + "-delete", Duration.ofMillis(50), failed -> { });
        this.thread = new Thread(this::run, threadName);
        thread.setDaemon(true);
    }

    /** How many answers are still to come (the endpoint's calls pending); none until told. */
    private volatile LongSupplier answersToCome = () -> 0;

    /** Tells the receiver how to learn how many answers are still to come. */
    void answersToCome(LongSupplier pending) {
        this.answersToCome = pending;
    }

    void start(Transport.Listener listener) {
        this.listener = listener;
        thread.start();
    }

    /** Pauses ({@code false}) or resumes ({@code true}) receiving; a poll under way completes. */
    void setReading(boolean reading) {
        gate.set(reading || stopping);
    }

    /** Receives no more; what a poll returns from now on is dropped. */
    void stop() {
        stopping = true;
        gate.set(true);
        synchronized (this) {
            notifyAll();
        }
    }

    private synchronized void pause(long millis) throws InterruptedException {
        if (!stopping) {
            wait(millis);
        }
    }

    /** Waits up to {@code wait} for the thread, and the deletes of what it received, to end; whether they did. */
    boolean join(Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        if (thread.isAlive() && Thread.currentThread() != thread) {
            thread.join(Math.max(1, wait.toMillis()));
        }
        if (thread.isAlive()) {
            return false;
        }
        deleter.close();
        return deleter.join(Duration.ofNanos(Math.max(1_000_000, deadline - System.nanoTime())));
    }

    private void run() {
        Throwable cause = null;
        long backoff = 0;
        try {
            while (gate.awaitOpen() && !stopping) {
                List<Message> messages;
                try {
                    meter.receiveRequest();
                    messages = sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(MAX_MESSAGES)
                            .waitTimeSeconds(QueueWire.MAX_WAIT_SECONDS).messageAttributeNames(QueueWire.BLOB)).messages();
                    backoff = 0;
                } catch (QueueDoesNotExistException e) {
                    if (!stopping) {
                        cause = e;
                    }
                    break;
                } catch (SdkException e) {
                    if (stopping) {
                        break;
                    }
                    backoff = Math.min(MAX_BACKOFF_MILLIS, Math.max(100, backoff * 2));
                    log.warn("receiving from {} failed, trying again in {} ms: {}", queueUrl, backoff, e.toString());
                    pause(backoff);
                    continue;
                }
                if (stopping) {
                    break;
                }
                deliver(messages);
                if (!messages.isEmpty() && messages.size() < MAX_MESSAGES && answersToCome.getAsLong() >= MAX_MESSAGES) {
                    pause(GATHER_MILLIS);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            cause = e;
            log.error("the receiver of {} failed", queueUrl, e);
        } finally {
            deleter.close();
            listener.onClosed(cause);
        }
    }

    /**
     * The JSON text of an answer: its body, or the text its pointer names. One whose stored text
     * cannot be read ends its call with an error answer when the pointer tells the id; else it
     * is logged and dropped ({@code null}).
     */
    private byte[] text(Message message, String blob) {
        try {
            return claims.resolve(message.body(), blob);
        } catch (BlobStoreException e) {
            meter.countUnreadable();
            Id id = claims.pointerId(message.body());
            if (id == null) {
                log.warn("an answer on {} stored at {} cannot be read, and its pointer names no call: {}", queueUrl, blob,
                        e.getMessage());
                return null;
            }
            log.warn("the answer to call {} cannot be read: {}", id, e.getMessage());
            return Answers.error(id, ErrorCodes.INTERNAL_ERROR, "the answer could not be read from the blob store "
                    + "(claim-check): " + e.getMessage());
        }
    }

    private void deliver(List<Message> messages) {
        if (messages.isEmpty()) {
            return;
        }
        meter.received(messages.size());
        for (Message message : messages) {
            MessageAttributeValue attribute = message.messageAttributes().get(QueueWire.BLOB);
            String blob = attribute == null ? null : attribute.stringValue();
            byte[] text = text(message, blob);
            if (text != null) {
                listener.onMessage(text);
            }
            // One that is not deleted comes again after its visibility timeout, ignored as the answer to an ended call.
            // The stored text of an answer is this side's to delete, once its message is.
            String handle = message.receiptHandle();
            deleter.delete(() -> handle, blob == null ? null : () -> claims.release(blob));
        }
        deleter.sendFullBatches();
    }
}
