package dev.piperpc.benchmarks;

/** The workloads of the benchmark plan that this module runs. */
enum Workload {
    /** 1 worker, 200,000 calls, at most 1,000 outstanding: calls/s. */
    W1(1, 200_000, 1_000, "calls_per_s"),
    /** 4 workers, 200,000 calls, at most 1,000 outstanding in total: calls/s. */
    W3(4, 200_000, 1_000, "calls_per_s"),
    /** 1 worker: one sleep of 300 ms, then 100 echo calls: ms until the last echo completes. */
    W4(1, 100, 0, "ms_last_echo"),
    /** 64 workers, 200,000 calls, at most 1,000 outstanding: calls/s. */
    W5(64, 200_000, 1_000, "calls_per_s");

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

    /** Whether a higher figure is better. */
    boolean higherIsBetter() {
        return this != W4;
    }

    /** The number of calls for a peer: jsonrpc4j makes one call at a time, so it gets a tenth. */
    int callsFor(String peer, boolean quick) {
        int count = quick && this != W4 ? calls / 4 : calls;
        return "jsonrpc4j".equals(peer) && this != W4 ? count / 10 : count;
    }
}
