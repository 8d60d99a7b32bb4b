package dev.piperpc.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs the CLI as a process of its own, with this build's classpath, and collects what it prints. */
final class CliProcess {

    /** What a finished CLI process printed and returned. */
    record Result(int exitCode, String stdout, String stderr) {
        List<String> lines() {
            return stdout.isBlank() ? List.of() : List.of(stdout.strip().split("\n"));
        }
    }

    private CliProcess() {
    }

    static List<String> java(String mainClass, String... args) {
        // Short-lived JVMs, as the launcher starts the tool: C1 only and one GC thread start faster.
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xlog:all=warning:stderr", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"), mainClass));
        command.addAll(List.of(args));
        return command;
    }

    /** The command line that starts the CLI with {@code args}. */
    static List<String> cli(String... args) {
        return java(Main.class.getName(), args);
    }

    /** The command line of the built-in spec worker. */
    static List<String> specWorker() {
        return cli("serve", "spec");
    }

    static Result run(List<String> command, String stdin) {
        return run(command, stdin, Map.of());
    }

    /** Runs {@code command} with {@code env} added to this JVM's environment. */
    static Result run(List<String> command, String stdin, Map<String, String> env) {
        try {
            Process process = start(command, env);
            CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(process.getInputStream()));
            CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
            process.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
            process.getOutputStream().close();
            if (!process.waitFor(90, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("the CLI did not finish: " + command);
            }
            return new Result(process.exitValue(), out.join(), err.join());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * Runs the CLI with {@code args} in this JVM, through the method {@code main} hands the command
     * line to and whose exit code it exits with; stdin is empty. It must print nothing past the
     * streams it is given.
     */
    static Result runInJvm(List<String> args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ByteArrayOutputStream stray = new ByteArrayOutputStream();
        PrintStream systemOut = System.out;
        int code;
        System.setOut(new PrintStream(stray, true, StandardCharsets.UTF_8));
        try {
            code = Main.run(args.toArray(String[]::new), InputStream.nullInputStream(), new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new AssertionError(args + " threw", e);
        } finally {
            System.setOut(systemOut);
        }
        if (stray.size() > 0) {
            throw new AssertionError(args + " printed on System.out past its own stream: " + stray.toString(StandardCharsets.UTF_8));
        }
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Starts {@code command} with {@code env} added to this JVM's environment; the caller reads and ends it. */
    static Process start(List<String> command, Map<String, String> env) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(env);
        return builder.start();
    }

    private static String read(java.io.InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code base} followed by {@code more}. */
    static String[] concat(List<String> base, String... more) {
        List<String> all = new ArrayList<>(base);
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }
}
