package dev.piperpc.pipe.internal;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Every worker process this JVM started and that has not exited. A shutdown hook destroys the
 * ones still running when the JVM exits, so no worker outlives its manager.
 */
public final class LiveProcesses {

    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

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
