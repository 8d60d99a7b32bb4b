package dev.piperpc.worker.internal;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.locks.LockSupport;

/**
 * The threads of a worker that serves one input: {@code concurrency} call slots and one reading
 * role, taken in turns by at most {@code concurrency + 1} threads (leader/follower).
 *
 * <p>One thread at a time, the <em>leader</em>, holds the reading role: it runs the
 * {@link ReadStep} over and over, and what that step frames reaches {@link #execute} on the
 * leader itself. The first task submitted during a read while the pool is idle (a call slot
 * free and no task waiting) is <em>claimed</em> by the leader instead of being queued: it takes
 * the slot at once, but does not run yet. The leader first finishes the read step, so every
 * other frame of the same read is framed and dispatched (queued for other threads, or applied,
 * such as a cancellation of the claimed call) and no bytes of that read are left to anybody
 * else; bytes of a frame not yet complete stay inside the frame decoder. Then, under the pool's
 * lock, it gives the reading role up: an idle thread, or a new one, becomes the leader and
 * continues with the same decoder and buffer where the old leader stopped. The lock's release by
 * the old leader and the new leader's reading of its assignment (a volatile field written under
 * that lock) order everything the old leader did to the decoder before anything the new leader
 * does with it. Only then does the old leader run the claimed task, so user code never runs on
 * a thread that holds the reading role, a slow method never holds up reading, and a method that
 * waits for an answer from its peer gets it read by the new leader. A fast method costs no
 * thread switch: the thread woken by the read is the one that runs it.
 *
 * <p>A read that brings more than one task is a burst: the leader keeps the reading role and
 * its claimed task goes first in line, so a burst costs no hand-over of the reading.
 *
 * <p>Tasks submitted at any other time (several in one read, a full pool, a task submitted by a
 * task) wait in arrival order and go to the threads with a free slot: a thread that finishes a
 * task takes the next waiting one itself, else takes the reading role if nobody holds it, else
 * waits, idle, until it is given a role. Idle threads are woken most recently idle first, each
 * for the one role it is given (no thundering herd). A role is given to a new thread only when
 * no thread is idle, so there are never more than {@code concurrency + 1} threads: one role each,
 * a slot per running task and the reading role. Threads do not end while the pool runs.
 *
 * <p>Bounds: tasks never run more than {@code concurrency} at once. The tasks waiting here are
 * bounded by whoever submits them: an endpoint hands on at most its
 * {@code maxConcurrentRequests} requests and one notification at a time, and keeps the rest in
 * its own bounded queue (which pauses reading when it is full, holding the leader in its read
 * step). After {@link #shutdown()} nothing new is taken, the reading role is not handed on, tasks
 * already waiting still run, and idle threads end.
 */
public final class LeaderFollowerPool implements Executor {

    /** What the leader does with the input. */
    public interface ReadStep {
        /**
         * Reads once from the input and hands what it framed on; runs on the leader, one call at a
         * time, each seeing everything the previous one did.
         *
         * @return {@code false} once the input has ended and nothing more will be read
         */
        boolean readOnce();
    }

    /** The assignment to hold the reading role; a marker, never run. */
    private static final Runnable LEAD = () -> { };
    /** The assignment to end the thread; a marker, never run. */
    private static final Runnable EXIT = () -> { };

    private final int concurrency;
    private final ThreadFactory threadFactory;
    /** Tasks waiting for a slot, in arrival order. */
    private final ArrayDeque<Runnable> waiting = new ArrayDeque<>();
    /** Threads waiting for a role, the most recently idle first. */
    private final ArrayDeque<Turn> idle = new ArrayDeque<>();
    private ReadStep reading;
    /** The thread that holds the reading role, or {@code null}. */
    private Thread leader;
    /** The leader's task from its current read, taken but not yet started. */
    private Runnable claimed;
    /** Slots taken: tasks running, and a claimed task. */
    private int busySlots;
    private int threads;
    private boolean readingOver;
    private boolean stopped;

    /** A pool of {@code concurrency} slots whose threads {@code threadFactory} makes, on demand. */
    public LeaderFollowerPool(int concurrency, ThreadFactory threadFactory) {
        if (concurrency <= 0) {
            throw new IllegalArgumentException("concurrency must be positive");
        }
        this.concurrency = concurrency;
        this.threadFactory = threadFactory;
    }

    /** Starts reading: from now on one thread of the pool runs {@code step} at a time. Called once. */
    public synchronized void startReading(ReadStep step) {
        if (reading != null) {
            throw new IllegalStateException("already reading");
        }
        reading = step;
        fillRoles();
    }

