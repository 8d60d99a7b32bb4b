package dev.piperpc.pipe.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One thread with one {@link Selector} that does the pipe I/O of every worker in the JVM. It only
 * moves bytes, splits frames and hands them on; it never blocks and never runs user code. Other
 * threads talk to it by queueing tasks. Timers live on the scheduler of rpc-core, not here.
 */
public final class Reactor {

    private static final Logger log = LoggerFactory.getLogger(Reactor.class);
    private static volatile Reactor shared;
    /** The shortest time between two ticks; see {@link #tick}. */
    static final long TICK_MILLIS = 1;
    /** The longest time between two ticks while no ticking task asks for a quick one. */
    static final long MAX_TICK_MILLIS = 8;

    /** What the reactor calls when a registered channel is ready. */
    public interface ReadyHandler {
        /** Called on the reactor thread with the ready key. */
        void onReady(SelectionKey key);

        /**
         * {@link #onReady} threw an {@link Error} (such as {@link OutOfMemoryError}): end what this
         * channel serves, failing its pending calls with {@code error}. Called on the reactor thread.
         */
        void failed(Error error);
    }

    private final Selector selector;
    private final ByteBuffer readBuffer = ByteBuffer.allocate(64 * 1024);
    private final Thread thread;
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    /**
     * Whether the reactor may be waiting in {@code select}: set before it waits, cleared by the
     * first thread that wakes it, so that while it is busy no thread pays for a wake-up.
     */
    private final AtomicBoolean mayBeWaiting = new AtomicBoolean();
    /** Run on every tick while there are any; see {@link #tick}. */
    private final Set<TickTask> ticks = ConcurrentHashMap.newKeySet();
    /** A task started ticking: the next tick comes after {@value #TICK_MILLIS} ms. */
    private volatile boolean tickAdded;
    /** Reactor thread: the time between ticks, {@value #TICK_MILLIS} to {@value #MAX_TICK_MILLIS} ms. */
    private long tickMillis = TICK_MILLIS;
    private long lastTickNanos;

    /** A task run on the reactor thread on every tick; see {@link #tick}. */
    public interface TickTask {
        /**
         * Runs on the reactor thread; quick, never blocking.
         *
         * @return whether it wants the next tick soon ({@value #TICK_MILLIS} ms); when no task
         *         does, the time to the next tick doubles, up to {@value #MAX_TICK_MILLIS} ms
         */
        boolean onTick();
    }

    private Reactor(String name) {
        try {
            selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a selector", e);
        }
        thread = new Thread(this::run, name);
        thread.setDaemon(true);
        thread.start();
    }

    /** The reactor shared by every worker of this JVM. */
    public static Reactor shared() {
        Reactor reactor = shared;
        if (reactor == null) {
            synchronized (Reactor.class) {
                reactor = shared;
                if (reactor == null) {
                    reactor = new Reactor("piperpc-reactor");
                    shared = reactor;
                }
            }
        }
        return reactor;
    }

    /** Whether the caller is the reactor thread. */
    public boolean inReactorThread() {
        return Thread.currentThread() == thread;
    }

    /** Runs {@code task} on the reactor thread, soon. */
    public void execute(Runnable task) {
        tasks.add(task);
        if (!inReactorThread()) {
            wakeUp();
        }
    }

    /** Wakes the reactor if it may be waiting and no other thread has woken it yet. */
    private void wakeUp() {
        if (mayBeWaiting.get() && mayBeWaiting.getAndSet(false)) {
            selector.wakeup();
        }
    }

    /**
     * Runs {@code task} on the reactor thread on every tick until {@link #stopTicking} (for a
     * connection whose reading is lent to callers, to take it back once they have gone). The
     * first tick comes {@value #TICK_MILLIS} ms after a task starts ticking; while no task asks
     * for a quick one, the time between ticks doubles up to {@value #MAX_TICK_MILLIS} ms, so
     * tasks with nothing to do wake the reactor rarely. Any thread; adding a task already
     * ticking does nothing.
     */
    public void tick(TickTask task) {
        if (ticks.add(task)) {
            tickAdded = true;
            if (!inReactorThread()) {
                wakeUp();
            }
        }
    }

    /** Stops running {@code task} on every tick. */
    public void stopTicking(TickTask task) {
        ticks.remove(task);
    }

    /** The buffer reads go into; only for use on the reactor thread. */
    public ByteBuffer readBuffer() {
        assert inReactorThread() : "the read buffer belongs to the reactor thread";
        return readBuffer;
    }

    /** The selector; only for use on the reactor thread. */
    public Selector selector() {
        return selector;
    }

    /** Registers {@code channel} (non-blocking) for {@code ops}; must run on the reactor thread. */
    public SelectionKey register(SelectableChannel channel, int ops, ReadyHandler handler) throws IOException {
        assert inReactorThread() : "register off the reactor thread";
        channel.configureBlocking(false);
        return channel.register(selector, ops, handler);
    }

    private void run() {
        while (true) {
            try {
                // Set before looking for work: a thread that queues work after the look wakes the select.
                mayBeWaiting.set(true);
                if (!tasks.isEmpty()) {
                    selector.selectNow();
                } else if (ticks.isEmpty()) {
                    selector.select();
                } else {
                    selector.select(untilNextTickMillis());
                }
                mayBeWaiting.set(false);
                for (SelectionKey key : selector.selectedKeys()) {
                    if (key.isValid()) {
                        dispatch(key);
                    }
                }
                selector.selectedKeys().clear();
                Runnable task;
                while ((task = tasks.poll()) != null) {
                    runSafely(task);
                }
                if (!ticks.isEmpty()) {
                    runTicks();
                }
            } catch (IOException | RuntimeException e) {
                log.error("reactor loop failed; continuing", e);
            } catch (Error e) {
                log.error("reactor loop hit an error; continuing", e);
            }
        }
    }

    /** Reactor thread: how long to wait for I/O before the next tick is due, at least 1 ms. */
    private long untilNextTickMillis() {
        if (tickAdded) {
            tickAdded = false;
            tickMillis = TICK_MILLIS;
            lastTickNanos = System.nanoTime();
        }
        long dueNanos = lastTickNanos + TimeUnit.MILLISECONDS.toNanos(tickMillis);
        return Math.max(1, TimeUnit.NANOSECONDS.toMillis(dueNanos - System.nanoTime() + 999_999));
    }

    private void runTicks() {
        long now = System.nanoTime();
        if (now - lastTickNanos < TimeUnit.MILLISECONDS.toNanos(tickMillis)) {
            return;
        }
        lastTickNanos = now;
        boolean quick = false;
        for (TickTask task : ticks) {
            try {
                quick |= task.onTick();
            } catch (RuntimeException e) {
                log.error("reactor tick failed", e);
            }
        }
        tickMillis = quick ? TICK_MILLIS : Math.min(MAX_TICK_MILLIS, tickMillis * 2);
    }

    private static void dispatch(SelectionKey key) {
        ReadyHandler handler = (ReadyHandler) key.attachment();
        try {
            handler.onReady(key);
        } catch (RuntimeException e) {
            log.error("I/O handler failed", e);
        } catch (Error e) {
            log.error("I/O handler hit an error; ending its connection", e);
            try {
                handler.failed(e);
            } catch (RuntimeException | Error again) {
                log.error("ending the connection failed", again);
            }
        }
    }

    private static void runSafely(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException | Error e) {
            // Contained: this thread serves every worker of the JVM.
            log.error("reactor task failed", e);
        }
    }
}
