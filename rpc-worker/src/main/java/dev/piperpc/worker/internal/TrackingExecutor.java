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
            delegate.execute(() -> {
                waiting.decrementAndGet();
                try {
                    task.run();
                } finally {
                    unfinished.decrementAndGet();
                }
            });
        } catch (RuntimeException e) {
            waiting.decrementAndGet();
            unfinished.decrementAndGet();
            throw e;
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
