package dev.piperpc.benchmarks;

import dev.piperpc.worker.Worker;
import dev.piperpc.worker.WorkerContext;

import java.util.Arrays;
import java.util.List;

/** The Java worker of the benchmarks and of {@link OverloadSoak}: fast echoes, sleeps that can be cancelled, and floods of progress. */
public final class BenchmarkWorker {

    /** Answers with its params. */
    public List<Object> echo(Object number, Object text) {
        return Arrays.asList(number, text);
    }

    /** Sleeps (until cancelled). */
    public long sleep(long millis) throws InterruptedException {
        Thread.sleep(millis);
        return millis;
    }

    /** Sends {@code count} progress notifications, then answers {@code count}. */
    public int flood(int count) {
        WorkerContext context = WorkerContext.current();
        for (int i = 0; i < count; i++) {
            context.progress("flood", i);
        }
        return count;
    }

    public static void main(String[] args) {
        Worker.serve(new BenchmarkWorker());
    }
}
