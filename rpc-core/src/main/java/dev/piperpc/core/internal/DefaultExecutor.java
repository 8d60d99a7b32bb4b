package dev.piperpc.core.internal;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The executor shared by every endpoint that was not given one: daemon threads, created on demand
 * and retired after a minute idle, so the thread count follows the work, not the number of peers.
 */
public final class DefaultExecutor {

    private static final ExecutorService INSTANCE = create();

    private DefaultExecutor() {
    }

    /** The shared executor. */
    public static ExecutorService instance() {
        return INSTANCE;
    }

    private static ExecutorService create() {
        AtomicInteger count = new AtomicInteger();
        return new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS, new SynchronousQueue<>(), runnable -> {
            Thread thread = new Thread(runnable, "piperpc-exec-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }
}
