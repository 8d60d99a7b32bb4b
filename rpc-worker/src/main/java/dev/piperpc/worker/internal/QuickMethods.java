package dev.piperpc.worker.internal;

import dev.piperpc.core.internal.MethodTask;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the worker has learned about how long each method's handler runs: a method whose last
 * runs were all quick may run on the thread that read its request without that thread first
 * handing the reading on (see {@link LeaderFollowerPool}).
 *
 * <p>A method is quick once its last {@code needed} runs each took at most
 * {@value #QUICK_MICROS} µs; {@code needed} starts at {@value #FIRST_NEEDED}, doubles (up to
 * {@value #MAX_NEEDED}) after every slow run on the reading thread (one that held up reading), and
 * falls back again once the method has been quick twice as many times in a row as it needs, so a
 * method that is now and then slow is trusted less and less, and one that stays quick earns its
 * trust back. A slow run on another thread (such as the first runs of a method, before the JIT
 * has compiled it) only starts the count again. At most
 * {@value #MAX_METHODS} methods are remembered; others are never quick.
 */
public final class QuickMethods {

    /** The longest run, in µs, that counts as quick. */
    static final long QUICK_MICROS = 200;
    private static final long QUICK_NANOS = QUICK_MICROS * 1_000;
    private static final int FIRST_NEEDED = 4;
    private static final int MAX_NEEDED = 1 << 8;
    private static final int MAX_METHODS = 1_024;

    private final Map<String, Runs> methods = new ConcurrentHashMap<>();

    /** Whether {@code task} runs the handler of a method whose last runs were quick. */
    public boolean isQuick(Runnable task) {
        String method = method(task);
        if (method == null) {
            return false;
        }
        Runs runs = methods.get(method);
        return runs != null && runs.quick();
    }

    /** {@code task} ran for {@code nanos}, on the thread holding the reading or not ({@code heldReading}). */
    public void ran(Runnable task, long nanos, boolean heldReading) {
        String method = method(task);
        if (method == null) {
            return;
        }
        Runs runs = methods.get(method);
        if (runs == null) {
            if (methods.size() >= MAX_METHODS) {
                return;
            }
            runs = methods.computeIfAbsent(method, name -> new Runs());
        }
        runs.ran(nanos <= QUICK_NANOS, heldReading);
    }

    private static String method(Runnable task) {
        return task instanceof MethodTask methodTask ? methodTask.method() : null;
    }

    /** The recent runs of one method. */
    private static final class Runs {
        private int quickInARow;
        private int needed = FIRST_NEEDED;

        synchronized boolean quick() {
            return quickInARow >= needed;
        }

        synchronized void ran(boolean quick, boolean heldReading) {
            if (!quick) {
                quickInARow = 0;
                if (heldReading) {
                    needed = Math.min(MAX_NEEDED, needed * 2);
                }
                return;
            }
            quickInARow++;
            if (needed > FIRST_NEEDED && quickInARow >= 2 * needed) {
                needed /= 2;
            }
        }
    }
}
