package dev.piperpc.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Runs the workloads side by side, interleaved (raw-pipe, raw-jvm, piperpc, lsp4j, jsonrpc4j, then
 * again; over a queue raw-sdk and piperpc), each run in a fresh JVM with fresh workers, and reports
 * medians with ratios to the baselines (raw-jvm and raw-pipe; raw-sdk over a queue) and to the best
 * other library of the same run. Prints one line per (peer, workload) and writes the same table to
 * {@code benchmarks/results/latest.md}.
 *
 * <p>Usage: {@code java -jar benchmarks/target/piperpc-benchmarks.jar [--quick] [--rounds N]
 * [--workloads W1,W4] [--peers raw-jvm,piperpc] [--output FILE]} ({@link BenchOptions}).
 */
public final class Bench {

    static final List<String> PEERS = List.of("raw-pipe", "raw-jvm", QueueBench.RAW_SDK, "piperpc", "lsp4j", "jsonrpc4j");
    /** piperpc with a metrics listener registered: run only when asked for ({@code --peers}). */
    static final String PIPERPC_METRICS = "piperpc-metrics";
    /** Every peer {@code --peers} may name. */
    static final List<String> KNOWN_PEERS = List.of("raw-pipe", "raw-jvm", QueueBench.RAW_SDK, "piperpc", PIPERPC_METRICS, "lsp4j", "jsonrpc4j");
    static final String RAW_PIPE = "raw-pipe";
    static final String RAW_JVM = "raw-jvm";
    /** The most rounds of the queue workloads (W7, W7L): about 13 s each, two keep a full run within 10 minutes. */
    static final int QUEUE_ROUNDS = 2;
    /** The most rounds of the runs with many workers (W5): each starts 64 worker JVMs per peer. */
    static final int MANY_WORKERS_ROUNDS = 1;
    /** The most rounds of the pinned run (W2), whose warm-up is twice as long. */
    static final int LONG_WARM_UP_ROUNDS = 3;
    /** The most rounds of the run with four workers (W3), whose warm-up is twice as long: two keep a full run within 10 minutes. */
    static final int SEVERAL_WORKERS_ROUNDS = 2;

    private Bench() {
    }

