package dev.piperpc.core.internal;

import java.util.concurrent.TimeUnit;

/**
 * Keeps a flood from becoming a flood of log lines: at most a few warnings per second about one
 * peer, written on the I/O thread; the rest are only counted, and the next warning that is
 * written says how many were left out. Thread-safe.
 */
public final class LogLimiter {

    private static final long WINDOW_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final int PER_WINDOW = 5;

    private long windowStart = System.nanoTime() - WINDOW_NANOS;
    private int inWindow;
    private long suppressed;

    /**
     * Whether a warning may be written now.
     *
     * @return {@code -1} to leave it out, else how many were left out since the last one written
     */
    public synchronized long admit() {
        long now = System.nanoTime();
        if (now - windowStart >= WINDOW_NANOS) {
            windowStart = now;
            inWindow = 0;
        }
        if (inWindow >= PER_WINDOW) {
            suppressed++;
            return -1;
        }
        inWindow++;
        long left = suppressed;
        suppressed = 0;
        return left;
    }
}
