package dev.piperpc.queue.internal;

import dev.piperpc.core.message.Id;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A request message received and held by this worker: it runs here, its visibility is extended
 * while it runs (the lease), and it is deleted once every request in it has been answered.
 */
final class HeldMessage {

    private final String messageId;
    private volatile String receiptHandle;
    private final Set<Id> unanswered;
    private final String blob;
    private final long deadlineMillis;
    private final ReplyConnection connection;
    private final long receivedNanos = System.nanoTime();
    private volatile boolean finished;
    private boolean overdue;

    /**
     * @param blob           where the message's text is stored (claim-check), or {@code null}
     * @param deadlineMillis when its caller stops waiting (epoch milliseconds; {@code Long.MAX_VALUE}: never)
     * @param connection     the connection its requests run on
     */
    HeldMessage(String messageId, String receiptHandle, Collection<Id> requestIds, String blob, long deadlineMillis,
                ReplyConnection connection) {
        this.messageId = messageId;
        this.receiptHandle = receiptHandle;
        this.unanswered = new HashSet<>(requestIds);
        this.blob = blob;
        this.deadlineMillis = deadlineMillis;
        this.connection = connection;
    }

    /** When its caller stops waiting, in epoch milliseconds ({@code Long.MAX_VALUE}: never). */
    long deadlineMillis() {
        return deadlineMillis;
    }

    /** When it was received here ({@link System#nanoTime()}). */
    long receivedNanos() {
        return receivedNanos;
    }

    /** The connection its requests run on. */
    ReplyConnection connection() {
        return connection;
    }

    /**
     * The requests still unanswered once its deadline has passed, the first time this is asked
     * after it (then an empty list): they are to be cancelled, once.
     */
    synchronized List<Id> overdue(long nowMillis) {
        if (overdue || finished || nowMillis < deadlineMillis) {
            return List.of();
        }
        overdue = true;
        return new ArrayList<>(unanswered);
    }

    /** Where the message's text is stored (claim-check), or {@code null}: deleted after the message. */
    String blob() {
        return blob;
    }

    String messageId() {
        return messageId;
    }

    /** The newest receipt handle: a redelivery replaces the old one for the lease and the delete. */
    String receiptHandle() {
        return receiptHandle;
    }

    void redelivered(String handle) {
        this.receiptHandle = handle;
    }

    /** Marks {@code id} answered; whether every request of the message is answered now. */
    synchronized boolean answered(Id id) {
        unanswered.remove(id);
        return unanswered.isEmpty();
    }

    /** Marks the message finished (answered, or given up here); whether this call did so. */
    synchronized boolean finish() {
        if (finished) {
            return false;
        }
        finished = true;
        return true;
    }

    /** Whether the message was answered or given up here: its lease needs no renewal. */
    boolean isFinished() {
        return finished;
    }

    @Override
    public String toString() {
        return "message " + messageId;
    }
}
