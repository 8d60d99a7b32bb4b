package dev.piperpc.core.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The one timer thread of the JVM, {@code piperpc-timers}: it ends the timed-out calls of every
 * endpoint and runs every other timer (restarts, the stages of stopping a worker), so I/O threads
 * do I/O only. It sleeps until the earliest deadline among all pending calls and timers, so a call
 * costs no timer of its own. Timer tasks run on this thread and must be quick and never block:
 * anything more is handed to an executor or an I/O thread.
 */
public final class Scheduler {

    private static final Logger log = LoggerFactory.getLogger(Scheduler.class);
    private static final long HORIZON_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final Scheduler INSTANCE = new Scheduler();

    private record Timer(long deadlineNanos, long sequence, Runnable task) implements Comparable<Timer> {
        @Override
        public int compareTo(Timer other) {
            int byTime = Long.compare(deadlineNanos - other.deadlineNanos, 0);
            return byTime != 0 ? byTime : Long.compare(sequence, other.sequence);
        }
    }

    private final Set<PendingTable> tables = ConcurrentHashMap.newKeySet();
    private final PriorityQueue<Timer> timers = new PriorityQueue<>();
    private long timerSequence;
    private volatile long plannedWake;
    private volatile boolean running;
    private final Thread thread;

    private Scheduler() {
        thread = new Thread(this::run, "piperpc-timers");
        thread.setDaemon(true);
        plannedWake = System.nanoTime() + HORIZON_NANOS;
        thread.start();
    }

    /** The scheduler of this JVM. */
    public static Scheduler instance() {
        return INSTANCE;
    }

    /** Starts ending the timed-out calls of {@code table}. */
    public void register(PendingTable table) {
        tables.add(table);
    }

    /** Stops watching {@code table}. */
    public void unregister(PendingTable table) {
        tables.remove(table);
    }

    /** A call with this deadline was added: wake up earlier if needed. */
    public void deadlineAdded(long deadlineNanos) {
        if (running || deadlineNanos - plannedWake < 0) {
            LockSupport.unpark(thread);
        }
    }

    /** Runs {@code task} on the timer thread after {@code delayNanos}; it must be quick and never block. */
    public void schedule(long delayNanos, Runnable task) {
        long deadline = System.nanoTime() + delayNanos;
        synchronized (timers) {
            timers.add(new Timer(deadline, timerSequence++, task));
        }
        deadlineAdded(deadline);
    }

    private void run() {
        while (true) {
            running = true;
            long now = System.nanoTime();
            long next = sweep(now);
            next = earlier(next, runDueTimers());
            plannedWake = next;
            running = false;
            LockSupport.parkNanos(this, Math.max(0, next - System.nanoTime()));
        }
    }

    /** Ends the timed-out calls; returns the earliest deadline left. */
    private long sweep(long now) {
        long next = now + HORIZON_NANOS;
        for (PendingTable table : tables) {
            try {
                next = earlier(next, table.expire(now, HORIZON_NANOS));
            } catch (RuntimeException | Error e) {
                // Contained: this thread ends the calls of every endpoint, so it must not die.
                log.error("failed to expire calls", e);
            }
        }
        return next;
    }

    /** Runs the timers that are due; returns when the next one is due. */
    private long runDueTimers() {
        while (true) {
            Timer due;
            synchronized (timers) {
                Timer first = timers.peek();
                if (first == null) {
                    return Long.MAX_VALUE;
                }
                if (first.deadlineNanos() - System.nanoTime() > 0) {
                    return first.deadlineNanos();
                }
                due = timers.poll();
            }
            try {
                due.task().run();
            } catch (RuntimeException | Error e) {
                log.error("a timer task failed", e);
            }
        }
    }

    private static long earlier(long a, long b) {
        if (b == Long.MAX_VALUE) {
            return a;
        }
        return b - a < 0 ? b : a;
    }
}
