package dev.piperpc.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * One run: a fresh manager JVM with one peer and fresh workers, warmed up, then measuring the
 * given workloads one after the other (all need the same number of workers). Prints one line per
 * measurement ({@link Workload#measurements()}: W5 three, the others one):
 * {@code result peer=... workload=... value=... p99=... calls=... seconds=... cpu_s=... worker_cpu_s=...
 * threads=... own_threads=... peak_threads=... rss_mb=... heap_mb=...}.
 *
 * <p>Usage: {@code RunOne <peer> <W1,W6,...> [quick] [archive=FILE]}, where {@code FILE} is the
 * class data archive of the peer's worker for runs with many workers ({@link WorkerArchive}).
 */
public final class RunOne {

    /**
     * How long every peer is warmed up before anything is measured, once each worker has answered
     * a call (the JIT needs seconds, not calls).
     */
    static final Duration WARM_UP = Duration.ofSeconds(4);
    /**
     * The warm-up of a run with many workers (W5): the same time for every peer, over all its
     * workers at once; longer than the others because the manager's JIT compiler shares the cores
     * with 64 busy workers and needs more time to compile the hot paths.
     */
    static final Duration MANY_WORKERS_WARM_UP = Duration.ofSeconds(15);
    /** The warm-up in quick mode. */
    static final Duration QUICK_WARM_UP = Duration.ofSeconds(1);
    /** The sleep of the W4-shaped rounds of a warm-up: long enough for the echoes to finish behind it. */
    static final long HEAD_OF_LINE_WARM_UP_SLEEP_MILLIS = 5;
    /**
     * How long W6 makes calls while its timer runs, the same for every peer: a thousand wakes of
     * the timer, so that the p99 is the tenth latest of them whatever the peer's speed.
     */
    static final Duration TIMER_WINDOW = Duration.ofSeconds(1);
    /** W6's time in quick mode. */
    static final Duration QUICK_TIMER_WINDOW = Duration.ofMillis(250);
    /** The argument that names the class data archive of the workers. */
    static final String ARCHIVE = "archive=";

    private RunOne() {
    }

    /** The peer called {@code name}, whose Java workers (if any) start as {@code jvm} says. */
    static Peer peer(String name, WorkerJvm jvm) {
        return switch (name) {
            case "raw-pipe" -> RawPeer.pipe();
            case "raw-jvm" -> RawPeer.jvm(jvm);
            case "piperpc" -> PiperpcPeer.plain(jvm);
            case Bench.PIPERPC_METRICS -> PiperpcPeer.withMetrics(jvm);
            case "lsp4j" -> new Lsp4jPeer(jvm);
            case "jsonrpc4j" -> new Jsonrpc4jPeer(jvm);
            default -> throw new IllegalArgumentException("unknown peer " + name);
        };
    }

    public static void main(String[] args) throws Exception {
        String peerName = args[0];
        List<Workload> workloads = Arrays.stream(args[1].split(",")).map(Workload::valueOf).toList();
        List<String> options = Arrays.asList(args).subList(2, args.length);
        boolean quick = options.contains("quick");
        Path archive = options.stream().filter(option -> option.startsWith(ARCHIVE)).map(option -> Path.of(option.substring(ARCHIVE.length())))
                .findFirst().orElse(null);
        if (workloads.stream().anyMatch(QueueBench::isQueue)) {
            QueueBench.run(peerName, workloads, quick);
            System.exit(0);
        }
        int workers = workloads.get(0).workers;
        if (workloads.stream().anyMatch(workload -> workload.workers != workers)) {
            throw new IllegalArgumentException("one run's workloads must share their number of workers: " + workloads);
        }
        boolean many = workloads.get(0).manyWorkers();
        try (Peer peer = peer(peerName, many ? WorkerJvm.many(archive) : WorkerJvm.STEADY)) {
            peer.start(workers);
            peer.echoEach();
            Duration warmUp = quick ? QUICK_WARM_UP : many ? MANY_WORKERS_WARM_UP : WARM_UP;
            warmUp(peer, workloads.get(0).longWarmUp() ? warmUp.multipliedBy(2) : warmUp, workloads);
            for (Workload workload : workloads) {
                for (int i = 0; i < workload.measurements(); i++) {
                    measure(peer, peerName, workload, workload.callsFor(peerName, quick), quick);
                }
            }
        }
        System.exit(0);
    }

    /**
     * Makes calls in slices until {@code duration} has passed: the same time for every peer, in
     * the shapes the run measures. A peer's one-at-a-time path is other code than its path with
     * many calls outstanding (a caller that reads its own answer, say), and the JIT compiles each
     * only once it runs; slices of sequential calls, taking turns with the throughput slices when
     * the run measures both, leave nothing of either to compile while measuring. Likewise a run
     * with W4 makes W4's shape (echoes behind a pending sleep, here of
     * {@value #HEAD_OF_LINE_WARM_UP_SLEEP_MILLIS} ms) in every turn.
     */
    private static void warmUp(Peer peer, Duration duration, List<Workload> workloads) throws Exception {
        boolean sequential = workloads.stream().anyMatch(Workload::roundTrips);
        boolean throughput = workloads.stream().anyMatch(workload -> !workload.roundTrips());
        boolean headOfLine = workloads.contains(Workload.W4);
        long end = System.nanoTime() + duration.toNanos();
        while (System.nanoTime() < end) {
            if (throughput) {
                peer.throughput(5_000, 1_000);
            }
            if (sequential) {
                peer.roundTrips(0, 1_000);
            }
            if (headOfLine) {
                peer.headOfLine(HEAD_OF_LINE_WARM_UP_SLEEP_MILLIS, Workload.W4.calls);
            }
        }
    }

    private static void measure(Peer peer, String peerName, Workload workload, int calls, boolean quick) throws Exception {
        double value;
        double p99 = Double.NaN;
        long cpuBefore = cpuNanos();
        long workerCpuBefore = workerCpuNanos(peer);
        long started = System.nanoTime();
        switch (workload) {
            case W4 -> value = peer.headOfLine(300, calls);
            case W2, W2U -> {
                // Unmeasured first: a quarter as many as measured (5,000 before 20,000).
                long[] times = peer.roundTrips(calls / 4, calls);
                Arrays.sort(times);
                value = times[times.length / 2] / 1e3;
                p99 = times[(int) (times.length * 0.99)] / 1e3;
            }
            case W6 -> {
                TimerProbe probe = TimerProbe.start();
                long end = System.nanoTime() + (quick ? QUICK_TIMER_WINDOW : TIMER_WINDOW).toNanos();
                int slice = calls / 4;
                int made = 0;
                do {
                    peer.throughput(slice, workload.window);
                    made += slice;
                } while (System.nanoTime() < end);
                calls = made;
                value = probe.stopAndGetP99Millis();
            }
            default -> value = peer.throughput(calls, workload.window);
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        long cpuAfter = cpuNanos();
        long workerCpuAfter = workerCpuNanos(peer);
        System.out.printf(Locale.ROOT, "result peer=%s workload=%s value=%.3f p99=%.3f calls=%d seconds=%.3f cpu_s=%.3f worker_cpu_s=%.3f threads=%d "
                        + "own_threads=%d peak_threads=%d rss_mb=%.1f heap_mb=%.1f%n",
                peerName, workload, value, p99, calls, seconds, (cpuAfter - cpuBefore) / 1e9, (workerCpuAfter - workerCpuBefore) / 1e9,
                ManagementFactory.getThreadMXBean().getThreadCount(), ownThreads(),
                ManagementFactory.getThreadMXBean().getPeakThreadCount(), peakRssMb(), peakHeapMb());
    }

    /**
     * Live threads other than the JDK's "process reaper" threads, which the JDK starts for every
     * child process whatever library drives it.
     */
    static long ownThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(thread -> !thread.getName().startsWith("process reaper")).count();
    }

    private static long workerCpuNanos(Peer peer) {
        long total = 0;
        for (ProcessHandle worker : peer.workerProcesses()) {
            total += worker.info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
        }
        return total;
    }

    static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    static double peakRssMb() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
            }
        }
        return Double.NaN;
    }

    static double peakHeapMb() {
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        return peak / (1024.0 * 1024.0);
    }
}
