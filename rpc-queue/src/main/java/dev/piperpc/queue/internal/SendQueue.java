package dev.piperpc.queue.internal;

import dev.piperpc.core.BackpressureException;
import dev.piperpc.core.ConnectionClosedException;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The bounded queue between callers and the sender threads. {@link #offer} refuses requests and
 * notifications beyond {@code bound} messages; cancellations and answers pass it up to a hard limit.
 * Senders take whatever is queued, up to one SQS batch, without waiting for more.
 */
final class SendQueue {

    private final String name;
    private final int bound;
    private final int hardLimit;
    private final ArrayDeque<Outgoing> queue = new ArrayDeque<>();
    private boolean closed;

    SendQueue(String name, int bound) {
        this.name = name;
        this.bound = bound;
        this.hardLimit = bound + Math.max(bound, 1024);
    }

    /**
     * Queues {@code message}.
     *
     * @throws BackpressureException      if the bound (or, for a control message, the hard limit) is reached
     * @throws ConnectionClosedException if the outbox is closed
     */
    synchronized void offer(Outgoing message) {
        if (closed) {
            throw new ConnectionClosedException(name + " is closed");
        }
        int limit = message.control() ? hardLimit : bound;
        if (queue.size() >= limit) {
            throw new BackpressureException(name + ": " + queue.size() + " messages wait to be sent to SQS (bound "
                    + limit + ")");
        }
        queue.add(message);
        notify();
    }

    /**
     * Waits until something is queued and takes up to {@code maxMessages} messages of at most
     * {@code maxBytes} in all (a larger single message is taken alone). Returns an empty list once
     * the outbox is closed and empty.
     */
    synchronized List<Outgoing> take(int maxMessages, int maxBytes) throws InterruptedException {
        while (queue.isEmpty() && !closed) {
            wait();
        }
        List<Outgoing> taken = new ArrayList<>(Math.min(maxMessages, queue.size()));
        int bytes = 0;
        while (!queue.isEmpty() && taken.size() < maxMessages
                && (taken.isEmpty() || bytes + queue.peek().size() <= maxBytes)) {
            Outgoing next = queue.poll();
            bytes += next.size();
            taken.add(next);
        }
        if (!queue.isEmpty()) {
            notify(); // more for another sender
        }
        return taken;
    }

    /** Whether fewer than half the bound wait. */
    synchronized boolean isWritable() {
        return queue.size() < Math.max(1, bound / 2);
    }

    /** Messages waiting. */
    synchronized int size() {
        return queue.size();
    }

    /** Takes no more; senders send what is queued, then stop. */
    synchronized void close() {
        closed = true;
        notifyAll();
    }

    /** Closes and hands back what was still queued. */
    synchronized List<Outgoing> closeAndDrain() {
        closed = true;
        List<Outgoing> left = new ArrayList<>(queue);
        queue.clear();
        notifyAll();
        return left;
    }
}
