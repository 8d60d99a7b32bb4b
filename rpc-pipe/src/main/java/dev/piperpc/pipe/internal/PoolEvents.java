package dev.piperpc.pipe.internal;

import dev.piperpc.core.internal.LogLimiter;
import dev.piperpc.pipe.PoolListener;
import dev.piperpc.pipe.WorkerPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Tells a pool's {@link PoolListener} (if it has one) what only the pool knows, and keeps what the
 * listener throws from reaching the pool: it is logged, a few lines a second at most. Any thread.
 */
public final class PoolEvents {

    private static final Logger log = LoggerFactory.getLogger(PoolListener.class);
    private static final LogLimiter FAILURES = new LogLimiter();

    private final PoolListener listener;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile WorkerPool pool;

    /** Events for {@code listener}, which may be {@code null} (then nothing is told). */
    public PoolEvents(PoolListener listener) {
        this.listener = listener;
    }

    /** The pool has started. */
    public void started(WorkerPool started) {
        this.pool = started;
        if (listener != null) {
            tell("poolStarted", () -> listener.poolStarted(started));
        }
    }

    /** The pool has closed; told once, and only if it had started. */
    public void closed() {
        WorkerPool current = pool;
        if (listener != null && current != null && closed.compareAndSet(false, true)) {
            tell("poolClosed", () -> listener.poolClosed(current));
        }
    }

    /** {@code worker} was started again. */
    public void restarted(String worker) {
        WorkerPool current = pool;
        if (listener != null && current != null) {
            tell("workerRestarted", () -> listener.workerRestarted(current, worker));
        }
    }

    /** The pool refused {@code method} ({@code null}: a batch) for backpressure. */
    public void refused(String method) {
        WorkerPool current = pool;
        if (listener != null && current != null) {
            tell("refused", () -> listener.refused(current, method));
        }
    }

    private static void tell(String event, Runnable call) {
        try {
            call.run();
        } catch (RuntimeException | Error e) {
            long left = FAILURES.admit();
            if (left >= 0) {
                log.warn("a pool listener threw in {}; the pool goes on{}", event,
                        left > 0 ? " (" + left + " similar failures left out)" : "", e);
            }
        }
    }
}
