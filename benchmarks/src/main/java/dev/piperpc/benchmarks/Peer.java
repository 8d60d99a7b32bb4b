package dev.piperpc.benchmarks;

import java.io.IOException;

/** One library (or the raw pipe) driving workers, as the benchmarks measure it. */
interface Peer extends AutoCloseable {

    /** Starts {@code workers} worker processes. */
    void start(int workers) throws Exception;

    /**
     * Makes {@code calls} echo calls spread over the workers, with at most {@code window}
     * outstanding, checking every result.
     *
     * @return calls per second
     */
    double throughput(int calls, int window) throws Exception;

    /**
     * Sends one {@code sleep} of {@code sleepMillis} on worker 0, then {@code echoes} echo calls.
     *
     * @return milliseconds from the start until the last echo completed, or {@code NaN} if this
     *         peer's worker cannot sleep
     */
    double headOfLine(long sleepMillis, int echoes) throws Exception;

    /** Makes echo call {@code i} on worker 0 and waits for its (checked) result. */
    void echoOnce(int i) throws Exception;

    /** Makes one echo call on each worker in turn, waiting for each (checked) result: every worker is up and answering. */
    void echoEach() throws Exception;

    /**
     * Makes {@code warmUp} and then {@code calls} echo calls on worker 0, one after the other.
     *
     * @return the round-trip time of each measured call, in nanoseconds
     */
    default long[] roundTrips(int warmUp, int calls) throws Exception {
        long[] times = new long[calls];
        for (int i = -warmUp; i < calls; i++) {
            long start = System.nanoTime();
            echoOnce(Math.max(i, 0));
            if (i >= 0) {
                times[i] = System.nanoTime() - start;
            }
        }
        return times;
    }

    /** The worker processes, to read their CPU time. */
    java.util.List<ProcessHandle> workerProcesses();

    @Override
    void close() throws IOException;
}
