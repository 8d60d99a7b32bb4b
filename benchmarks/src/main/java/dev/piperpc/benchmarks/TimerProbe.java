package dev.piperpc.benchmarks;

import java.util.Arrays;
import java.util.concurrent.locks.LockSupport;

/** A manager thread that asks to wake every millisecond and records how late it wakes (W6). */
final class TimerProbe {

    private final Thread thread;
    private final long[] lateness = new long[1_000_000];
    private volatile boolean running = true;
    private int count;

    private TimerProbe() {
        thread = new Thread(this::run, "timer-probe");
        thread.setDaemon(true);
    }

    static TimerProbe start() {
        TimerProbe probe = new TimerProbe();
        probe.thread.start();
        return probe;
    }

    private void run() {
        long next = System.nanoTime() + 1_000_000;
        while (running && count < lateness.length) {
            LockSupport.parkNanos(next - System.nanoTime());
            long now = System.nanoTime();
            if (now >= next) {
                lateness[count++] = now - next;
                next += 1_000_000;
                if (now > next) {
                    next = now + 1_000_000;
                }
            }
        }
    }

    double stopAndGetP99Millis() throws InterruptedException {
        running = false;
        thread.join();
        long[] samples = Arrays.copyOf(lateness, count);
        Arrays.sort(samples);
        return samples.length == 0 ? Double.NaN : samples[(int) (samples.length * 0.99)] / 1e6;
    }
}
