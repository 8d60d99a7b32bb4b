package dev.piperpc.worker.internal;

import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

/** Runs tasks on another executor and knows how many are still waiting to start, and how many have not finished. */
public final class TrackingExecutor implements Executor {

    private final Executor delegate;
    private final AtomicInteger unfinished = new AtomicInteger();
    private final AtomicInteger waiting = new AtomicInteger();

    /** Runs tasks on {@code delegate}. */
    public TrackingExecutor(Executor delegate) {
        this.delegate = delegate;
    }

    @Override
    public void execute(Runnable task) {
        unfinished.incrementAndGet();
        waiting.incrementAndGet();
        try {
            delegate.execute(new Tracked(task));
        } catch (RuntimeException e) {
            waiting.decrementAndGet();
            unfinished.decrementAndGet();
            throw e;
        }
    }

    /** A task on the delegate, counted while it waits and until it finishes. */
    private final class Tracked implements Runnable {
        private final Runnable task;

        Tracked(Runnable task) {
            this.task = task;
        }

        @Override
        public void run() {
            waiting.decrementAndGet();
            try {
                task.run();
            } finally {
                unfinished.decrementAndGet();
            }
        }
    }

    /** Tasks submitted and not yet finished. */
    public int unfinished() {
        return unfinished.get();
    }

    /** Tasks submitted and not yet started. */
    public int waiting() {
        return waiting.get();
    }
}
