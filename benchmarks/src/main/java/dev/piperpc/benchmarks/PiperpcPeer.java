package dev.piperpc.benchmarks;

import dev.piperpc.core.Call;
import dev.piperpc.core.Endpoint;
import dev.piperpc.core.Params;
import dev.piperpc.core.Rpc;
import dev.piperpc.pipe.WorkerCommand;
import dev.piperpc.micrometer.CallMetrics;
import dev.piperpc.micrometer.PoolMetrics;
import dev.piperpc.pipe.WorkerPool;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * piperpc: a {@link WorkerPool} of spec workers (rpc-worker), calls sent and joined in a window;
 * with metrics, the same pool recording every call with {@link PoolMetrics} into a
 * {@link SimpleMeterRegistry} (what a listener costs).
 */
final class PiperpcPeer implements Peer {

    private final WorkerJvm jvm;
    private final MeterRegistry registry;
    private WorkerPool pool;

    private PiperpcPeer(WorkerJvm jvm, MeterRegistry registry) {
        this.jvm = jvm;
        this.registry = registry;
    }

    /** The pool with no listener. */
    static PiperpcPeer plain(WorkerJvm jvm) {
        return new PiperpcPeer(jvm, null);
    }

    /** The pool with {@link PoolMetrics} registered. */
    static PiperpcPeer withMetrics(WorkerJvm jvm) {
        return new PiperpcPeer(jvm, new SimpleMeterRegistry());
    }

    @Override
    public void start(int workers) {
        WorkerPool.Builder builder = WorkerPool.builder(WorkerCommand.of(jvm.command(BenchmarkWorker.class.getName())))
                .size(workers).maxInFlightPerWorker(100_000).endpoint(Endpoint.builder().defaultTimeout(Duration.ofMinutes(5)));
        if (registry != null) {
            builder.listener(new PoolMetrics(registry));
        }
        pool = builder.start();
    }

    @Override
    public double throughput(int calls, int window) {
        return throughput(pool, 0, calls, window);
    }

    /**
     * Echo calls {@code first} to {@code first + calls - 1} on {@code rpc}, at most {@code window}
     * outstanding (joined oldest-first once the window is full), every result checked; calls per second.
     */
    static double throughput(Rpc rpc, int first, int calls, int window) {
        ArrayDeque<Call<Object[]>> inFlight = new ArrayDeque<>(window);
        ArrayDeque<Integer> numbers = new ArrayDeque<>(window);
        long start = System.nanoTime();
        for (int i = first; i < first + calls; i++) {
            if (inFlight.size() == window) {
                check(inFlight.poll().join(), numbers.poll());
            }
            inFlight.add(rpc.send("echo", Params.of(i, Payload.TEXT), Object[].class));
            numbers.add(i);
        }
        while (!inFlight.isEmpty()) {
            check(inFlight.poll().join(), numbers.poll());
        }
        return calls / ((System.nanoTime() - start) / 1e9);
    }

    static void check(Object[] result, int expected) {
        if (result.length != 2 || ((Number) result[0]).intValue() != expected || !Payload.TEXT.equals(result[1])) {
            throw new IllegalStateException("wrong result for call " + expected);
        }
    }

    @Override
    public double headOfLine(long sleepMillis, int echoes) {
        var worker = pool.workers().get(0).endpoint();
        long start = System.nanoTime();
        Call<Long> sleep = worker.send("sleep", Params.of(sleepMillis), Long.class);
        List<Call<Object[]>> calls = new ArrayList<>();
        for (int i = 0; i < echoes; i++) {
            calls.add(worker.send("echo", Params.of(i, Payload.TEXT), Object[].class));
        }
        for (int i = 0; i < echoes; i++) {
            check(calls.get(i).join(), i);
        }
        double elapsed = (System.nanoTime() - start) / 1e6;
        sleep.join();
        return elapsed;
    }

    @Override
    public void echoOnce(int i) {
        check(pool.workers().get(0).endpoint().call("echo", Params.of(i, Payload.TEXT), Object[].class), i);
    }

    @Override
    public void echoEach() {
        for (var worker : pool.workers()) {
            check(worker.endpoint().call("echo", Params.of(0, Payload.TEXT), Object[].class), 0);
        }
    }

    @Override
    public List<ProcessHandle> workerProcesses() {
        return pool.workers().stream().map(worker -> ProcessHandle.of(worker.pid()).orElseThrow()).toList();
    }

    @Override
    public void close() {
        pool.close();
        if (registry != null && registry.find(CallMetrics.CALLS).tag("method", "echo").timers().stream().mapToLong(Timer::count).sum() == 0) {
            throw new IllegalStateException("the metrics counted no echo calls");
        }
    }
}
