package dev.piperpc.benchmarks;

import dev.piperpc.core.BackpressureException;
import dev.piperpc.core.Call;
import dev.piperpc.core.CallCancelledException;
import dev.piperpc.core.CallTimeoutException;
import dev.piperpc.core.ConnectionClosedException;
import dev.piperpc.core.Endpoint;
import dev.piperpc.core.Params;
import dev.piperpc.core.RpcException;
import dev.piperpc.pipe.WorkerCommand;
import dev.piperpc.pipe.WorkerPool;
import dev.piperpc.pipe.WorkerProcess;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * The overload soak, run by hand: millions of calls over a pool of four Java workers, with
 * progress floods behind a handler that is now and then slow, cancels, timeouts and kill -9 of
 * workers mixed in. Every call must end exactly once: none lost, none ended twice, every echo
 * with its own result. Run it alone on the machine:
 *
 * <pre>{@code java -Xmx256m -cp benchmarks/target/piperpc-benchmarks.jar dev.piperpc.benchmarks.OverloadSoak [calls]}</pre>
 *
 * It prints one line of counts and exits 0 only if nothing was lost or duplicated.
 */
public final class OverloadSoak {

    private static final int WINDOW = 2_000;
    private static final String TEXT = "0123456789abcdef".repeat(4);

    private final long calls;
    private final AtomicLongArray ended;
    private final LongAdder endings = new LongAdder();
    private final LongAdder duplicates = new LongAdder();
    private final LongAdder wrongResults = new LongAdder();
    private final LongAdder ok = new LongAdder();
    private final LongAdder cancelled = new LongAdder();
    private final LongAdder timedOut = new LongAdder();
    private final LongAdder closed = new LongAdder();
    private final LongAdder rpcErrors = new LongAdder();
    private final LongAdder otherErrors = new LongAdder();
    private final LongAdder refusedAtSend = new LongAdder();
    private final LongAdder progress = new LongAdder();
    private final AtomicLong kills = new AtomicLong();
    private final Semaphore window = new Semaphore(WINDOW);

    private OverloadSoak(long calls) {
        this.calls = calls;
        this.ended = new AtomicLongArray((int) ((calls + 63) / 64));
    }

    public static void main(String[] args) throws InterruptedException {
        long calls = args.length > 0 ? Long.parseLong(args[0].replace("_", "")) : 10_000_000L;
        System.exit(new OverloadSoak(calls).run() ? 0 : 1);
    }

    private boolean run() throws InterruptedException {
        Endpoint.Builder endpoint = Endpoint.builder().defaultTimeout(Duration.ofSeconds(60)).maxQueuedIncoming(256)
                .handler("$/progress", request -> {
                    progress.increment();
                    if (ThreadLocalRandom.current().nextInt(2_000) == 0) {
                        Thread.sleep(1);
                    }
                    return null;
                });
        WorkerCommand command = WorkerCommand.of(WorkerJvm.STEADY.command(BenchmarkWorker.class.getName())).withName("soak");
        long start = System.nanoTime();
        ScheduledExecutorService killer = Executors.newSingleThreadScheduledExecutor();
        try (WorkerPool pool = WorkerPool.builder(command).size(4).maxInFlightPerWorker(WINDOW).endpoint(endpoint)
                .restartBackoff(Duration.ofMillis(10), Duration.ofMillis(200))
                // The soak kills workers on purpose, often sooner than a healthy run: never give up on them.
                .giveUpAfter(Integer.MAX_VALUE).start()) {
            killer.scheduleWithFixedDelay(() -> killOne(pool), 2, 2, TimeUnit.SECONDS);
            for (long i = 0; i < calls; i++) {
                window.acquire();
                send(pool, i);
            }
            if (!window.tryAcquire(WINDOW, 120, TimeUnit.SECONDS)) {
                System.out.println("calls still pending after 120 s: " + (WINDOW - window.availablePermits()));
            }
            killer.shutdownNow();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long lost = calls - endings.sum();
        System.out.printf("soak calls=%d ended=%d lost=%d duplicated=%d wrong_results=%d ok=%d rpc_errors=%d cancelled=%d "
                        + "timed_out=%d closed_by_kill=%d refused_at_send=%d other_errors=%d progress=%d kills=%d seconds=%.1f "
                        + "calls_per_s=%.0f peak_heap_mb=%d%n",
                calls, endings.sum(), lost, duplicates.sum(), wrongResults.sum(), ok.sum(), rpcErrors.sum(), cancelled.sum(),
                timedOut.sum(), closed.sum(), refusedAtSend.sum(), otherErrors.sum(), progress.sum(), kills.get(), seconds,
                calls / seconds, peakHeapMb());
        return lost == 0 && duplicates.sum() == 0 && wrongResults.sum() == 0 && otherErrors.sum() == 0;
    }

    private void send(WorkerPool pool, long i) {
        int kind = (int) (i % 10_000);
        Call<?> call;
        try {
            if (kind < 20) {
                call = pool.send("flood", Params.of(200), Integer.class);
            } else if (kind < 25) {
                call = pool.send("sleep", Params.of(50), Long.class);
                call.cancel();
            } else if (kind == 25) {
                call = pool.send("sleep", Params.of(200), Long.class, Duration.ofMillis(20));
            } else {
                call = pool.send("echo", Params.of(i, TEXT), List.class);
            }
        } catch (BackpressureException refused) {
            // Refused before it became a call: counted, and it ends here.
            refusedAtSend.increment();
            markEnded(i);
            window.release();
            return;
        }
        call.whenDone((result, error) -> {
            markEnded(i);
            count(i, kind, result, error);
            window.release();
        });
    }

    private void count(long i, int kind, Object result, Throwable error) {
        if (error == null) {
            ok.increment();
            if (kind > 25 && !(result instanceof List<?> list && list.size() == 2
                    && ((Number) list.get(0)).longValue() == i && TEXT.equals(list.get(1)))) {
                wrongResults.increment();
            }
        } else if (error instanceof CallCancelledException) {
            cancelled.increment();
        } else if (error instanceof CallTimeoutException) {
            timedOut.increment();
        } else if (error instanceof ConnectionClosedException) {
            closed.increment();
        } else if (error instanceof RpcException) {
            rpcErrors.increment();
        } else {
            otherErrors.increment();
            System.out.println("unexpected: " + error);
        }
    }

    private void markEnded(long i) {
        int slot = (int) (i >>> 6);
        long bit = 1L << (i & 63);
        long before = ended.getAndUpdate(slot, bits -> bits | bit);
        if ((before & bit) != 0) {
            duplicates.increment();
        } else {
            endings.increment();
        }
    }

    private void killOne(WorkerPool pool) {
        List<WorkerProcess> workers = pool.workers();
        if (!workers.isEmpty()) {
            workers.get(ThreadLocalRandom.current().nextInt(workers.size())).kill();
            kills.incrementAndGet();
        }
    }

    private static long peakHeapMb() {
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        return peak >> 20;
    }
}
