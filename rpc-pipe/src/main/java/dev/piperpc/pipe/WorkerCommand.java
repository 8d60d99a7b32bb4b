package dev.piperpc.pipe;

import dev.piperpc.core.framing.Framing;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How to start a worker process and talk to it. Immutable: each {@code with...} method returns a
 * changed copy. The program is started from its argument list directly, never through a shell.
 *
 * <pre>{@code
 * WorkerCommand command = WorkerCommand.of("python3", "worker.py").withFraming(Framing.NEWLINE);
 * }</pre>
 */
public final class WorkerCommand {

    private final List<String> argv;
    private final Path directory;
    private final Map<String, String> environment;
    private final Framing framing;
    private final int maxFrameSize;
    private final String name;
    private final int stderrLines;
    private final Duration shutdownGrace;
    private final long maxQueuedBytes;
    private final IoMode ioMode;

    private WorkerCommand(List<String> argv, Path directory, Map<String, String> environment, Framing framing, int maxFrameSize,
                          String name, int stderrLines, Duration shutdownGrace, long maxQueuedBytes, IoMode ioMode) {
        this.argv = argv;
        this.directory = directory;
        this.environment = environment;
        this.framing = framing;
        this.maxFrameSize = maxFrameSize;
        this.name = name;
        this.stderrLines = stderrLines;
        this.shutdownGrace = shutdownGrace;
        this.maxQueuedBytes = maxQueuedBytes;
        this.ioMode = ioMode;
    }

    /** A command from its program and arguments, with default settings. */
    public static WorkerCommand of(String... argv) {
        return of(List.of(argv));
    }

    /** A command from its program and arguments, with default settings. */
    public static WorkerCommand of(List<String> argv) {
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("a command needs at least a program");
        }
        return new WorkerCommand(List.copyOf(argv), null, Map.of(), Framing.NEWLINE, Framing.DEFAULT_MAX_FRAME_SIZE,
                "worker", 50, Duration.ofSeconds(5), 64L * 1024 * 1024, IoMode.AUTO);
    }

    /** The working directory (default: this process's). */
    public WorkerCommand withDirectory(Path directory) {
        return new WorkerCommand(argv, Objects.requireNonNull(directory), environment, framing, maxFrameSize, name, stderrLines,
                shutdownGrace, maxQueuedBytes, ioMode);
    }

    /** Environment variables added to (or replacing those of) this process's environment. */
    public WorkerCommand withEnvironment(Map<String, String> variables) {
        Map<String, String> merged = new LinkedHashMap<>(environment);
        merged.putAll(variables);
        return new WorkerCommand(argv, directory, Map.copyOf(merged), framing, maxFrameSize, name, stderrLines, shutdownGrace,
                maxQueuedBytes, ioMode);
    }

    /** How messages are delimited on the pipes (default {@link Framing#NEWLINE}). */
    public WorkerCommand withFraming(Framing framing) {
        return new WorkerCommand(argv, directory, environment, Objects.requireNonNull(framing), maxFrameSize, name, stderrLines,
                shutdownGrace, maxQueuedBytes, ioMode);
    }

    /** The largest frame accepted from the worker, in bytes (default 16 MiB). */
    public WorkerCommand withMaxFrameSize(int bytes) {
        if (bytes <= 0) {
            throw new IllegalArgumentException("maxFrameSize must be positive");
        }
        return new WorkerCommand(argv, directory, environment, framing, bytes, name, stderrLines, shutdownGrace, maxQueuedBytes, ioMode);
    }

    /** The name workers are known by in logs and errors (default {@code worker}; a pool adds {@code -N}). */
    public WorkerCommand withName(String name) {
        return new WorkerCommand(argv, directory, environment, framing, maxFrameSize, Objects.requireNonNull(name), stderrLines,
                shutdownGrace, maxQueuedBytes, ioMode);
    }

    /** How many of the last stderr lines are kept for error messages (default 50). */
    public WorkerCommand withStderrLines(int lines) {
        return new WorkerCommand(argv, directory, environment, framing, maxFrameSize, name, lines, shutdownGrace, maxQueuedBytes, ioMode);
    }

    /**
     * How long a worker whose stdin was closed may take to exit before it is sent SIGTERM, and
     * then SIGKILL after as long again (default 5 s).
     */
    public WorkerCommand withShutdownGrace(Duration grace) {
        return new WorkerCommand(argv, directory, environment, framing, maxFrameSize, name, stderrLines, Objects.requireNonNull(grace),
                maxQueuedBytes, ioMode);
    }

    /**
     * How many bytes may wait to be written to a worker's stdin (default 64 MiB). A send beyond it
     * fails with {@link dev.piperpc.core.BackpressureException} instead of buffering without bound.
     */
    public WorkerCommand withMaxQueuedBytes(long bytes) {
        return new WorkerCommand(argv, directory, environment, framing, maxFrameSize, name, stderrLines, shutdownGrace, bytes, ioMode);
    }

    /** How the pipes are served (default {@link IoMode#AUTO}). */
    public WorkerCommand withIoMode(IoMode mode) {
        return new WorkerCommand(argv, directory, environment, framing, maxFrameSize, name, stderrLines, shutdownGrace, maxQueuedBytes,
                Objects.requireNonNull(mode));
    }

    /** The program and its arguments. */
    public List<String> argv() {
        return argv;
    }

    /** The working directory, or {@code null} for this process's. */
    public Path directory() {
        return directory;
    }

    /** The environment variables added. */
    public Map<String, String> environment() {
        return environment;
    }

    /** The framing. */
    public Framing framing() {
        return framing;
    }

    /** The largest frame accepted, in bytes. */
    public int maxFrameSize() {
        return maxFrameSize;
    }

    /** The name. */
    public String name() {
        return name;
    }

    /** How many stderr lines are kept. */
    public int stderrLines() {
        return stderrLines;
    }

    /** The shutdown grace period. */
    public Duration shutdownGrace() {
        return shutdownGrace;
    }

    /** The bound on bytes queued for stdin. */
    public long maxQueuedBytes() {
        return maxQueuedBytes;
    }

    /** The I/O mode. */
    public IoMode ioMode() {
        return ioMode;
    }

    /** The command line, for messages. */
    public String commandLine() {
        return String.join(" ", argv);
    }

    @Override
    public String toString() {
        return name + " (" + commandLine() + ")";
    }
}
