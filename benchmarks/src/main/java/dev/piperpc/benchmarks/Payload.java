package dev.piperpc.benchmarks;

import java.io.IOException;
import java.util.List;

/** The benchmark payload, and the stopping of worker processes. */
final class Payload {

    /** The 64 ASCII characters of every {@code echo} call: params are {@code [i, TEXT]}. */
    static final String TEXT = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_";

    private Payload() {
    }

    /** The request line a raw peer writes: a JSON-RPC request, unchanged by the echoing worker. */
    static String rawLine(int i) {
        return "{\"jsonrpc\":\"2.0\",\"id\":" + i + ",\"method\":\"echo\",\"params\":[" + i + ",\"" + TEXT + "\"]}\n";
    }

    /** Closes each worker's stdin, waits for it to exit, and kills what is still running after 10 s. */
    static void stopAll(List<Process> processes) throws IOException {
        for (Process process : processes) {
            process.getOutputStream().close();
        }
        for (Process process : processes) {
            try {
                if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }
}
