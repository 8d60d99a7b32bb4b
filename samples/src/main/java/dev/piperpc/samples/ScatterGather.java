package dev.piperpc.samples;

import dev.piperpc.core.Call;
import dev.piperpc.core.Params;
import dev.piperpc.pipe.WorkerCommand;
import dev.piperpc.pipe.WorkerPool;
import dev.piperpc.worker.Worker;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Scatter/gather: counts the primes below a limit by splitting the range over N worker processes,
 * and compares the time with counting in the manager alone.
 *
 * <p>Run: {@code java -cp samples/target/piperpc-samples.jar dev.piperpc.samples.ScatterGather [limit] [workers]}.
 */
public final class ScatterGather {

    private ScatterGather() {
    }

    /** The worker: counts primes in a range. */
    public static final class PrimeCounter {
        public long countPrimes(long from, long to) {
            return ScatterGather.countPrimes(from, to);
        }

        public static void main(String[] args) {
            Worker.serve(new PrimeCounter());
        }
    }

    /** Primes in {@code [from, to)}, by trial division: deliberately plain CPU work. */
    static long countPrimes(long from, long to) {
        long count = 0;
        for (long n = Math.max(2, from); n < to; n++) {
            boolean prime = true;
            for (long d = 2; d * d <= n; d++) {
                if (n % d == 0) {
                    prime = false;
                    break;
                }
            }
            if (prime) {
                count++;
            }
        }
        return count;
    }

    /** The result of one comparison. */
    record Outcome(long primes, long primesAlone, double workersMillis, double aloneMillis) {
        double speedUp() {
            return aloneMillis / workersMillis;
        }
    }

    static Outcome compare(long limit, int workers) {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xlog:all=warning:stderr", "-cp", System.getProperty("java.class.path"), PrimeCounter.class.getName());
        try (WorkerPool pool = WorkerPool.builder(WorkerCommand.of(command)).size(workers).start()) {
            // Warm both sides up, so the comparison is of steady-state speed.
            pool.call("countPrimes", Params.of(0, limit / 50), Long.class);
            countPrimes(0, limit / 50);

            int parts = workers * 4;
            long start = System.nanoTime();
            List<Call<Long>> calls = new ArrayList<>();
            for (int part = 0; part < parts; part++) {
                calls.add(pool.send("countPrimes", Params.of(limit * part / parts, limit * (part + 1) / parts), Long.class));
            }
            long primes = Call.joinAll(calls).stream().mapToLong(Long::longValue).sum();
            double workersMillis = (System.nanoTime() - start) / 1e6;

            start = System.nanoTime();
            long alone = countPrimes(0, limit);
            double aloneMillis = (System.nanoTime() - start) / 1e6;
            return new Outcome(primes, alone, workersMillis, aloneMillis);
        }
    }

    public static void main(String[] args) {
        long limit = args.length > 0 ? Long.parseLong(args[0]) : 3_000_000;
        int workers = args.length > 1 ? Integer.parseInt(args[1]) : Runtime.getRuntime().availableProcessors();
        Outcome outcome = compare(limit, workers);
        System.out.printf(Locale.ROOT, "primes below %d: %d over %d workers in %.0f ms; %d in the manager alone in %.0f ms; speed-up %.2fx%n",
                limit, outcome.primes(), workers, outcome.workersMillis(), outcome.primesAlone(), outcome.aloneMillis(), outcome.speedUp());
    }
}
