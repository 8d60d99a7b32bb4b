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

/**
 * One thread with one {@link Selector} that does the pipe I/O of every worker in the JVM. It only
 * moves bytes, splits frames and hands them on; it never blocks and never runs user code. Other
 * threads talk to it by queueing tasks. Timers live on the scheduler of rpc-core, not here.
 */
public final class Reactor {

    private static final Logger log = LoggerFactory.getLogger(Reactor.class);
    private static volatile Reactor shared;
    /** How often the tasks given to {@link #tick} run. */
    static final long TICK_MILLIS = 1;
    private static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(TICK_MILLIS);

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
    /** Run about every {@value #TICK_MILLIS} ms while there are any; see {@link #tick}. */
    private final Set<Runnable> ticks = ConcurrentHashMap.newKeySet();
    private long lastTickNanos;

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
            selector.wakeup();
        }
    }

    /**
     * Runs {@code task} on the reactor thread about every {@value #TICK_MILLIS} ms until
     * {@link #stopTicking} (for a connection whose reading is lent to callers, to take it back
     * once they have gone). Quick, never blocking. Any thread; adding a task already ticking does nothing.
     */
    public void tick(Runnable task) {
        if (ticks.add(task) && !inReactorThread()) {
            selector.wakeup();
        }
    }

    /** Stops running {@code task} every tick. */
    public void stopTicking(Runnable task) {
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
                if (!tasks.isEmpty()) {
                    selector.selectNow();
                } else if (ticks.isEmpty()) {
                    selector.select();
                } else {
                    selector.select(TICK_MILLIS);
                }
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

    private void runTicks() {
        long now = System.nanoTime();
        if (now - lastTickNanos >= TICK_NANOS) {
            lastTickNanos = now;
            ticks.forEach(Reactor::runSafely);
        }
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
