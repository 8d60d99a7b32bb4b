package dev.piperpc.worker.internal;

import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

/** Runs tasks on another executor and knows how many have not finished yet. */
public final class TrackingExecutor implements Executor {

    private final Executor delegate;
    private final AtomicInteger unfinished = new AtomicInteger();

    /** Runs tasks on {@code delegate}. */
    public TrackingExecutor(Executor delegate) {
        this.delegate = delegate;
    }

    @Override
    public void execute(Runnable task) {
        unfinished.incrementAndGet();
        try {
            delegate.execute(() -> {
                try {
                    task.run();
                } finally {
                    unfinished.decrementAndGet();
                }
            });
        } catch (RuntimeException e) {
            unfinished.decrementAndGet();
            throw e;
        }
    }

    /** Tasks submitted and not yet finished. */
    public int unfinished() {
        return unfinished.get();
    }
}
