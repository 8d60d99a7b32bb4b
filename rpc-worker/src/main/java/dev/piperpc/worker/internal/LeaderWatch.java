package dev.piperpc.worker.internal;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * The {@code piperpc-watch} thread of a {@link LeaderFollowerPool}: gives the reading role to
 * another thread when a task the leader runs itself has run for {@value #WATCH_MILLIS} ms. It
 * looks every {@value #WATCH_MILLIS} ms while the leader runs tasks, and sleeps for good once the
 * leader has run none for two looks, until the next one. Started with the first such task.
 */
final class LeaderWatch implements Runnable {

    /** How often the watch looks at a task the leader runs itself, and how long such a task may hold the reading. */
    static final long WATCH_MILLIS = 10;
    private static final long WATCH_NANOS = TimeUnit.MILLISECONDS.toNanos(WATCH_MILLIS);

    /** What the watch looks at. */
    interface Watched {
        /**
         * How many tasks the leader has run itself and whether it runs one now; first, if the
         * task it runs is the one it ran at the last look ({@code seen} tasks then) and started
         * at least {@code heldNanos} ago, gives the reading role to another thread.
         */
        Look look(long seen, long heldNanos);
    }

    /** What one look saw. */
    record Look(long leaderRuns, boolean running) {
    }

    private final Watched pool;
    private final AtomicBoolean asleep = new AtomicBoolean(true);
    private Thread thread;
    private volatile boolean stopped;

    LeaderWatch(Watched pool) {
        this.pool = pool;
    }

    /** The leader starts a task of its own: wakes the watch if it sleeps for good, starting it the first time. */
    void leaderRuns() {
        if (asleep.get() && asleep.compareAndSet(true, false)) {
            Thread watching;
            synchronized (this) {
                if (thread == null) {
                    thread = new Thread(this, "piperpc-watch");
                    thread.setDaemon(true);
                    thread.start();
                    return;
                }
                watching = thread;
            }
            LockSupport.unpark(watching);
        }
    }

    /** Ends the watch. */
    void stop() {
        stopped = true;
        Thread watching;
        synchronized (this) {
            watching = thread;
        }
        if (watching != null) {
            LockSupport.unpark(watching);
        }
    }

    @Override
    public void run() {
        long seen = -1;
        int quiet = 0;
        while (!stopped) {
            LockSupport.parkNanos(this, WATCH_NANOS);
            Look look = pool.look(seen, WATCH_NANOS);
            quiet = !look.running() && look.leaderRuns() == seen ? quiet + 1 : 0;
            seen = look.leaderRuns();
            if (quiet >= 2) {
                quiet = 0;
                sleepUntilLeaderRuns(seen);
            }
        }
    }

    private void sleepUntilLeaderRuns(long seen) {
        asleep.set(true);
        Look look = pool.look(seen, Long.MAX_VALUE);
        if (look.leaderRuns() != seen || look.running()) {
            asleep.set(false);
            return;
        }
        while (asleep.get() && !stopped) {
            LockSupport.park(this);
        }
    }
}
