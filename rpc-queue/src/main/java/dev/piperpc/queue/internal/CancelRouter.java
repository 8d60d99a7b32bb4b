package dev.piperpc.queue.internal;

import dev.piperpc.core.ProtocolMethods;
import dev.piperpc.core.codec.MessageReader;
import dev.piperpc.core.message.DecodedFrame;
import dev.piperpc.core.message.Id;
import dev.piperpc.core.message.Notification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.model.Message;

import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where a cancellation that came on the request queue goes. SQS has no way to address the one
 * worker that runs a request, so a cancellation travels like a request: the worker that runs the
 * request it names takes it; any other worker hands it back to the queue after a while (longer
 * with each receive, so that it costs a few requests, not a stream of them) for another worker to
 * look at, and remembers it, so that the request, should it arrive here later, is not run. It
 * ends when its request was answered here, or at its deadline.
 *
 * <p>Both dialects are understood: LSP's {@code $/cancelRequest {"id": …}} and MCP's
 * {@code notifications/cancelled {"requestId": …}}. Ids are per reply queue. Used by the
 * receiving thread only.
 */
final class CancelRouter {

    /** How long a cancellation without a deadline of its own is passed between workers. */
    static final long DEFAULT_LIFETIME_MILLIS = 5 * 60 * 1000L;
    /** The longest a cancellation stays hidden between two workers looking at it, in seconds. */
    static final int MAX_HAND_BACK_SECONDS = 20;
    /** How many early cancellations are remembered at most (the oldest are forgotten first). */
    static final int MAX_REMEMBERED = 10_000;

    private record Key(String replyTo, Id id) {
    }

    /** A cancellation seen before its request: until when it counts, and whether its request was dropped here for it. */
    private record Early(long untilMillis, boolean used) {
    }

    private static final Logger log = LoggerFactory.getLogger(CancelRouter.class);

    private final MessageReader reader;
    private final SqsOutbox outbox;
    private final WorkerCounters counters;
    private final Map<Key, Early> early = new LinkedHashMap<>();

    CancelRouter(MessageReader reader, SqsOutbox outbox, WorkerCounters counters) {
        this.reader = reader;
        this.outbox = outbox;
        this.counters = counters;
    }

    /**
     * A cancellation {@code message} of {@code id}, from the caller behind {@code replyTo}: to the
     * endpoint if the request runs here ({@code connection} is the caller's, or {@code null});
     * deleted if the request was answered here; otherwise remembered, and handed back to the
     * queue for another worker until {@code deadlineMillis} (with none, for {@link #DEFAULT_LIFETIME_MILLIS}).
     */
    void route(Message message, String replyTo, Id id, long deadlineMillis, ReplyConnection connection) {
        Key key = new Key(replyTo, id);
        Early seen = early.get(key);
        if (connection != null && connection.isRunning(id)) {
            counters.cancelled.incrementAndGet();
            // In the form that is answered (-32800): the answer is what lets the request message be deleted.
            connection.deliver(Answers.cancel(id));
            outbox.delete(message::receiptHandle, null);
        } else if (seen != null && seen.used() || connection != null && connection.wasAnswered(id)) {
            // Its request was dropped or answered here: nothing is left to cancel.
            early.remove(key);
            outbox.delete(message::receiptHandle, null);
        } else {
            long until = deadlineMillis == Long.MAX_VALUE ? System.currentTimeMillis() + DEFAULT_LIFETIME_MILLIS : deadlineMillis;
            remember(key, new Early(until, false));
            int hidden = handBackSeconds(Received.receiveCount(message));
            log.debug("the cancellation of {} for {} is not for this worker; back on the queue in {} s", id, replyTo, hidden);
            outbox.change(new SqsOutbox.Visibility(message::receiptHandle, hidden, () -> false));
        }
    }

    /**
     * Cancels the requests running here past their caller's deadline (the caller has stopped
     * waiting, and its cancellation may never reach this worker): their endpoint gets a
     * cancellation, as from the caller. From the receiving thread.
     */
    void cancelOverdue(Collection<HeldMessage> held) {
        long now = System.currentTimeMillis();
        for (HeldMessage message : held) {
            for (Id id : message.overdue(now)) {
                log.debug("request {} of {} runs past its deadline; cancelled", id, message);
                message.connection().deliver(Answers.cancel(id));
            }
        }
    }

    /** How long the next receive may wait: {@code waitSeconds}, less when a running request's deadline comes first. */
    static int pollWait(Collection<HeldMessage> held, int waitSeconds) {
        long now = System.currentTimeMillis();
        long next = Long.MAX_VALUE;
        for (HeldMessage message : held) {
            if (!message.isFinished() && message.deadlineMillis() > now) {
                next = Math.min(next, message.deadlineMillis());
            }
        }
        if (next == Long.MAX_VALUE) {
            return waitSeconds;
        }
        return (int) Math.min(waitSeconds, Math.max(1, (next - now + 999) / 1000));
    }

    /** The id that {@code frame} cancels, or {@code null} when it is not one cancellation. */
    Id target(DecodedFrame frame) {
        if (frame.batch() || frame.messages().size() != 1 || !(frame.messages().get(0) instanceof Notification notification)) {
            return null;
        }
        if (ProtocolMethods.CANCEL_REQUEST.equals(notification.method())) {
            return reader.idMember(notification.params(), "id");
        }
        if (ProtocolMethods.MCP_CANCELLED.equals(notification.method())) {
            return reader.idMember(notification.params(), "requestId");
        }
        return null;
    }

    private void remember(Key key, Early cancellation) {
        early.put(key, cancellation);
        long now = System.currentTimeMillis();
        Iterator<Early> oldest = early.values().iterator();
        while (oldest.hasNext()) {
            Early entry = oldest.next();
            if (early.size() <= MAX_REMEMBERED && entry.untilMillis() >= now) {
                break;
            }
            oldest.remove();
        }
    }

    /**
     * Whether {@code id} of {@code replyTo} was cancelled before it arrived here: then it is not
     * to run, and the cancellation, when it comes back, is deleted.
     */
    boolean takeEarly(String replyTo, Id id) {
        if (early.isEmpty()) {
            return false;
        }
        Key key = new Key(replyTo, id);
        Early seen = early.get(key);
        if (seen == null || seen.used() || seen.untilMillis() < System.currentTimeMillis()) {
            return false;
        }
        remember(key, new Early(seen.untilMillis(), true));
        return true;
    }

    /** How long a cancellation received {@code receives} times stays hidden before another look: 1, 2, 4 … 20 s. */
    static int handBackSeconds(int receives) {
        int shift = Math.max(0, Math.min(receives - 1, 5));
        return Math.min(MAX_HAND_BACK_SECONDS, 1 << shift);
    }
}
