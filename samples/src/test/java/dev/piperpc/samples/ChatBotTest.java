package dev.piperpc.samples;

import dev.piperpc.samples.chatbot.ChatBot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The chat-bot demo, run as a process of its own the way {@code ./piperpc demo} runs it. */
@Timeout(120)
class ChatBotTest {

    @ParameterizedTest
    @ValueSource(strings = {"pipes", "queue"})
    void theDemoAnswersCheapCommandsWhileAHeavyJobRuns(String mode) throws Exception {
        Path script = Files.createTempFile("chatbot", ".txt");
        Files.writeString(script, "sleep 3\necho cheap answer\nprimes 100000\nstatus\n");
        List<String> command = new ArrayList<>(demo());
        if (mode.equals("queue")) {
            command.add("--queue");
        }
        command.addAll(List.of("--script", script.toString()));
        Process process = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        String out;
        try {
            CompletableFuture<String> stdout = CompletableFuture.supplyAsync(() -> read(process.getInputStream()));
            CompletableFuture<String> stderr = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
            assertTrue(process.waitFor(90, TimeUnit.SECONDS), "the demo finished");
            assertEquals(0, process.exitValue(), stderr.join());
            out = stdout.join();
        } finally {
            stop(process);
        }
        int queued = out.indexOf("queued #1: sleep 3");
        int cheap = out.indexOf("cheap answer");
        int primes = out.indexOf("#2 done: primes 100000 = 9592");
        int slept = out.indexOf("#1 done: sleep 3 = slept 3 s");
        assertTrue(queued >= 0 && cheap > queued && primes > cheap && slept > primes, out);
        assertTrue(out.contains("#1 1/3 s"), "progress is shown: " + out);
        int lastProgress = out.indexOf("#1 3/3 s");
        assertTrue(lastProgress >= 0 && lastProgress < slept, "the last progress is shown before the result: " + out);
        assertTrue(out.strip().endsWith("bye"), out);
    }

    @Test
    void overTheQueueAJobWhoseWorkerIsKilledIsRedeliveredAndFinishedOnce() throws Exception {
        List<String> command = new ArrayList<>(demo());
        command.addAll(List.of("--queue", "--workers", "1"));
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        // The reads below block: a demo that hangs is ended, so that they end too and the test fails.
        CompletableFuture.runAsync(() -> stop(process), CompletableFuture.delayedExecutor(90, TimeUnit.SECONDS));
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
             Writer in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8)) {
            awaitLine(out, "ready: 1 workers");
            in.write("sleep 2\n");
            in.flush();
            awaitLine(out, "#1 1/2 s");
            // The job is running on the only worker: kill it.
            // The demo's only child processes are its workers (the SQS server runs inside the demo).
            List<ProcessHandle> workers = process.children().toList();
            assertEquals(1, workers.size(), "one worker process");
            workers.get(0).destroyForcibly();
            awaitLine(out, "exited with code 137");
            in.write("quit\n");
            in.flush();
            StringBuilder rest = new StringBuilder();
            String line;
            while ((line = out.readLine()) != null) {
                rest.append(line).append('\n');
            }
            String tail = rest.toString();
            assertEquals(1, tail.split("#1 done: sleep 2 = slept 2 s", -1).length - 1, "the job ends once: " + tail);
            assertTrue(tail.indexOf("#1 1/2 s") < tail.indexOf("#1 done"), "the restarted worker ran it again: " + tail);
            assertTrue(process.waitFor(60, TimeUnit.SECONDS));
            assertEquals(0, process.exitValue());
        } finally {
            stop(process);
        }
    }

    @Test
    void queueWorkersEndWhenTheDemoIsKilled() throws Exception {
        List<String> command = new ArrayList<>(demo());
        command.addAll(List.of("--queue", "--workers", "2"));
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        CompletableFuture.runAsync(() -> stop(process), CompletableFuture.delayedExecutor(90, TimeUnit.SECONDS));
        List<ProcessHandle> workers;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            awaitLine(out, "ready: 2 workers");
            workers = process.children().toList();
            assertEquals(2, workers.size(), "two worker processes");
            process.destroyForcibly();
        } finally {
            process.waitFor(30, TimeUnit.SECONDS);
        }
        for (ProcessHandle worker : workers) {
            try {
                worker.onExit().get(60, TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                worker.destroyForcibly();
                throw new AssertionError("worker " + worker.pid() + " outlived the demo killed with kill -9");
            }
        }
    }

    /** Ends the demo and its workers at once. */
    private static void stop(Process demo) {
        demo.descendants().forEach(ProcessHandle::destroyForcibly);
        demo.destroyForcibly();
    }

    private static List<String> demo() {
        // C1 only and the serial collector: the demo (and the SQS server inside it) starts faster on a busy machine.
        return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xlog:all=warning:stderr", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                ChatBot.class.getName());
    }

    /** Reads lines until one contains {@code text}. */
    private static void awaitLine(BufferedReader out, String text) throws IOException {
        String line;
        while ((line = out.readLine()) != null) {
            if (line.contains(text)) {
                return;
            }
        }
        throw new AssertionError("the demo ended before saying '" + text + "'");
    }

    private static String read(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