    public static void main(String[] args) throws Exception {
        BenchOptions options = BenchOptions.parse(args);
        boolean quick = options.quick;
        int rounds = options.rounds();
        List<Workload> workloads = options.workloads();
        List<String> peers = options.peers();
        Path output = options.output;
        long started = System.nanoTime();

        Map<Workload, Map<String, List<Map<String, String>>>> results = new EnumMap<>(Workload.class);
        List<String> archived = new ArrayList<>();
        Path archives = Files.createTempDirectory("piperpc-bench-");
        try {
            Map<String, Path> archiveOf = new LinkedHashMap<>();
            if (workloads.stream().anyMatch(Workload::manyWorkers)) {
                for (String peer : peers) {
                    Path archive = takesPart(peer, false) ? WorkerArchive.create(peer, archives) : null;
                    if (archive != null) {
                        archiveOf.put(peer, archive);
                        archived.add(peer);
                    }
                }
            }
            for (int round = 0; round < rounds; round++) {
                for (List<Workload> run : runs(workloads)) {
                    boolean queue = QueueBench.isQueue(run.get(0));
                    if (round >= maxRounds(run.get(0))) {
                        continue;
                    }
                    for (String peer : peers) {
                        if (!takesPart(peer, queue)) {
                            continue;
                        }
                        long runStarted = System.nanoTime();
                        for (Map<String, String> result : runChild(peer, run, quick, archiveOf.get(peer))) {
                            Workload workload = Workload.valueOf(result.get("workload"));
                            System.err.printf(Locale.ROOT, "round %d %s %s: %s%n", round, workload, peer, result.get("value"));
                            results.computeIfAbsent(workload, w -> new LinkedHashMap<>())
                                    .computeIfAbsent(peer, p -> new ArrayList<>()).add(result);
                        }
                        System.err.printf(Locale.ROOT, "round %d %s %s: run took %.1f s%n", round, run, peer, (System.nanoTime() - runStarted) / 1e9);
                    }
                }
            }
        } finally {
            try (Stream<Path> files = Files.walk(archives)) {
                files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
            }
        }
        List<String[]> table = new ArrayList<>();
        for (Workload workload : workloads) {
            Map<String, List<Map<String, String>>> byPeer = results.get(workload);
            if (byPeer == null) {
                continue;
            }
            Map<String, Double> medians = new LinkedHashMap<>();
            Map<String, Double> p99s = new LinkedHashMap<>();
            byPeer.forEach((peer, runs) -> {
                medians.put(peer, median(runs, "value"));
                p99s.put(peer, median(runs, "p99"));
            });
            String baseline = QueueBench.isQueue(workload) ? QueueBench.RAW_SDK : RAW_JVM;
            for (String peer : byPeer.keySet()) {
                double value = medians.get(peer);
                double p99 = p99s.get(peer);
                double ratioToBaseline = value / medians.getOrDefault(baseline, Double.NaN);
                double p99ToBaseline = p99 / p99s.getOrDefault(baseline, Double.NaN);
                double ratioToPipe = value / medians.getOrDefault(RAW_PIPE, Double.NaN);
                double ratioToBest = value / bestOther(medians, peer, workload);
                List<Map<String, String>> runs = byPeer.get(peer);
                double calls = median(runs, "calls");
                double managerCpu = median(runs, "cpu_s") * 1e6 / calls;
                double workerCpu = median(runs, "worker_cpu_s") * 1e6 / calls;
                String ratios = " ratio_to_" + baseline.replace('-', '_') + "=" + format(ratioToBaseline)
                        + (QueueBench.isQueue(workload) ? "" : " ratio_to_raw_pipe=" + format(ratioToPipe));
                String p99Text = Double.isNaN(p99) ? "" : " p99_us=" + format(p99) + " p99_ratio_to_" + baseline.replace('-', '_') + "="
                        + format(p99ToBaseline);
                double sqsRequests = median(runs, "sqs_requests_per_call");
                if (!Double.isNaN(sqsRequests)) {
                    p99Text += String.format(Locale.ROOT, " sqs_requests_per_call=%.2f", sqsRequests);
                }
                System.out.println(String.format(Locale.ROOT,
                        "peer=%s workload=%s %s=%s%s%s ratio_to_best_peer=%s manager_cpu_us_per_call=%.2f "
                                + "worker_cpu_us_per_call=%.2f threads=%d threads_without_jdk_reapers=%d rss_mb=%.0f heap_mb=%.0f runs=%d",
                        peer, workload, workload.unit, format(value), p99Text, ratios, format(ratioToBest), managerCpu, workerCpu,
                        (long) median(runs, "threads"), (long) median(runs, "own_threads"), median(runs, "rss_mb"), median(runs, "heap_mb"),
                        runs.size()));
                table.add(new String[] {workload.name(), peer, workload.unit, format(value), format(p99), format(ratioToBaseline),
                        format(p99ToBaseline), format(ratioToPipe), format(ratioToBest), String.format(Locale.ROOT, "%.2f", managerCpu),
                        String.format(Locale.ROOT, "%.2f", workerCpu), Long.toString((long) median(runs, "threads")),
                        Long.toString((long) median(runs, "own_threads")),
                        String.format(Locale.ROOT, "%.0f", median(runs, "rss_mb")),
                        Double.isNaN(sqsRequests) ? "" : String.format(Locale.ROOT, "%.2f", sqsRequests), Integer.toString(runs.size())});
            }
        }
        Duration wallTime = Duration.ofNanos(System.nanoTime() - started);
        writeMarkdown(output, table, quick, rounds, wallTime, archived);
        System.err.printf(Locale.ROOT, "total wall time: %s%n", minutesAndSeconds(wallTime));
    }