    /**
     * Runs {@code task} on a thread of the pool: the leader's own task if it comes from the
     * leader's read while the pool is idle, else as soon as a slot is free, in arrival order.
     * Never runs it on the calling thread before returning.
     *
     * @throws RejectedExecutionException after {@link #shutdown()}
     */
    @Override
    public void execute(Runnable task) {
        synchronized (this) {
            if (stopped) {
                throw new RejectedExecutionException("the worker is stopping");
            }
            if (claimed == null && leader == Thread.currentThread() && busySlots < concurrency && waiting.isEmpty()) {
                claimed = task;
                busySlots++;
                return;
            }
            waiting.add(task);
            fillRoles();
        }
    }

    /** Takes no more tasks and stops handing the reading role on; waiting tasks still run, idle threads end. */
    public synchronized void shutdown() {
        stopped = true;
        readingOver = true;
        Turn turn;
        while ((turn = idle.poll()) != null) {
            threads--;
            turn.assign(EXIT);
        }
    }

    /** The body of every thread of the pool: one assignment after the other. */
    private void work(Turn turn) {
        Runnable job = turn.await();
        while (job != null) {
            // An interrupt meant for a task that has finished must not reach the next one.
            Thread.interrupted();
            boolean slotTaken = job != LEAD;
            if (job == LEAD) {
                Runnable own = lead();
                if (own != null) {
                    Thread.interrupted();
                    slotTaken = true;
                    own.run();
                }
            } else {
                job.run();
            }
            job = next(turn, slotTaken);
        }
    }

    /**
     * The leader reads until a read brings a task of its own, the input ends or the pool stops;
     * then it hands the reading role on and returns its task, if any.
     */
    private Runnable lead() {
        while (true) {
            boolean more = reading.readOnce();
            synchronized (this) {
                Runnable own = claimed;
                claimed = null;
                if (!more) {
                    readingOver = true;
                }
                if (own != null && !waiting.isEmpty() && !readingOver) {
                    // A burst: the leader reads on, and its task waits first in line for a call thread.
                    waiting.addFirst(own);
                    busySlots--;
                    own = null;
                    fillRoles();
                }
                if (own == null && !readingOver) {
                    continue;
                }
                leader = null;
                fillRoles();
                return own;
            }
        }
    }

    /** After an assignment: the next one for this thread, waiting idle for it if need be; {@code null} to end. */
    private Runnable next(Turn turn, boolean slotTaken) {
        synchronized (this) {
            if (slotTaken) {
                busySlots--;
            }
            Runnable job = takeRole(turn.thread);
            if (job != null) {
                fillRoles();
                return job;
            }
            if (stopped) {
                threads--;
                return null;
            }
            idle.push(turn);
        }
        return turn.await();
    }

    /** Holds the lock: a role for {@code thread} (a waiting task first, then reading), or {@code null}. */
    private Runnable takeRole(Thread thread) {
        assert Thread.holdsLock(this);
        if (!waiting.isEmpty() && busySlots < concurrency) {
            busySlots++;
            return waiting.poll();
        }
        if (leader == null && reading != null && !readingOver) {
            leader = thread;
            return LEAD;
        }
        return null;
    }

    /** Holds the lock: gives every role nobody holds to an idle thread, or to a new one. */
    private void fillRoles() {
        assert Thread.holdsLock(this);
        while ((leader == null && reading != null && !readingOver) || (!waiting.isEmpty() && busySlots < concurrency)) {
            Turn turn = idle.poll();
            if (turn == null) {
                if (threads > concurrency) {
                    // Not reached: one thread per role, and there are concurrency + 1 roles.
                    return;
                }
                turn = newTurn();
            }
            turn.assign(takeRole(turn.thread));
        }
    }

    private Turn newTurn() {
        Turn turn = new Turn();
        Thread thread = threadFactory.newThread(() -> work(turn));
        turn.thread = thread;
        threads++;
        thread.start();
        return turn;
    }

    /** One thread's next assignment, handed over while the thread waits for it. */
    private static final class Turn {
        private Thread thread;
        private volatile Runnable assigned;

        /** Holds the pool's lock. */
        void assign(Runnable job) {
            assigned = job;
            LockSupport.unpark(thread);
        }

        /** The owning thread waits for its assignment; {@code null} means end. */
        Runnable await() {
            Runnable job;
            while ((job = assigned) == null) {
                Thread.interrupted();
                LockSupport.park(this);
            }
            assigned = null;
            return job == EXIT ? null : job;
        }
    }
}
