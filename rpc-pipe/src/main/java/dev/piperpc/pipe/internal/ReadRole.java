package dev.piperpc.pipe.internal;

import dev.piperpc.core.transport.Transport.WaitingCaller;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.spi.AbstractSelectableChannel;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Who reads one worker's stdout: the reactor, or for a while the threads that wait for the only
 * call pending on that worker. A waiting thread that is lent the reading waits on a selector of
 * this worker's own, so the response wakes it directly and the reactor is not involved: one thread
 * switch per round trip. Between the calls of a synchronous caller the reading stays lent (the
 * reactor does not listen to the pipe), so a loop of calls wakes the reactor only on its tick,
 * which slows down to one every {@value Reactor#MAX_TICK_MILLIS} ms while callers keep reading.
 * The reactor takes the reading back on a tick once no call has read since the tick before (so
 * within {@value Reactor#MAX_TICK_MILLIS} to twice that many ms of a caller's last call), at the
 * first tick 0.2 ms after a send that no one waits on (ticks come every
 * {@value Reactor#TICK_MILLIS} ms from the one that sees it, unless that one comes within 0.05 ms
 * of the send, when a synchronous caller's thread may not have started reading yet), and at once
 * on a second send while the first is unread (calls pile up: not a synchronous caller), when its
 * own work on this worker cannot wait, or when a waiting thread finds the reading held by the
 * reactor for a moment and cannot take it.
 *
 * <p>The lock is the reading itself: whoever holds it (the reactor, or one lent thread) is the
 * only one reading stdout and delivering to the listener. Nobody waits for it: a thread that
 * finds it taken waits for its call as usual, and the reactor defers its work on this worker and
 * asks for the reading back.
 */
final class ReadRole {

    private static final Logger log = LoggerFactory.getLogger(ReadRole.class);
    /** The longest a lent thread sleeps before it looks at its call again (it is woken sooner when it ends). */
    private static final long MAX_SELECT_MILLIS = 1_000;
    private static final int BUFFER_BYTES = 16 * 1024;
    /**
     * How long a request sent while the reading is lent may go without a call reading before the
     * reactor takes the reading back: a synchronous caller starts reading within microseconds.
     */
    private static final long UNWATCHED_NANOS = TimeUnit.MICROSECONDS.toNanos(200);
    /**
     * How old an unwatched send must be for a tick to ask for a quick next one. A younger one is
     * most likely a synchronous caller's whose thread has not started reading yet (on a busy CPU
     * the worker runs between the send and the read): quick ticks for those would come on every
     * other tick of a loop of calls, and each delays the round trip it lands on. The next regular
     * tick looks at it again.
     */
    private static final long QUICK_LOOK_NANOS = TimeUnit.MICROSECONDS.toNanos(50);
    private static final Consumer<SelectionKey> IGNORE_KEY = key -> { };

    /** What this role needs of the worker's transport. */
    interface Stdout {
        /** Reads stdout once into {@code buffer} and delivers the frames; what the read returned. */
        int readAndDeliver(ByteBuffer buffer) throws IOException;

        /** Whether the endpoint wants stdout read now. */
        boolean reading();

        /** Reactor thread: the reading was taken back; the reactor listens to stdout again as the endpoint wants. */
        void readingBack();

        /** Reactor thread, holding the reading: {@code error} was thrown while reading; end the connection. */
        void fail(Error error);
    }

    private final String name;
    private final Reactor reactor;
    private final AbstractSelectableChannel channel;
    private final Stdout stdout;
    private final Reactor.TickTask tick = this::onTick;
    private final ReentrantLock lock = new ReentrantLock();
    /** Reactor work on this worker that found the reading lent, run once it is back. */
    private final Queue<Runnable> deferred = new ConcurrentLinkedQueue<>();
    private volatile boolean lent;
    private volatile boolean wanted;
    /** When a request was sent while the reading was lent and no call has read since ({@link System#nanoTime()}), or 0. */
    private volatile long unwatchedSince;
    private int sessions;
    private int sessionsAtTick;
    private boolean closed;
    private volatile Selector selector;
    private ByteBuffer buffer;

    ReadRole(String name, Reactor reactor, AbstractSelectableChannel channel, Stdout stdout) {
        this.name = name;
        this.reactor = reactor;
        this.channel = channel;
        this.stdout = stdout;
    }

    /**
     * A thread waiting for {@code caller}'s call reads stdout itself while it may; see
     * {@link dev.piperpc.core.transport.Transport#readWhileWaiting}. Never the reactor thread.
     */
    boolean readWhileWaiting(WaitingCaller caller) {
        if (reactor.inReactorThread() || !stdout.reading() || isWanted()) {
            return false;
        }
        if (!lock.tryLock()) {
            if (lent) {
                // Held for a moment by the reactor, which may leave the reading lent with nobody reading.
                reactor.execute(this::reclaim);
            }
            return false;
        }
        boolean giveBack = true;
        try {
            giveBack = read(caller);
            return true;
        } catch (IOException e) {
            log.debug("{}: reading stdout while waiting failed: {}", name, e.getMessage());
            return true;
        } catch (RuntimeException e) {
            log.error("{}: reading stdout while waiting failed", name, e);
            return true;
        } catch (Error e) {
            reactor.execute(() -> run(() -> stdout.fail(e)));
            return true;
        } finally {
            lock.unlock();
            if (giveBack || isWanted()) {
                reactor.execute(this::reclaim);
            }
        }
    }

    /**
     * Reactor thread: runs {@code task}, which touches what the reader touches (the listener, the
     * decoder, the connection's lifecycle), holding the reading; if a waiting caller has it, defers
     * the task and asks for the reading back.
     */
    void run(Runnable task) {
        if (lock.tryLock()) {
            try {
                if (lent) {
                    reclaimLocked();
                }
                task.run();
            } finally {
                lock.unlock();
            }
            return;
        }
        deferred.add(task);
        wanted = true;
        wakeReader();
        // The caller may have let go before it saw the request: then take the reading back here.
        reclaim();
    }

    /** Reactor thread: takes the reading back, unless a caller is reading again (it gives it back when done). */
    private void reclaim() {
        if (lock.tryLock()) {
            try {
                reclaimLocked();
            } finally {
                lock.unlock();
            }
        }
    }

    /**
     * Reactor thread, every tick while the reading is lent: takes it back from callers that have
     * gone. Asks for a quick next tick while a send that is not brand new waits to see whether a
     * call reads for it; while callers keep reading (one holds the reading at the tick, or one has
     * read since the last), ticks slow down.
     */
    private boolean onTick() {
        if (!lock.tryLock()) {
            return false;
        }
        try {
            if (!lent) {
                reactor.stopTicking(tick);
            } else if (sessions == sessionsAtTick || wanted || unwatchedFor(UNWATCHED_NANOS)) {
                reclaimLocked();
            }
            sessionsAtTick = sessions;
            return lent && unwatchedFor(QUICK_LOOK_NANOS);
        } finally {
            lock.unlock();
        }
    }

    /** Reactor thread, holding the lock: takes the reading back and runs the work deferred meanwhile. */
    private void reclaimLocked() {
        if (lent) {
            reactor.stopTicking(tick);
        }
        lent = false;
        wanted = false;
        unwatchedSince = 0;
        stdout.readingBack();
        Runnable task;
        while ((task = deferred.poll()) != null) {
            try {
                task.run();
            } catch (RuntimeException e) {
                log.error("reactor task failed", e);
            }
        }
    }

    /** Reactor thread: takes the reading for a read on readiness; {@code false} if a caller has it. */
    boolean tryLock() {
        return lock.tryLock();
    }

    void unlock() {
        lock.unlock();
    }

    /** Whether the reading is lent to callers (the reactor must not listen to stdout). */
    boolean isLent() {
        return lent;
    }

    /** Whether the reactor has work on this worker waiting for the reading to come back. */
    boolean isWanted() {
        return wanted || !deferred.isEmpty();
    }

    /**
     * A request was sent that perhaps no one will wait on: the reactor takes the reading back at
     * its first tick {@link #UNWATCHED_NANOS} later unless a call reads by then. A second send
     * while the first is unread and nobody reads is not a synchronous caller's: the reactor takes
     * the reading back at once.
     */
    void sentWhileLent() {
        if (!lent) {
            return;
        }
        if (unwatchedSince == 0) {
            unwatchedSince = System.nanoTime();
        } else if (!wanted && !lock.isLocked()) {
            wanted = true;
            reactor.execute(this::reclaim);
        }
    }

    /**
     * The calling thread, holding the lock, reads stdout until {@code caller} is done or must stop.
     * Returns whether the reactor must take the reading back at once: someone else's response is
     * awaited, or the thread stopped for a reason of its own (deadline, interrupt, paused reading,
     * the end of stdout, a failure) while its call goes on.
     */
    private boolean read(WaitingCaller caller) throws IOException {
        assert lock.isHeldByCurrentThread();
        if (closed) {
            return true;
        }
        if (selector == null) {
            selector = Selector.open();
            channel.register(selector, SelectionKey.OP_READ);
            buffer = ByteBuffer.allocate(BUFFER_BYTES);
        }
        if (!lent) {
            lent = true;
            reactor.tick(tick);
        }
        sessions++;
        unwatchedSince = 0;
        while (true) {
            if (caller.isDone()) {
                return caller.othersAwaited();
            }
            long deadline = caller.deadlineNanos();
            long remaining = deadline == Long.MAX_VALUE ? Long.MAX_VALUE : deadline - System.nanoTime();
            if (remaining <= 0 || wanted || !stdout.reading() || Thread.currentThread().isInterrupted()) {
                return true;
            }
            selector.select(IGNORE_KEY, Math.min(MAX_SELECT_MILLIS, Math.max(1, TimeUnit.NANOSECONDS.toMillis(remaining))));
            if (stdout.readAndDeliver(buffer) < 0) {
                return true; // the reactor reads the end again and handles it
            }
        }
    }

    /** Whether a request sent while the reading was lent has gone {@code nanos} without a call reading. */
    private boolean unwatchedFor(long nanos) {
        long since = unwatchedSince;
        return since != 0 && System.nanoTime() - since >= nanos;
    }

    /** Wakes the thread reading, if one does. Any thread. */
    void wakeReader() {
        Selector current = selector;
        if (current != null) {
            current.wakeup();
        }
    }

    /** Holding the lock: the connection has ended; closes the selector of lent threads. */
    void close() {
        closed = true;
        Selector current = selector;
        if (current != null) {
            try {
                current.close();
            } catch (IOException e) {
                log.debug("closing a selector failed: {}", e.getMessage());
            }
        }
    }
}
