package dev.piperpc.benchmarks;

/** The workloads of the benchmark plan that this module runs. */
enum Workload {
    /** 1 worker, 200,000 calls, at most 1,000 outstanding: calls/s. */
    W1(1, 200_000, 1_000, "calls_per_s"),
    /** 1 worker, 20,000 sequential calls after 5,000 warm-up, manager and worker pinned to CPU 0: round trip p50 (and p99), µs. */
    W2(1, 20_000, 1, "p50_us"),
    /** W2 unpinned, 10,000 sequential calls after 2,500 warm-up (unpinned round trips take five times as long). */
    W2U(1, 10_000, 1, "p50_us"),
    /** 4 workers, 200,000 calls, at most 1,000 outstanding in total: calls/s. */
    W3(4, 200_000, 1_000, "calls_per_s"),
    /** 1 worker: one sleep of 300 ms, then 100 echo calls: ms until the last echo completes. */
    W4(1, 100, 0, "ms_last_echo"),
    /** 64 workers, 200,000 calls, at most 1,000 outstanding: calls/s. */
    W5(64, 200_000, 1_000, "calls_per_s"),
    /**
     * W1's calls for {@link RunOne#TIMER_WINDOW} whatever the peer's speed (in slices of a quarter
     * of its calls), while a second manager thread measures its own 1 ms timer: p99 lateness, ms.
     */
    W6(1, 200_000, 1_000, "timer_p99_late_ms"),
    /** Over a queue (embedded ElasticMQ, in process): 2,000 calls, at most 1,000 outstanding: calls/s and SQS requests per call. */
    W7(0, 2_000, 1_000, "calls_per_s"),
    /** Over a queue: 200 sequential calls: round trip p50 (and p99), µs, and SQS requests per call. */
    W7L(0, 200, 1, "p50_us");

    final int workers;
    final int calls;
    final int window;
    final String unit;

    Workload(int workers, int calls, int window, String unit) {
        this.workers = workers;
        this.calls = calls;
        this.window = window;
        this.unit = unit;
    }

    /**
     * How many times a run measures it: three times for the runs with many workers (W5), which
     * take one round each (every round starts 64 worker JVMs per peer), so that their figure is a
     * median too; once for the others, whose runs are repeated.
     */
    int measurements() {
        return manyWorkers() ? 3 : 1;
    }

    /** Whether a higher figure is better. */
    boolean higherIsBetter() {
        return this == W1 || this == W3 || this == W5 || this == W7;
    }

    /**
     * Whether its workers far outnumber the cores (W5): their JVMs start with {@link WorkerJvm#many},
     * and are warmed up for longer.
     */
    boolean manyWorkers() {
        return workers >= 16;
    }

    /** Whether it measures sequential round trips, one call at a time (W2, W2U). */
    boolean roundTrips() {
        return this == W2 || this == W2U;
    }

    /** Whether manager and workers run pinned to one CPU. */
    boolean pinned() {
        return this == W2;
    }

    /**
     * Whether its run warms up twice as long as the others: pinned (W2), one CPU does the work two
     * do elsewhere; with several workers on two cores (W3), four worker JVMs and the manager each
     * compile with C2, so the same compilation takes longer to finish.
     */
    boolean longWarmUp() {
        return pinned() || workers > 1 && !manyWorkers();
    }

    /**
     * The number of calls for a peer: jsonrpc4j makes one call at a time, so it gets a tenth; in
     * quick mode every workload but W4 makes a tenth.
     */
    int callsFor(String peer, boolean quick) {
        int count = quick && this != W4 ? calls / 10 : calls;
        boolean throughput = this == W1 || this == W3 || this == W5 || this == W6;
        return "jsonrpc4j".equals(peer) && throughput ? count / 10 : count;
    }
}
