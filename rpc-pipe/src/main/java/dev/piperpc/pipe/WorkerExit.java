package dev.piperpc.pipe;

import java.util.List;

/**
 * How a worker process ended.
 *
 * @param name       the worker's name
 * @param pid        its process id
 * @param exitCode   its exit code (as Java reports it: 128 + N when killed by signal N)
 * @param requested  whether it was asked to stop (its stdin closed by us, or it was destroyed by us)
 * @param lastStderr the last lines it wrote to stderr
 */
public record WorkerExit(String name, long pid, int exitCode, boolean requested, List<String> lastStderr) {

    /** Copies the lines. */
    public WorkerExit {
        lastStderr = List.copyOf(lastStderr);
    }

    /** Whether it ended as asked and with code 0. */
    public boolean isClean() {
        return requested && exitCode == 0;
    }

    /** The signal that killed it, or 0 if it exited by itself. */
    public int signal() {
        return exitCode > 128 && exitCode < 128 + 65 ? exitCode - 128 : 0;
    }

    /** A one-line description: {@code worker-1 (pid 42) was killed by signal 9 (SIGKILL)}. */
    public String describe() {
        String how = signal() != 0
                ? "was killed by signal " + signal() + signalName(signal())
                : "exited with code " + exitCode;
        String tail = lastStderr.isEmpty() ? "" : "; last stderr: " + String.join(" | ", lastStderr.subList(
                Math.max(0, lastStderr.size() - 5), lastStderr.size()));
        return name + " (pid " + pid + ") " + how + (requested ? " after being asked to stop" : "") + tail;
    }

    private static String signalName(int signal) {
        return switch (signal) {
            case 1 -> " (SIGHUP)";
            case 2 -> " (SIGINT)";
            case 6 -> " (SIGABRT)";
            case 9 -> " (SIGKILL)";
            case 11 -> " (SIGSEGV)";
            case 15 -> " (SIGTERM)";
            default -> "";
        };
    }
}
