package dev.piperpc.queue.internal;

import dev.piperpc.core.ConnectionClosedException;
import dev.piperpc.core.message.DecodedFrame;
import dev.piperpc.core.message.ErrorCodes;
import dev.piperpc.core.message.Id;
import dev.piperpc.core.message.InvalidMessage;
import dev.piperpc.core.message.Request;
import dev.piperpc.core.codec.MessageReader;
import dev.piperpc.core.transport.Transport;
import dev.piperpc.queue.BlobStoreException;
import dev.piperpc.queue.QueueWire;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The worker side of a request queue: receives requests (only as many as there are free slots),
 * hands each to the connection of its reply queue, keeps a lease on it while it runs, and deletes
 * it once it is answered. See {@code SqsAcceptor} for the rules.
 *
 * <p>Threads: {@code piperpc-sqs-receive} long-polls and delivers (the connections' I/O thread);
 * {@code piperpc-sqs-lease} extends leases and closes idle connections; {@link SqsOutbox}'s thread
 * sends. None runs user code.
 */
public final class QueueListener implements ReplyConnection.Owner {

    private static final Logger log = LoggerFactory.getLogger(QueueListener.class);
    /** How long a receive may wait for a batch of free slots while calls run here. */
    private static final long GATHER_SLOTS_MILLIS = 10;
    /** Requests received this recently and still running are taken to be answered in a moment. */
    private static final long ANSWERS_COMING_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
    /**
     * How long a close waits at least for what is queued to leave once the receiving has stopped,
     * even when the grace is spent: messages handed back otherwise stay hidden for their visibility
     * timeout.
     */
    private static final long HAND_BACK_MILLIS = 2_000;

    private final SqsClient sqs;
    private final boolean ownsClient;
    private final String queueUrl;
    private final int poisonAfter;
    private final long idleNanos;
    private final WorkerCounters counters;
    private final SqsMeter meter = new SqsMeter();
    private final Holdings holdings;
    private final ClaimCheck claims;
    private final SqsOutbox outbox;
    private final MessageReader reader = new MessageReader();
    private final CancelRouter cancels;
    private final AtomicBoolean accepting = new AtomicBoolean(true);
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Guards what {@link #start} makes against a {@link #close} that comes before or while it runs. */
    private final Object lifecycle = new Object();
    private ReplyConnections connections;
    private ScheduledExecutorService timer;
    private Thread receiver;
    private int leaseSeconds;
    private final int waitSeconds;

    /**
     * A listener on {@code queueUrl}.
     *
     * @param concurrency how many requests may be held at once
     * @param poisonAfter how many receives a message may have before it is treated as poison
     * @param idleAfter   how long a connection with nothing to do stays open
     * @param ownsClient  whether closing the listener closes {@code sqs}
     * @param waitSeconds how long one receive waits for messages (1 to 20)
     * @param claims      how requests and answers travel through a blob store (claim-check)
     */
    public QueueListener(SqsClient sqs, boolean ownsClient, String queueUrl, int concurrency, int poisonAfter,
                         Duration idleAfter, int waitSeconds, WorkerCounters counters, ClaimCheck claims) {
        this.waitSeconds = waitSeconds;
        this.sqs = sqs;
        this.ownsClient = ownsClient;
        this.queueUrl = queueUrl;
        this.poisonAfter = poisonAfter;
        this.idleNanos = idleAfter.toNanos();
        this.counters = counters;
        this.holdings = new Holdings(concurrency);
        this.claims = claims;
        this.outbox = new SqsOutbox(sqs, queueUrl, counters, meter, claims,
                () -> holdings.unansweredSince(ANSWERS_COMING_NANOS));
        this.cancels = new CancelRouter(reader, outbox, counters);
    }

    /**
     * Reads the queue's visibility timeout and starts receiving; {@code onConnection} connects each
     * new connection. A listener closed before or while it starts starts nothing (a stop can come
     * at any time) and returns quietly, even when the close made the read fail.
     */
    public void start(Consumer<Transport> onConnection) {
        synchronized (lifecycle) {
            if (closed.get()) {
                return;
            }
            connections = new ReplyConnections(replyTo -> new ReplyConnection(replyTo, outbox, this, counters), onConnection);
        }
        int lease;
        try {
            String visibility = sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(QueueAttributeName.VISIBILITY_TIMEOUT))
                    .attributes().get(QueueAttributeName.VISIBILITY_TIMEOUT);
            lease = Math.max(1, Math.min(QueueWire.MAX_VISIBILITY_SECONDS, Integer.parseInt(visibility)));
        } catch (SdkException | NumberFormatException e) {
            if (closed.get()) {
                return;
            }
            outbox.close();
            throw new ConnectionClosedException("cannot read the request queue " + queueUrl + ": " + e, e);
        }
        synchronized (lifecycle) {
            // A close that came meanwhile has seen no threads to stop: start none.
            if (closed.get()) {
                return;
            }
            leaseSeconds = lease;
            long periodMillis = Math.max(200, lease * 1000L / 3);
            timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "piperpc-sqs-lease");
                thread.setDaemon(true);
                return thread;
            });
            timer.scheduleAtFixedRate(this::renewLeases, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
            timer.scheduleAtFixedRate(() -> connections.closeIdle(idleNanos), 1, 1, TimeUnit.SECONDS);
            receiver = new Thread(this::receiveLoop, "piperpc-sqs-receive");
            receiver.setDaemon(true);
            receiver.start();
        }
    }

    /** How many request messages are held now. */
    public int held() {
        return holdings.size();
    }

    private void receiveLoop() {
        while (accepting.get()) {
            try {
                cancels.cancelOverdue(holdings.all());
                if (connections.anyPaused()) {
                    // An endpoint stopped reading: look again in a while (a slot freed does not end it).
                    holdings.awaitFree(Integer.MAX_VALUE, 100);
                    continue;
                }
                if (holdings.free() == 0) {
                    holdings.awaitFree(1, 100);
                    continue;
                }
                // While calls run here, free slots wait a moment (bounded) for the others, so that
                // one receive brings a full batch rather than one request per slot freed.
                int batch = Math.min(10, holdings.slots());
                if (holdings.free() < batch && holdings.running() > 0) {
                    holdings.awaitFree(batch, GATHER_SLOTS_MILLIS);
                }
                int free = holdings.free();
                int wait = CancelRouter.pollWait(holdings.all(), waitSeconds);
                meter.receiveRequest();
                List<Message> messages = sqs.receiveMessage(b -> b.queueUrl(queueUrl)
                        .maxNumberOfMessages(Math.min(10, free)).waitTimeSeconds(wait)
                        .messageAttributeNames("All")
                        .messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT)).messages();
                for (Message message : messages) {
                    if (accepting.get()) {
                        handle(message);
                    } else {
                        release(message.receiptHandle());
                    }
                }
            } catch (InterruptedException e) {
                if (!accepting.get()) {
                    return;
                }
            } catch (SdkException e) {
                if (!accepting.get()) {
                    return;
                }
                log.warn("receiving from {} failed, retrying in 1 s: {}", queueUrl, e.toString());
                sleepQuietly(1000);
            } catch (RuntimeException e) {
                log.error("handling a message from {} failed", queueUrl, e);
            }
        }
    }

    private void handle(Message message) {
        HeldMessage running = holdings.get(message.messageId());
        if (running != null) {
            running.redelivered(message.receiptHandle());
            counters.duplicates.incrementAndGet();
            log.debug("{} was delivered again while it runs here; not run twice", running);
            return;
        }
        counters.received.incrementAndGet();
        String replyTo = Received.attribute(message, QueueWire.REPLY_TO);
        long deadlineMillis = Received.deadlineMillis(message);
        String blob = Received.attribute(message, QueueWire.BLOB);
        if (deadlineMillis < System.currentTimeMillis()) {
            if (blob != null || cancels.target(reader.decode(message.body().getBytes(StandardCharsets.UTF_8))) == null) {
                counters.expired.incrementAndGet();
                log.info("message {} is past its deadline; deleted unrun", message.messageId());
            }
            outbox.delete(message::receiptHandle, releaseBlob(blob));
            return;
        }
        byte[] body = text(message, blob, replyTo);
        if (body == null) {
            return;
        }
        DecodedFrame frame = reader.decode(body);
        Id cancelled = replyTo == null ? null : cancels.target(frame);
        if (cancelled != null) {
            cancels.route(message, replyTo, cancelled, deadlineMillis, connections.get(replyTo));
            return;
        }
        List<Id> ids = new ArrayList<>();
        for (dev.piperpc.core.message.Message member : frame.messages()) {
            if (member instanceof Request request) {
                ids.add(request.id());
            }
        }
        if (!frame.batch() && frame.messages().get(0) instanceof InvalidMessage invalid) {
            counters.malformed.incrementAndGet();
            Id id = reader.peek(body).id();
            log.warn("message {} is not JSON-RPC; not run, left for the dead-letter queue", message.messageId());
            if (id != null && replyTo != null) {
                outbox.reply(replyTo, Answers.error(id, invalid.error().code(),
                        invalid.error().message() + "; the message is left for the queue's dead-letter queue"), ok -> { });
            }
            return;
        }
        int receives = Received.receiveCount(message);
        if (receives > poisonAfter) {
            counters.poison.incrementAndGet();
            log.warn("message {} was received {} times (more than {}); not run, left for the dead-letter queue",
                    message.messageId(), receives, poisonAfter);
            if (!ids.isEmpty() && replyTo != null) {
                outbox.reply(replyTo, Answers.errors(ids, frame.batch(), ErrorCodes.INTERNAL_ERROR,
                        "the request was received " + receives + " times without being answered (a worker may have died "
                                + "running it); it is left for the queue's dead-letter queue"), ok -> { });
            }
            return;
        }
        if (replyTo != null && !frame.batch() && ids.size() == 1 && cancels.takeEarly(replyTo, ids.get(0))) {
            counters.cancelled.incrementAndGet();
            log.debug("message {} was cancelled by its caller before it arrived; deleted unrun", message.messageId());
            outbox.delete(message::receiptHandle, releaseBlob(blob));
            return;
        }
        HeldMessage held = connections.expect(replyTo, ids, opened ->
                new HeldMessage(message.messageId(), message.receiptHandle(), ids, blob, deadlineMillis, opened));
        if (held == null) {
            counters.duplicates.incrementAndGet();
            log.warn("message {} repeats the id of a request running here for {}; not run now", message.messageId(), replyTo);
            return;
        }
        ReplyConnection connection = held.connection();
        if (!ids.isEmpty()) {
            holdings.add(held);
        }
        connection.deliver(body);
        if (ids.isEmpty()) {
            // Notifications only: done once dispatched.
            outbox.delete(held::receiptHandle, releaseBlob(blob));
        }
    }

    /**
     * The JSON text of a request message: its body, or the text its pointer names. One whose
     * stored text cannot be read is not run and left for the dead-letter queue ({@code null}),
     * answered with an error when the pointer tells the request's id.
     */
    private byte[] text(Message message, String blob, String replyTo) {
        try {
            return claims.resolve(message.body(), blob);
        } catch (BlobStoreException e) {
            counters.malformed.incrementAndGet();
            Id id = claims.pointerId(message.body());
            log.warn("message {}: its text cannot be read ({}); not run, left for the dead-letter queue", message.messageId(),
                    e.getMessage());
            if (id != null && replyTo != null) {
                outbox.reply(replyTo, Answers.error(id, ErrorCodes.INTERNAL_ERROR, "the request could not be read from the "
                        + "blob store (claim-check): " + e.getMessage()), ok -> { });
            }
            return null;
        }
    }

    /** Deletes the stored text of a message once the message is deleted ({@code null}: nothing stored). */
    private Runnable releaseBlob(String blob) {
        return blob == null ? null : () -> claims.release(blob);
    }

    @Override
    public void answered(HeldMessage message) {
        holdings.answered(message);
        // The request's stored text goes after the request; its answer's is the manager's to delete.
        outbox.delete(message::receiptHandle, () -> {
            holdings.remove(message);
            claims.release(message.blob());
        });
    }

    @Override
    public void notAnswered(HeldMessage message) {
        // Not deleted: it comes back when its visibility ends, to be answered then.
        holdings.remove(message);
    }

    private void renewLeases() {
        for (HeldMessage message : holdings.all()) {
            if (!message.isFinished()) {
                outbox.change(new SqsOutbox.Visibility(message::receiptHandle, leaseSeconds, message::isFinished));
            }
        }
    }

    private void release(String receiptHandle) {
        outbox.change(new SqsOutbox.Visibility(() -> receiptHandle, 0, () -> false));
    }

    /** Stops receiving; what a poll under way brings is handed back at once (visibility 0). */
    public void stopAccepting() {
        accepting.set(false);
    }

    /**
     * Stops receiving, waits at most {@code grace} for answers and deletes to be sent, hands back
     * the messages still held (visibility 0), waits for the poll under way to return (handing back
     * what it brings), waits for what is queued to leave (at least {@value #HAND_BACK_MILLIS} ms,
     * also when the grace is spent), closes the connections and stops the threads.
     */
    public void close(Duration grace) {
        stopAccepting();
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        Thread receiver;
        ScheduledExecutorService timer;
        ReplyConnections connections;
        synchronized (lifecycle) {
            // What start made before it saw the close; none of it is made after.
            receiver = this.receiver;
            timer = this.timer;
            connections = this.connections;
        }
        long deadline = System.nanoTime() + grace.toNanos();
        try {
            while (holdings.size() > 0 && System.nanoTime() - deadline < 0) {
                Thread.sleep(5);
            }
            for (HeldMessage message : holdings.all()) {
                release(message.receiptHandle());
            }
            if (receiver != null) {
                // A poll under way may still bring messages, and SQS hands them to it even after this
                // process is gone (they would then stay hidden for the visibility timeout): wait for
                // it, so that what it brings goes back at once.
                receiver.join(TimeUnit.SECONDS.toMillis(waitSeconds + 2));
            }
            outbox.awaitIdle(Math.max(HAND_BACK_MILLIS, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (timer != null) {
            timer.shutdownNow();
        }
        if (connections != null) {
            connections.closeAll();
        }
        outbox.close();
        if (receiver != null) {
            receiver.interrupt();
        }
        if (ownsClient) {
            sqs.close();
        }
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