    /**
     * The most rounds of a run whose workloads include {@code workload}: the queue runs (each
     * starts a server and waits on SQS round trips), the runs with many workers and the runs
     * whose warm-up is twice as long (W2 pinned, W3) have fewer, to keep a full run within 10 minutes.
     */
    static int maxRounds(Workload workload) {
        if (QueueBench.isQueue(workload)) {
            return QUEUE_ROUNDS;
        }
        if (workload.pinned()) {
            return LONG_WARM_UP_ROUNDS;
        }
        if (workload.longWarmUp()) {
            return SEVERAL_WORKERS_ROUNDS;
        }
        return workload.manyWorkers() ? MANY_WORKERS_ROUNDS : Integer.MAX_VALUE;
    }

    private static String roundsText(int rounds) {
        return rounds == 1 ? "one round" : "median of " + rounds;
    }

    /** What W5's figure is the median of: its run measures it more than once. */
    private static String manyWorkersText(int rounds) {
        int measurements = rounds * Workload.W5.measurements();
        return "median of " + measurements + " measurements in " + (rounds == 1 ? "one run" : rounds + " runs");
    }

    private static String minutesAndSeconds(Duration duration) {
        return String.format(Locale.ROOT, "%d min %02d s", duration.toMinutes(), duration.toSecondsPart());
    }

    /**
     * The workloads grouped into runs: those with the same number of workers and the same pinning
     * share one fresh JVM and its warm-up.
     */
    static List<List<Workload>> runs(List<Workload> workloads) {
        Map<String, List<Workload>> runs = new LinkedHashMap<>();
        for (Workload workload : workloads) {
            runs.computeIfAbsent(workload.workers + (workload.pinned() ? " pinned" : ""), key -> new ArrayList<>()).add(workload);
        }
        return List.copyOf(runs.values());
    }

    /** The results a run of {@code run}'s workloads prints: one per measurement. */
    static int resultsOf(List<Workload> run) {
        return run.stream().mapToInt(Workload::measurements).sum();
    }

    /** Whether {@code peer} takes part in a run over a queue ({@code queue}) or in one over pipes. */
    static boolean takesPart(String peer, boolean queue) {
        if (peer.equals(PIPERPC_METRICS)) {
            return !queue;
        }
        return peer.equals("piperpc") || queue == peer.equals(QueueBench.RAW_SDK);
    }

    /** The best figure among the libraries other than {@code peer} (the raw baselines are ceilings, not peers). */
    private static double bestOther(Map<String, Double> medians, String peer, Workload workload) {
        double best = Double.NaN;
        for (Map.Entry<String, Double> entry : medians.entrySet()) {
            boolean samePeer = entry.getKey().equals(peer) || entry.getKey().startsWith("piperpc") && peer.startsWith("piperpc");
            if (samePeer || entry.getKey().startsWith("raw-") || entry.getValue().isNaN()) {
                continue;
            }
            double value = entry.getValue();
            if (Double.isNaN(best) || (workload.higherIsBetter() ? value > best : value < best)) {
                best = value;
            }
        }
        return best;
    }

    private static double median(List<Map<String, String>> runs, String key) {
        double[] values = runs.stream().mapToDouble(run -> Double.parseDouble(run.getOrDefault(key, "NaN"))).sorted().toArray();
        int middle = values.length / 2;
        return values.length % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
    }

    private static String format(double value) {
        if (Double.isNaN(value)) {
            return "n/a";
        }
        return value >= 100 ? String.format(Locale.ROOT, "%.0f", value) : String.format(Locale.ROOT, "%.2f", value);
    }

