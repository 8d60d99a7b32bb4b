package dev.piperpc.queue.internal;

import dev.piperpc.core.ConnectionClosedException;
import dev.piperpc.core.codec.MessageHead;
import dev.piperpc.core.codec.MessageReader;
import dev.piperpc.core.message.DecodedFrame;
import dev.piperpc.core.message.ErrorCodes;
import dev.piperpc.core.message.Id;
import dev.piperpc.core.message.Message;
import dev.piperpc.core.message.Response;
import dev.piperpc.core.transport.Transport;
import dev.piperpc.queue.QueueSendException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The connection between this worker and one manager, known by its reply queue: the requests that
 * name that queue are delivered to one endpoint through it, and what the endpoint sends (answers,
 * progress, logs) goes to that queue. Ids are the manager's, so each manager has its own.
 *
 * <p>An answer sent is matched by id to the request message it answers; once every request of
 * a message is answered, the message is finished (deleted). Notifications of ours wait for room
 * when {@value #MAX_QUEUED_NOTIFICATIONS} are queued: they come from call threads, never from
 * the receiving thread.
 */
final class ReplyConnection implements Transport {

    static final int MAX_QUEUED_NOTIFICATIONS = 1000;
    /** How many answered ids are remembered, so that a late cancellation of one of them ends here. */
    static final int REMEMBERED_ANSWERS = 1024;

    private static final Logger log = LoggerFactory.getLogger(ReplyConnection.class);

    /** What the acceptor does when a message was answered, or its answer could not be sent. */
    interface Owner {
        void answered(HeldMessage message);

        void notAnswered(HeldMessage message);
    }

    private final String replyTo;
    private final SqsOutbox outbox;
    private final Owner owner;
    private final WorkerCounters counters;
    private final MessageReader reader = new MessageReader();
    private final Map<Id, HeldMessage> expected = new ConcurrentHashMap<>();
    private final Set<Id> recentlyAnswered = Collections.newSetFromMap(new LinkedHashMap<>(64, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Id, Boolean> eldest) {
            return size() > REMEMBERED_ANSWERS;
        }
    });
    private final Semaphore notificationRoom = new Semaphore(MAX_QUEUED_NOTIFICATIONS);
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile Listener listener;
    private volatile boolean reading = true;
    private volatile long lastUsedNanos = System.nanoTime();

    ReplyConnection(String replyTo, SqsOutbox outbox, Owner owner, WorkerCounters counters) {
        this.replyTo = replyTo;
        this.outbox = outbox;
        this.owner = owner;
        this.counters = counters;
    }

    /** Whether {@code ids} can be expected (none of them is already running here under another message). */
    boolean canExpect(List<Id> ids) {
        for (Id id : ids) {
            if (expected.containsKey(id)) {
                return false;
            }
        }
        return true;
    }

    /** Expects answers for {@code ids}, the requests of {@code message}; call before delivering it. */
    void expect(List<Id> ids, HeldMessage message) {
        for (Id id : ids) {
            expected.put(id, message);
        }
        lastUsedNanos = System.nanoTime();
    }

    /** Whether the request {@code id} runs here now. */
    boolean isRunning(Id id) {
        return expected.containsKey(id);
    }

    /** Whether the request {@code id} was answered here lately. */
    boolean wasAnswered(Id id) {
        synchronized (recentlyAnswered) {
            return recentlyAnswered.contains(id);
        }
    }

    /** Hands one message body to the endpoint; from the receiving thread. */
    void deliver(byte[] body) {
        lastUsedNanos = System.nanoTime();
        listener.onMessage(body);
    }

    /** Whether nothing is expected and nothing was delivered for {@code idleNanos}. */
    boolean isIdle(long idleNanos) {
        return expected.isEmpty() && System.nanoTime() - lastUsedNanos > idleNanos;
    }

    boolean isReading() {
        return reading;
    }

    @Override
    public void start(Listener listener) {
        this.listener = listener;
    }

    @Override
    public void send(byte[] json) {
        checkOpen();
        try {
            notificationRoom.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectionClosedException("interrupted while waiting for room to send to " + replyTo);
        }
        if (replyTo == null) {
            notificationRoom.release();
            return;
        }
        try {
            outbox.reply(replyTo, json, ok -> notificationRoom.release());
        } catch (QueueSendException e) {
            notificationRoom.release();
            counters.repliesFailed.incrementAndGet();
            log.warn("a notification to {} was not sent: {}", replyTo, e.getMessage());
        }
    }

    /**
     * A request of ours to the manager: refused. Its answer would travel on the request queue,
     * where any worker may take it, not to this one.
     */
    @Override
    public void send(byte[] json, long deadlineNanos, Consumer<RuntimeException> notSent) {
        throw new UnsupportedOperationException("a worker on a request queue cannot call its manager (the answer would go to the "
                + "request queue, not to this worker); send it a notification instead");
    }

    @Override
    public void sendControl(byte[] json) {
        checkOpen();
        if (replyTo == null) {
            answerSent(json, true);
            return;
        }
        try {
            outbox.reply(replyTo, json, ok -> answerSent(json, ok));
        } catch (QueueSendException e) {
            // Too big for SQS without a blob store, or the store failed: the caller learns why.
            byte[] error = notSendable(json, e);
            outbox.reply(replyTo, error, ok -> answerSent(error, ok));
        }
    }

    private void answerSent(byte[] answer, boolean ok) {
        for (Id id : answeredIds(answer)) {
            HeldMessage message = expected.remove(id);
            if (message == null) {
                continue;
            }
            synchronized (recentlyAnswered) {
                recentlyAnswered.add(id);
            }
            if (!ok) {
                owner.notAnswered(message);
            } else {
                counters.answered.incrementAndGet();
                if (message.answered(id)) {
                    owner.answered(message);
                }
            }
        }
    }

    /** The ids a response, or a batch of them, answers. */
    private List<Id> answeredIds(byte[] answer) {
        List<Id> ids = new ArrayList<>();
        int first = 0;
        while (first < answer.length && Character.isWhitespace(answer[first])) {
            first++;
        }
        if (first < answer.length && answer[first] == '[') {
            DecodedFrame frame = reader.decode(answer);
            for (Message message : frame.messages()) {
                if (message instanceof Response response && response.id() != null) {
                    ids.add(response.id());
                }
            }
        } else {
            MessageHead head = reader.peek(answer);
            if (head.isResponse() && head.id() != null) {
                ids.add(head.id());
            }
        }
        return ids;
    }

    private byte[] notSendable(byte[] json, QueueSendException e) {
        MessageHead head = reader.peek(json);
        Id id = head.id() == null ? Id.NULL : head.id();
        return Answers.error(id, ErrorCodes.INTERNAL_ERROR, "the answer could not be sent: " + e.getMessage());
    }

    private void checkOpen() {
        if (closed.get()) {
            throw new ConnectionClosedException("the connection to " + replyTo + " is closed");
        }
    }

    @Override
    public boolean isWritable() {
        return notificationRoom.availablePermits() > MAX_QUEUED_NOTIFICATIONS / 2;
    }

    @Override
    public void setReading(boolean reading) {
        this.reading = reading;
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true) && listener != null) {
            listener.onClosed(null);
        }
    }

    @Override
    public String name() {
        return "sqs reply queue " + replyTo;
    }
}
