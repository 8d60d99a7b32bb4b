package dev.piperpc.benchmarks;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The runner's command line, run as {@code ./piperpc bench} runs it: help, version and bad usage end
 * it before any benchmark starts. Each run is in a directory of its own and ended after a minute, so
 * that a runner that started benchmarks after all writes no results file of the project and fails the test.
 */
@Timeout(180)
class BenchOptionsTest {

    @TempDir
    Path dir;

    private record Result(int exitCode, String stdout, String stderr) {
    }

    private Result bench(String... args) throws Exception {
        // Short-lived JVMs: C1 only and the serial collector start faster.
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xlog:all=warning:stderr", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                Bench.class.getName()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        try {
            CompletableFuture<String> stdout = CompletableFuture.supplyAsync(() -> read(process.getInputStream()));
            CompletableFuture<String> stderr = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
            assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the runner ended at once");
            return new Result(process.exitValue(), stdout.join(), stderr.join());
        } finally {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }

    @Test
    void helpAndVersionPrintOnStdoutAndExitZero() throws Exception {
        for (String flag : List.of("--help", "-h")) {
            Result help = bench(flag);
            assertEquals(0, help.exitCode(), help.stderr());
            assertTrue(help.stdout().startsWith("usage: piperpc bench"), help.stdout());
            assertTrue(help.stdout().contains("--quick") && help.stdout().contains("--workloads"), help.stdout());
            assertEquals("", help.stderr());
        }
        Result version = bench("--version");
        assertEquals(0, version.exitCode(), version.stderr());
        assertEquals("piperpc " + System.getProperty("piperpc.version"), version.stdout().strip());
        assertFalse(Files.exists(dir.resolve("benchmarks")), "no results written");
    }

    @Test
    void badUsageIsOneLineOnStderrAndExitCodeTwo() throws Exception {
        assertUsageError(bench("--rounds", "0"), "--rounds takes a positive number, not 0");
        assertUsageError(bench("--rounds", "many"), "'many' is not an int");
        assertUsageError(bench("--workloads", "W1,W9"), "W9");
        assertUsageError(bench("--peers", "raw-jvm,grpc"), "unknown peer 'grpc'");
        assertUsageError(bench("--quick", "--wat"), "--wat");
        assertUsageError(bench("quick"), "quick");
        assertFalse(Files.exists(dir.resolve("benchmarks")), "no results written");
    }

    private static void assertUsageError(Result result, String expected) {
        String stderr = result.stderr();
        assertEquals(2, result.exitCode(), stderr);
        assertEquals("", result.stdout(), "nothing on stdout: no benchmark ran");
        List<String> lines = stderr.lines().toList();
        assertEquals(2, lines.size(), stderr);
        assertTrue(lines.get(0).startsWith("piperpc: ") && lines.get(0).contains(expected), stderr);
        assertEquals("try 'piperpc bench --help'", lines.get(1));
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
