package dev.piperpc.samples;

import dev.piperpc.samples.chatbot.ChatBot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The chat-bot demo, run as a process of its own the way {@code ./piperpc demo} runs it. */
@Timeout(120)
class ChatBotTest {

    @Test
    void theDemoAnswersCheapCommandsWhileAHeavyJobRuns() throws Exception {
        Path script = Files.createTempFile("chatbot", ".txt");
        Files.writeString(script, "sleep 3\necho cheap answer\nprimes 100000\nstatus\n");
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xlog:all=warning:stderr", "-cp", System.getProperty("java.class.path"), ChatBot.class.getName(),
                "--script", script.toString()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        String out;
        try {
            CompletableFuture<String> stdout = CompletableFuture.supplyAsync(() -> read(process.getInputStream()));
            CompletableFuture<String> stderr = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
            assertTrue(process.waitFor(90, TimeUnit.SECONDS), "the demo finished");
            assertEquals(0, process.exitValue(), stderr.join());
            out = stdout.join();
        } finally {
            process.destroyForcibly();
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

    private static String read(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
