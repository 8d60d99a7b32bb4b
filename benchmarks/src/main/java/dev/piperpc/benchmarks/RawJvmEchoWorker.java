package dev.piperpc.benchmarks;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;

/**
 * The {@code raw-jvm} worker: echoes each line it reads ({@link BufferedReader#readLine}), and
 * flushes when no more input is ready. A per-message JVM peer without JSON: the ceiling a
 * JSON-RPC library in a JVM worker could reach.
 */
public final class RawJvmEchoWorker {

    private RawJvmEchoWorker() {
    }

    public static void main(String[] args) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8), 64 * 1024);
        BufferedWriter out = new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), 64 * 1024);
        String line;
        while ((line = in.readLine()) != null) {
            out.write(line);
            out.write('\n');
            if (!in.ready()) {
                out.flush();
            }
        }
        out.flush();
    }
}