    /**
     * Runs {@code run}'s workloads for {@code peer} in a child JVM ({@link RunOne}): its results,
     * one per measurement.
     *
     * @throws IllegalStateException if the child fails or prints another number of results
     */
    static List<Map<String, String>> runChild(String peer, List<Workload> run, boolean quick, Path archive)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        if (run.get(0).pinned()) {
            // Manager and workers on one CPU: the JVM and every child it starts inherit the affinity.
            command.addAll(List.of("taskset", "-a", "-c", "0"));
        }
        command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx2g", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "-cp", System.getProperty("java.class.path"), RunOne.class.getName(), peer,
                String.join(",", run.stream().map(Workload::name).toList())));
        if (quick) {
            command.add("quick");
        }
        if (archive != null && run.get(0).manyWorkers()) {
            command.add(RunOne.ARCHIVE + archive);
        }
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        List<Map<String, String>> results = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.startsWith("result ")) {
                    Map<String, String> fields = new LinkedHashMap<>();
                    for (String pair : line.substring("result ".length()).split(" ")) {
                        int equals = pair.indexOf('=');
                        fields.put(pair.substring(0, equals), pair.substring(equals + 1));
                    }
                    results.add(fields);
                }
            }
        }
        int exit = process.waitFor();
        if (results.size() != resultsOf(run) || exit != 0) {
            throw new IllegalStateException(peer + " " + run + " failed with exit code " + exit);
        }
        return results;
    }

    /** Writes the results file: the table, then how each peer was driven. */
    static void writeMarkdown(Path output, List<String[]> table, boolean quick, int rounds, Duration wallTime, List<String> archived)
            throws IOException {
        StringBuilder markdown = new StringBuilder();
        markdown.append("# Benchmark results\n\n")
                .append("Measured ").append(LocalDate.now()).append(" on ").append(machine()).append(", ")
                .append(quick ? "quick mode (one round, a tenth of the calls, " + RunOne.QUICK_WARM_UP.toSeconds()
                        + " s warm-ups, W5 only when asked for: far from steady state, a check that everything runs)"
                        : "median of " + rounds + " rounds (W2: " + roundsText(Math.min(rounds, LONG_WARM_UP_ROUNDS))
                        + "; W3: " + roundsText(Math.min(rounds, SEVERAL_WORKERS_ROUNDS))
                        + "; W5: " + manyWorkersText(Math.min(rounds, MANY_WORKERS_ROUNDS)) + "; W7 and W7L: "
                        + roundsText(Math.min(rounds, QUEUE_ROUNDS)) + ")")
                .append("; the whole run took ").append(minutesAndSeconds(wallTime))
                .append(". Each run is a fresh manager JVM with fresh workers, warmed up once every worker has answered a call, for ")
                .append(quick ? RunOne.QUICK_WARM_UP.toSeconds() + " s (W2 and W3: " + RunOne.QUICK_WARM_UP.multipliedBy(2).toSeconds() + " s)"
                        : RunOne.WARM_UP.toSeconds() + " s (W2 and W3: " + RunOne.WARM_UP.multipliedBy(2).toSeconds() + " s; W5: "
                        + RunOne.MANY_WORKERS_WARM_UP.toSeconds() + " s)")
                .append(" whatever the peer, before anything is measured; peers are interleaved within each round.\n\n")
                .append("| workload | peer | unit | value | p99 µs | ratio to raw-jvm (W7: raw-sdk) | p99 ratio to raw-jvm (W7: raw-sdk) | ratio to raw-pipe | ratio to best other library | manager CPU µs/call | worker CPU µs/call | manager threads | without JDK reapers | manager peak RSS MB | SQS requests per call | runs |\n")
                .append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (String[] row : table) {
            markdown.append("| ").append(String.join(" | ", row)).append(" |\n");
        }
        markdown.append("""

                How each peer was driven (payload: method `echo`, params `[i, "<64 ASCII characters>"]`, result = params; every result checked):

                - **raw-pipe**: `cat` as the worker, echoing each request line unchanged; the manager writes lines in batches and only counts the lines that come back, with the same bound on lines outstanding. The pipe's own ceiling, no JSON-RPC.
                - **raw-jvm**: a JVM worker (`RawJvmEchoWorker`) that echoes each line it reads with `BufferedReader.readLine`, flushing when no more input is ready; the manager writes each request with a flush of its own and only counts lines. The ceiling of a per-message JVM peer without JSON; the baseline of every ratio (W7: raw-sdk).
                - **piperpc**: a `WorkerPool` of the benchmark worker (`dev.piperpc.benchmarks.BenchmarkWorker`, rpc-worker, newline framing); calls sent with `pool.send(...)` and joined oldest-first once the window is full.
                - **piperpc-metrics** (only when named with `--peers`): piperpc's pool with `PoolMetrics` (piperpc-micrometer) registered, recording into a `SimpleMeterRegistry`: every call timed per method and outcome, calls in flight, message sizes; the run fails unless the registry counted the echo calls. What a listener costs; piperpc's own figures have none.
                - **lsp4j**: `org.eclipse.lsp4j.jsonrpc` 1.0.0, one `Launcher` per worker over the child's stdin/stdout (Content-Length framing), calls through the remote proxy (`@JsonRequest` methods returning `CompletableFuture`), joined oldest-first once the window is full; workers taken round-robin. The worker is an LSP4J `Launcher` whose `sleep` completes off the reader thread, as LSP4J recommends.
                - **jsonrpc4j**: 1.7, `JsonRpcClient.invokeAndReadResponse` over each child's stdin/stdout against a `JsonRpcBasicServer` in the child. Its stream client makes one call at a time, so each worker has one calling thread, and throughput runs make a tenth of the calls.
                - Worker JVMs: `%s` (W5: see below); manager JVM: `-Xmx2g`. W4 has no raw figure: the raw workers cannot sleep.
                - Runs: workloads with the same number of workers share one run (W1, W2U, W4 and W6 with 1 worker; W2 pinned; W3; W5). A run starts its workers, waits until each has answered one echo call, makes echo calls in slices of 5,000 (at most 1,000 outstanding), taking turns with slices of 1,000 sequential calls when the run measures W2 or W2U (the W2 run makes only those), for the same warm-up time whatever the peer (%d s; W2 and W3 twice that; W5 %d s), then measures its workloads one after the other (W5 three times). A peer's one-at-a-time path is other code than its path with many calls outstanding, and the JIT compiles each only when it runs: warmed with throughput calls alone, a peer still compiles its sequential path while W2 measures it, and on one CPU every compilation stalls the round trips behind it for up to a few milliseconds. The JIT needs seconds, not a number of calls, to reach steady state, so a fixed time is fair to fast and slow peers alike.
                - W5 (64 workers) measures the manager with 64 workers that are all warm. Every peer's 64 workers are JVMs (raw-pipe's are `cat`) started with the same flags whatever the peer, `%s`: C1 alone on one compiler thread, compiling after a tenth of the usual number of calls, so that 64 JVMs on 2 cores reach their steady state within the warm-up instead of compiling with C2 for minutes; and `-XX:SharedArchiveFile=` a class data archive (AppCDS) of the peer's worker, made once per bench run by one worker with the same flags that answers 2,000 echo calls and writes the classes it loaded as it exits (`-XX:ArchiveClassesAtExit`), so that the 64 map those classes instead of each loading and verifying them (made this time for: %s). The run waits until each of the 64 workers has answered one call, then warms them all at once for %d s: echo calls in slices of 5,000 with at most 1,000 outstanding, spread over every worker (the one with the fewest in flight for piperpc, round-robin for LSP4J and the raw peers, one calling thread per worker for jsonrpc4j); then it measures 200,000 calls (jsonrpc4j 20,000) over all 64. The warm-up is longer than the other runs' because the manager JVM's C2 compiler shares the two cores with 64 busy workers: after 10 s, piperpc's manager had only just finished compiling its hot paths, and the first 200,000 calls measured after that cost it 20–70%% more CPU per call than the next 200,000 (29k–44k calls/s, then 39k–60k); after 15 s, the first measurement is as fast as the ones after it. The manager JVM is the same as in the other runs; its threads and RSS are counted as in the other workloads. Every call costs more than in W3, on both sides: 64 processes take turns on 2 cores, each woken for a few messages at a time. Fewer rounds than the other workloads (see above): each W5 run starts 64 worker JVMs per peer, so the run measures W5 three times one after the other and its figure is the median of those.
                - W2 runs manager and workers under `taskset -a -c 0`, with 5,000 unmeasured sequential calls before the 20,000 measured ones. Its warm-up is twice as long as the other runs' (the same CPU time: one CPU instead of two), because on one CPU the JIT compilers take turns with the calls: after 4 s, piperpc's manager and worker were each still compiling for about a third of the CPU, and every compilation held up the round trips behind it by up to a few milliseconds (p99 about 1 ms; after 8 s, 40–55 µs). In exchange it runs in at most %d rounds. W3 warms for as long as W2, in at most %d rounds: its four worker JVMs and the manager compile with C2 on two cores, and each peer's throughput, measured eight times one after the other in one run after the 4 s warm-up, still rose for several seconds more (piperpc from about 150k calls/s in the first measurement to 270–330k from the fifth, at about 10 s from the start; LSP4J from about 105k to 140–158k from the second). W2U is the same unpinned, with half as many calls (2,500 and 10,000; its round trips take five times as long). A run with W4 makes W4's shape in every turn of its warm-up too (a 5 ms sleep, then 100 echoes joined behind it): with only 10 such rounds just before measuring, the first W4 measured after them still took 1.7–3 ms for piperpc and 1.8–6.5 ms for LSP4J while the JIT compiled that path, and the next ones 0.3 and 0.8–1.1 ms. W6 makes W1's calls again, in slices of a quarter of them (50,000; jsonrpc4j 5,000), for %d s whatever the peer (quick mode: %d ms), while a second manager thread parks for 1 ms at a time and records how late it wakes: about 1,000 wakes for every peer, whose p99 is the tenth latest. (W1's 200,000 calls made once would give piperpc about 200 wakes and LSP4J about 1,400; measured that way, piperpc's p99, the third latest of its 200, moved between 0.5 and 1.7 ms from run to run.)
                - Manager threads are counted at the end of the run; "without JDK reapers" leaves out the JDK's "process reaper" threads, one per live child process whatever library started it.
                - W7 and W7L (over a queue): one JVM per run holds an embedded ElasticMQ (`elasticmq-rest-sqs_2.13`), the peer and its responder; W7 is a burst of %s calls with at most 1,000 outstanding, W7L %s calls one at a time. **raw-sdk** is a loop on the AWS SDK alone: the calling thread sends requests in `SendMessageBatch`es of whatever the window lets out (up to 10), a responder thread receives up to 10, answers them in one batch and deletes them in one batch, a receiver thread on the reply queue receives up to 10, completes them and deletes them in one batch. **piperpc** is a `QueueClient` and a `Worker` of the benchmark worker listening on the request queue through an `SqsAcceptor` (concurrency 10) in the same JVM. SQS requests per call count every API request of both sides at the SQS client. lsp4j and jsonrpc4j have no queue transport; at most %d rounds. Worker CPU is in the manager's figure (one JVM).
                - CPU figures are per measured call: the manager's from its process CPU time, the workers' from their processes' CPU time over the same interval.
                """.formatted(String.join(" ", WorkerJvm.STEADY.flags()), RunOne.WARM_UP.toSeconds(), RunOne.MANY_WORKERS_WARM_UP.toSeconds(),
                String.join(" ", WorkerJvm.many(null).flags()), archived.isEmpty() ? "no peer" : String.join(", ", archived),
                RunOne.MANY_WORKERS_WARM_UP.toSeconds(), LONG_WARM_UP_ROUNDS, SEVERAL_WORKERS_ROUNDS,
                RunOne.TIMER_WINDOW.toSeconds(), RunOne.QUICK_TIMER_WINDOW.toMillis(), String.format(Locale.ROOT, "%,d", Workload.W7.calls), Workload.W7L.calls, QUEUE_ROUNDS));
        Files.createDirectories(output.toAbsolutePath().getParent());
        Files.writeString(output, markdown.toString());
        System.err.println("wrote " + output);
    }

    private static String machine() {
        String cpu = "unknown CPU";
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    cpu = line.substring(line.indexOf(':') + 1).strip();
                    break;
                }
            }
        } catch (IOException ignored) {
            // not Linux
        }
        return Runtime.getRuntime().availableProcessors() + " cores (" + cpu + "), " + System.getProperty("os.name") + " "
                + System.getProperty("os.version") + ", JDK " + System.getProperty("java.version");
    }
}
