package dev.piperpc.queue;

import dev.piperpc.worker.Worker;
import dev.piperpc.worker.WorkerContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A worker process for the queue tests: it listens where {@code PIPERPC_LISTEN} says. With no
 * argument it starts as {@code Worker.serve} does; with one, that is its concurrency.
 */
public final class QueueTestWorker {

    private static final Map<String, String> VALUES = new ConcurrentHashMap<>();

    /** Adds. */
    public int add(int a, int b) {
        return a + b;
    }

    /** Stores {@code value} under {@code key} in this process (sent as a notification in the tests). */
    public void set(String key, String value) {
        VALUES.put(key, value);
    }

    /** What {@link #set} stored under {@code key}, or an empty string. */
    public String get(String key) {
        return VALUES.getOrDefault(key, "");
    }

    /** Throws, as user code does. */
    public String fail(String message) {
        throw new IllegalStateException(message);
    }

    /** Echoes its argument. */
    public String echo(String text) {
        return text;
    }

    /** {@code text} {@code times} times over: a large result from a small request. */
    public String repeat(String text, int times) {
        return text.repeat(times);
    }

    /** Sends {@code count} progress notifications, then returns {@code count}. */
    public int progress(int count) {
        for (int i = 1; i <= count; i++) {
            WorkerContext.current().progress("p", i);
        }
        return count;
    }

    /**
     * Appends "started" to {@code marker}, waits until the file {@code gate} exists (or, with an
     * empty gate, {@code millis}), appends "finished", and returns how many times it was started.
     */
    public int work(String marker, String gate, long millis) throws InterruptedException {
        append(marker, "started");
        if (gate.isEmpty()) {
            Thread.sleep(millis);
        } else {
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (!Files.exists(Path.of(gate)) && System.nanoTime() - deadline < 0) {
                Thread.sleep(10);
            }
        }
        append(marker, "finished");
        return count(marker, "started");
    }

    /**
     * Appends "started" to {@code marker}, runs until its caller cancels it (60 s at most), then
     * appends "cancelled" (or "finished" if it never was) and returns.
     */
    public String untilCancelled(String marker) {
        append(marker, "started");
        WorkerContext context = WorkerContext.current();
        long deadline = System.nanoTime() + 60_000_000_000L;
        try {
            while (!context.isCancelled() && System.nanoTime() - deadline < 0) {
                Thread.sleep(10);
            }
        } catch (InterruptedException e) {
            // A cancellation interrupts the method's thread.
        }
        append(marker, context.isCancelled() ? "cancelled" : "finished");
        return "done";
    }

    /** Asks the manager a question; returns its answer, or the message of the error the request ended with. */
    public String askManager() {
        try {
            return WorkerContext.current().request("question", dev.piperpc.core.Params.none(), String.class);
        } catch (RuntimeException e) {
            return e.getMessage();
        }
    }

    /** Ends the process at once, as a crash would. */
    public void die() {
        Runtime.getRuntime().halt(3);
    }

    static synchronized void append(String file, String line) {
        try {
            Files.writeString(Path.of(file), line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static int count(String file, String line) {
        try {
            return Files.exists(Path.of(file)) ? (int) Files.readAllLines(Path.of(file)).stream().filter(line::equals).count() : 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A process of this worker, started as a deployment would start it: {@code PIPERPC_LISTEN}
     * names the queue ({@code sqs:<queue>?waitSeconds=1} and {@code settings}, if any), the AWS
     * SDK finds {@code sqsEndpoint} and dummy credentials in the environment; its output goes to
     * {@code log}. {@code concurrency} may be {@code null} (the default).
     */
    static ProcessBuilder process(String queue, String settings, Integer concurrency, java.net.URI sqsEndpoint, Path log) {
        // Short-lived JVMs: C1 only and one GC thread start faster on a busy machine.
        java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"), QueueTestWorker.class.getName()));
        if (concurrency != null) {
            command.add(concurrency.toString());
        }
        ProcessBuilder builder = new ProcessBuilder(command);
        // Short polls: a stopping worker waits for its poll under way.
        builder.environment().put("PIPERPC_LISTEN", "sqs:" + queue + "?waitSeconds=1" + (settings == null ? "" : "&" + settings));
        builder.environment().put("AWS_ENDPOINT_URL_SQS", sqsEndpoint.toString());
        builder.environment().put("AWS_REGION", "us-east-1");
        builder.environment().put("AWS_ACCESS_KEY_ID", "test");
        builder.environment().put("AWS_SECRET_ACCESS_KEY", "test");
        return builder.redirectErrorStream(true).redirectOutput(log.toFile());
    }

    public static void main(String[] args) {
        if (args.length == 0) {
            Worker.serve(new QueueTestWorker());
        } else {
            Worker.builder().concurrency(Integer.parseInt(args[0])).service(new QueueTestWorker()).run();
        }
    }
}
