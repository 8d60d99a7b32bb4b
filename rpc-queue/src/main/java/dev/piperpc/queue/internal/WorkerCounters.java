package dev.piperpc.queue.internal;

import java.util.concurrent.atomic.AtomicLong;

/** The counters of a queue worker; any thread. */
public final class WorkerCounters {
    /** Messages received, not counting redeliveries of messages held here. */
    public final AtomicLong received = new AtomicLong();
    /** Requests whose answer was sent to their reply queue. */
    public final AtomicLong answered = new AtomicLong();
    /** Redeliveries of messages still held here, not run again. */
    public final AtomicLong duplicates = new AtomicLong();
    /** Requests cancelled by their caller: while running here, or before they arrived (deleted unrun). */
    public final AtomicLong cancelled = new AtomicLong();
    /** Messages past their deadline, deleted unrun. */
    public final AtomicLong expired = new AtomicLong();
    /** Messages received more often than allowed, answered with an error and left for the dead-letter queue. */
    public final AtomicLong poison = new AtomicLong();
    /** Bodies that are not JSON-RPC, not run. */
    public final AtomicLong malformed = new AtomicLong();
    /** Deletes or visibility changes refused for a stale receipt handle (or otherwise failed). */
    public final AtomicLong leasesLost = new AtomicLong();
    /** Answers that could not be sent to their reply queue. */
    public final AtomicLong repliesFailed = new AtomicLong();
}
