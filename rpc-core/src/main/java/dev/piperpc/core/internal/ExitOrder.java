package dev.piperpc.core.internal;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The order of a JVM's exit when it is both a worker and a manager (a bridge: it serves a queue by
 * forwarding to worker processes of its own). The JVM runs its shutdown hooks all at once; the
 * worker side {@linkplain #holdWorkerProcesses holds} the worker processes while it finishes and
 * answers its running calls, and the manager side {@linkplain #awaitRelease waits} for that
 * before it stops them.
 */
public final class ExitOrder {

    private static final Set<CountDownLatch> HOLDS = ConcurrentHashMap.newKeySet();

    private ExitOrder() {
    }

    /** A hold on this JVM's worker processes at exit, until {@link Runnable#run() release.run()}. */
    public static Runnable holdWorkerProcesses() {
        CountDownLatch hold = new CountDownLatch(1);
        HOLDS.add(hold);
        return () -> {
            hold.countDown();
            HOLDS.remove(hold);
        };
    }

    /** Waits until every hold is released, for {@code maxNanos} at most. */
    public static void awaitRelease(long maxNanos) {
        long deadline = System.nanoTime() + maxNanos;
        try {
            for (CountDownLatch hold : HOLDS) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || !hold.await(left, TimeUnit.NANOSECONDS)) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
