package dev.piperpc.core.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * The peer's messages on their way from the transport's I/O thread to the executor, with a bound.
 * Requests are handed to the executor up to {@code maxConcurrent} at a time; notifications, and
 * responses that must wait for the notifications before them, run one at a time in arrival order
 * (the ordered lane). What has not been handed on waits here; while {@code maxWaiting} or more
 * wait, reading from the peer pauses, and it resumes once half of them have been handed on.
 *
 * <p>Submitting happens on the I/O thread; finishing on executor threads. No thread per message:
 * a finished task hands the next one of its lane to the executor.
 */
public final class InboundQueue {

    private static final Logger log = LoggerFactory.getLogger(InboundQueue.class);

    /** One piece of work for the executor. */
    public interface Task extends Runnable {
        /** The executor refused the task: end it without running it. Must not throw. */
        void rejected(RejectedExecutionException cause);
    }

    /** Turns reading from the peer off and on. */
    public interface ReadSwitch {
        /** Stops ({@code false}) or resumes ({@code true}) reading. Must not block. */
        void setReading(boolean reading);
    }

    private final Executor executor;
    private final int maxConcurrent;
    private final int maxWaiting;
    private final ReadSwitch readSwitch;
    private final ArrayDeque<Task> requests = new ArrayDeque<>();
    private final ArrayDeque<Task> ordered = new ArrayDeque<>();
    private int requestsActive;
    private boolean orderedActive;
    /** Ordered tasks submitted and not yet finished; written under the lock, read without it. */
    private volatile int orderedUnfinished;
    private int waiting;
    private boolean paused;
    private long pauses;

    /**
     * A queue handing tasks to {@code executor}.
     *
     * @param maxConcurrent requests handed to the executor at once
     * @param maxWaiting    tasks waiting here at which reading pauses
     * @param readSwitch    pauses and resumes reading from the peer
     */
    public InboundQueue(Executor executor, int maxConcurrent, int maxWaiting, ReadSwitch readSwitch) {
        this.executor = executor;
        this.maxConcurrent = maxConcurrent;
        this.maxWaiting = maxWaiting;
        this.readSwitch = readSwitch;
    }

    /** I/O thread: runs a request when fewer than {@code maxConcurrent} are running, else queues it. */
    public void submitRequest(Task task) {
        synchronized (this) {
            if (requestsActive >= maxConcurrent) {
                requests.add(task);
                waitingAdded();
                return;
            }
            requestsActive++;
        }
        hand(task, true);
    }

    /** I/O thread: runs {@code task} after every ordered task submitted before it has finished. */
    public void submitOrdered(Task task) {
        synchronized (this) {
            orderedUnfinished++;
            if (orderedActive) {
                ordered.add(task);
                waitingAdded();
                return;
            }
            orderedActive = true;
        }
        hand(task, false);
    }

    /**
     * Whether an ordered task submitted earlier has not finished: a response that arrives now must
     * then wait for it. Only meaningful on the I/O thread, the one thread that submits.
     */
    public boolean hasOrderedWork() {
        return orderedUnfinished != 0;
    }

    /** Tasks waiting to be handed to the executor. */
    public synchronized int waiting() {
        return waiting;
    }

    /** How many times reading was paused. */
    public synchronized long pauses() {
        return pauses;
    }

    private void hand(Task first, boolean request) {
        Task task = first;
        while (task != null) {
            Task current = task;
            try {
                executor.execute(new Handed(current, request));
                return;
            } catch (RejectedExecutionException e) {
                rejectSafely(current, e);
                task = next(request);
            }
        }
    }

    /** A task handed to the executor: runs it, then hands on the next one waiting. */
    private final class Handed implements Runnable {
        private final Task task;
        private final boolean request;

        Handed(Task task, boolean request) {
            this.task = task;
            this.request = request;
        }

        @Override
        public void run() {
            runThenNext(task, request);
        }
    }

    private void runThenNext(Task task, boolean request) {
        try {
            task.run();
        } catch (RuntimeException e) {
            log.warn("a task for the peer's message failed", e);
        } finally {
            Task next = next(request);
            if (next != null) {
                hand(next, request);
            }
        }
    }

    /** A task of this lane finished: the next one to hand on, or {@code null} when the lane is idle. */
    private synchronized Task next(boolean request) {
        Task next = request ? requests.poll() : ordered.poll();
        if (!request) {
            orderedUnfinished--;
        }
        if (next == null) {
            if (request) {
                requestsActive--;
            } else {
                orderedActive = false;
            }
        } else {
            waitingRemoved();
        }
        return next;
    }

    private static void rejectSafely(Task task, RejectedExecutionException cause) {
        try {
            task.rejected(cause);
        } catch (RuntimeException e) {
            log.warn("ending a rejected task failed", e);
        }
    }

    /** Holds the lock. */
    private void waitingAdded() {
        assert Thread.holdsLock(this);
        waiting++;
        if (!paused && waiting >= maxWaiting) {
            paused = true;
            pauses++;
            readSwitch.setReading(false);
        }
    }

    /** Holds the lock. */
    private void waitingRemoved() {
        assert Thread.holdsLock(this);
        waiting--;
        if (paused && waiting <= maxWaiting / 2) {
            paused = false;
            readSwitch.setReading(true);
        }
    }
}
