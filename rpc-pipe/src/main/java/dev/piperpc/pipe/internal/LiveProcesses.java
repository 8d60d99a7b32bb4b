package dev.piperpc.pipe.internal;

import dev.piperpc.core.internal.ExitOrder;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Every worker process this JVM started and that has not exited. A shutdown hook destroys the
 * ones still running when the JVM exits, so no worker outlives its manager; when this JVM also
 * serves a queue (a bridge), only once that side has finished its running calls ({@link ExitOrder}).
 */
public final class LiveProcesses {

    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();
    /** The longest the worker processes are held at exit for a worker side's running calls. */
    private static final long MAX_HOLD_SECONDS = 60;

    static {
        Thread hook = new Thread(LiveProcesses::destroyAll, "piperpc-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    private LiveProcesses() {
    }

    /** Tracks {@code process} until it exits. */
    public static void add(Process process) {
        LIVE.add(process);
        process.onExit().thenRun(() -> LIVE.remove(process));
    }

    private static void destroyAll() {
        if (LIVE.isEmpty()) {
            return;
        }
        // A worker side of this JVM (a bridge) finishes its running calls on these processes first.
        ExitOrder.awaitRelease(TimeUnit.SECONDS.toNanos(MAX_HOLD_SECONDS));
        for (Process process : LIVE) {
            process.destroy();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        for (Process process : LIVE) {
            try {
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0 || !process.waitFor(remaining, TimeUnit.NANOSECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
            }
        }
    }
}
