package dev.piperpc.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Runs one workload with one peer in this (fresh) JVM, after a warm-up, and prints one line:
 * {@code result peer=... workload=... value=... cpu_s=... threads=... peak_threads=... rss_mb=... heap_mb=...}.
 */
public final class RunOne {

    private RunOne() {
    }

    static Peer peer(String name) {
        return switch (name) {
            case "raw" -> new RawPeer();
            case "piperpc" -> new PiperpcPeer();
            case "lsp4j" -> new Lsp4jPeer();
            case "jsonrpc4j" -> new Jsonrpc4jPeer();
            default -> throw new IllegalArgumentException("unknown peer " + name);
        };
    }

    public static void main(String[] args) throws Exception {
        String peerName = args[0];
        Workload workload = Workload.valueOf(args[1]);
        boolean quick = args.length > 2 && args[2].equals("quick");
        int calls = workload.callsFor(peerName, quick);
        double value;
        double p99 = Double.NaN;
        long cpuBefore;
        long cpuAfter;
        long workerCpuBefore;
        long workerCpuAfter;
        int threads;
        try (Peer peer = peer(peerName)) {
            peer.start(workload.workers);
            switch (workload) {
                case W4 -> {
                    peer.throughput(Math.max(1_000, calls * 20), 100);
                    peer.headOfLine(50, calls);
                    cpuBefore = cpuNanos();
                    workerCpuBefore = workerCpuNanos(peer);
                    value = peer.headOfLine(300, calls);
                }
                case W2, W2U -> {
                    cpuBefore = cpuNanos();
                    workerCpuBefore = workerCpuNanos(peer);
                    long[] times = peer.roundTrips(5_000, calls);
                    java.util.Arrays.sort(times);
                    value = times[times.length / 2] / 1e3;
                    p99 = times[(int) (times.length * 0.99)] / 1e3;
                }
                case W6 -> {
                    peer.throughput(Math.max(1_000, calls / 5), workload.window);
                    cpuBefore = cpuNanos();
                    workerCpuBefore = workerCpuNanos(peer);
                    TimerProbe probe = TimerProbe.start();
                    peer.throughput(calls, workload.window);
                    value = probe.stopAndGetP99Millis();
                }
                default -> {
                    peer.throughput(Math.max(1_000, calls / 5), workload.window);
                    cpuBefore = cpuNanos();
                    workerCpuBefore = workerCpuNanos(peer);
                    value = peer.throughput(calls, workload.window);
                }
            }
            cpuAfter = cpuNanos();
            workerCpuAfter = workerCpuNanos(peer);
            threads = ManagementFactory.getThreadMXBean().getThreadCount();
        }
        System.out.printf(Locale.ROOT, "result peer=%s workload=%s value=%.3f p99=%.3f calls=%d cpu_s=%.3f worker_cpu_s=%.3f threads=%d "
                        + "peak_threads=%d rss_mb=%.1f heap_mb=%.1f%n",
                peerName, workload, value, p99, calls, (cpuAfter - cpuBefore) / 1e9, (workerCpuAfter - workerCpuBefore) / 1e9, threads,
                ManagementFactory.getThreadMXBean().getPeakThreadCount(), peakRssMb(), peakHeapMb());
        System.exit(0);
    }

    private static long workerCpuNanos(Peer peer) {
        long total = 0;
        for (ProcessHandle worker : peer.workerProcesses()) {
            total += worker.info().totalCpuDuration().map(java.time.Duration::toNanos).orElse(0L);
        }
        return total;
    }

    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static double peakRssMb() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
            }
        }
        return Double.NaN;
    }

    private static double peakHeapMb() {
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        return peak / (1024.0 * 1024.0);
    }
}
