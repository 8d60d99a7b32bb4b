package dev.piperpc.core.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * One daemon thread that ends the timed-out calls of every endpoint in the JVM. It sleeps until
 * the earliest deadline among all pending calls, so a call costs no timer registration of its own;
 * a new call whose deadline is earlier than the planned wake-up wakes it.
 */
public final class DeadlineSweeper {

    private static final Logger log = LoggerFactory.getLogger(DeadlineSweeper.class);
    private static final long HORIZON_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final DeadlineSweeper INSTANCE = new DeadlineSweeper();

    private final Set<PendingTable> tables = ConcurrentHashMap.newKeySet();
    private volatile long plannedWake;
    private volatile boolean sweeping;
    private final Thread thread;

    private DeadlineSweeper() {
        thread = new Thread(this::run, "piperpc-timeouts");
        thread.setDaemon(true);
        plannedWake = System.nanoTime() + HORIZON_NANOS;
        thread.start();
    }

    /** The sweeper of this JVM. */
    public static DeadlineSweeper instance() {
        return INSTANCE;
    }

    /** Starts watching {@code table}. */
    public void register(PendingTable table) {
        tables.add(table);
    }

    /** Stops watching {@code table}. */
    public void unregister(PendingTable table) {
        tables.remove(table);
    }

    /** A call with this deadline was added: wake up earlier if needed. */
    public void deadlineAdded(long deadlineNanos) {
        if (sweeping || deadlineNanos - plannedWake < 0) {
            LockSupport.unpark(thread);
        }
    }

    private void run() {
        while (true) {
            sweeping = true;
            long now = System.nanoTime();
            long next = now + HORIZON_NANOS;
            for (PendingTable table : tables) {
                try {
                    long tableNext = table.expire(now, HORIZON_NANOS);
                    if (tableNext - next < 0) {
                        next = tableNext;
                    }
                } catch (RuntimeException | Error e) {
                    // Contained: this thread ends the calls of every endpoint, so it must not die.
                    log.error("failed to expire calls", e);
                }
            }
            plannedWake = next;
            sweeping = false;
            LockSupport.parkNanos(this, Math.max(0, next - System.nanoTime()));
        }
    }
}
