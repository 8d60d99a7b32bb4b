package dev.piperpc.samples;

import dev.piperpc.samples.chatbot.ChatBot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The demo's command line, run as {@code ./piperpc demo} runs it: help, version and bad usage end it before any worker starts. */
@Timeout(120)
class DemoOptionsTest {

    private record Result(int exitCode, String stdout, String stderr) {
    }

    private static Result demo(String... args) throws Exception {
        // Short-lived JVMs: C1 only and the serial collector start faster.
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xlog:all=warning:stderr", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                ChatBot.class.getName()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        try {
            CompletableFuture<String> stdout = CompletableFuture.supplyAsync(() -> read(process.getInputStream()));
            CompletableFuture<String> stderr = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
            assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the demo ended");
            return new Result(process.exitValue(), stdout.join(), stderr.join());
        } finally {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }

    @Test
    void helpAndVersionPrintOnStdoutAndExitZero() throws Exception {
        for (String flag : List.of("--help", "-h")) {
            Result help = demo(flag);
            assertEquals(0, help.exitCode(), help.stderr());
            assertTrue(help.stdout().startsWith("usage: piperpc demo"), help.stdout());
            assertTrue(help.stdout().contains("--script") && help.stdout().contains("--queue") && help.stdout().contains("--workers"),
                    help.stdout());
            assertEquals("", help.stderr());
        }
        Result version = demo("--version");
        assertEquals(0, version.exitCode(), version.stderr());
        assertEquals("piperpc " + System.getProperty("piperpc.version"), version.stdout().strip());
    }

    @Test
    void badUsageIsOneLineOnStderrAndExitCodeTwo(@TempDir Path dir) throws Exception {
        assertUsageError(demo("--workers", "0"), "--workers takes a positive number, not 0");
        assertUsageError(demo("--workers", "two"), "'two' is not an int");
        assertUsageError(demo("--script", dir.resolve("missing.txt").toString()), "no such file");
        assertUsageError(demo("--script", dir.toString()), "not a file");
        assertUsageError(demo("--script"), "--script");
        assertUsageError(demo("--wat"), "--wat");
        assertUsageError(demo("extra"), "extra");
    }

    private static void assertUsageError(Result result, String expected) {
        String stderr = result.stderr();
        assertEquals(2, result.exitCode(), stderr);
        assertEquals("", result.stdout(), "nothing on stdout: no bot started");
        List<String> lines = stderr.lines().toList();
        assertEquals(2, lines.size(), stderr);
        assertTrue(lines.get(0).startsWith("piperpc: ") && lines.get(0).contains(expected), stderr);
        assertEquals("try 'piperpc demo --help'", lines.get(1));
        assertFalse(stderr.contains("Exception") || stderr.contains("\tat "), "no stack trace: " + stderr);
    }

    private static String read(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
