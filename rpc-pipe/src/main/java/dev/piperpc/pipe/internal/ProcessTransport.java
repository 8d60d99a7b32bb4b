package dev.piperpc.pipe.internal;

import dev.piperpc.core.framing.FrameDecoder;
import dev.piperpc.core.framing.FrameHandler;
import dev.piperpc.core.internal.DefaultExecutor;
import dev.piperpc.core.internal.Outbox;
import dev.piperpc.core.transport.Transport;
import dev.piperpc.pipe.WorkerCommand;
import dev.piperpc.pipe.WorkerExit;
import dev.piperpc.pipe.WorkerExitedException;
import dev.piperpc.pipe.WorkerPipeClosedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The part of a worker process's transport that does not depend on how its pipes are served: the
 * lifecycle (the connection ends when both stdout has ended and the process has exited, since
 * either may be seen first), half-dead workers (stdout or stdin closed while the process runs on:
 * the connection ends and the process is stopped), stderr, the bound on queued bytes, and the
 * orderly stop (close stdin, then SIGTERM, then SIGKILL).
 *
 * <p>Methods marked "I/O thread" run on the reactor (selector mode) or under the connection's I/O
 * lock (threads mode); the exit future completes on an executor, never on the I/O thread.
 */
public abstract class ProcessTransport implements Transport {

    private static final Logger log = LoggerFactory.getLogger(ProcessTransport.class);
    /** How long to wait for stdout to end after the process exited (a grandchild may hold it open). */
    private static final long STDOUT_AFTER_EXIT_NANOS = TimeUnit.SECONDS.toNanos(2);
    /**
     * How long a worker whose stdout ended (or whose stdin broke) may take to be seen exiting
     * before it counts as half dead: a process that exits closes its pipes a moment before its exit
     * is reported.
     */
    static final long HALF_CLOSE_GRACE_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

    protected final String name;
    protected final WorkerCommand command;
    protected final Process process;
    protected final StderrTail stderr;
    protected final FrameDecoder decoder;
    protected volatile Listener listener;
    private final CompletableFuture<WorkerExit> exit = new CompletableFuture<>();
    private volatile boolean stopRequested;
    private boolean stdoutEnded;
    private boolean exited;
    private int exitCode;
    private boolean finished;
    private boolean closeReported;
    /** Whether the endpoint wants us to read stdout; see {@link #setReading}. */
    protected volatile boolean reading = true;

    /** Frames from stdout go to the listener; set by {@link #attach}. */
    protected volatile FrameHandler frames;
    /** When stdout last gave bytes, or the process started ({@link System#nanoTime()}). */
    private volatile long lastOutputNanos = System.nanoTime();


    protected ProcessTransport(String name, WorkerCommand command, Process process) {
        this.name = name;
        this.command = command;
        this.process = process;
        this.stderr = new StderrTail(LoggerFactory.getLogger("dev.piperpc.worker." + name), command.stderrLines(),
                DefaultExecutor.instance());
        this.decoder = command.framing().newDecoder(command.maxFrameSize());
        LiveProcesses.add(process);
    }

    @Override
    public String name() {
        return name;
    }

    /** The process. */
    public Process process() {
        return process;
    }

    /** Completes when the connection has ended: the process exited and its stdout was drained. */
    public CompletableFuture<WorkerExit> exit() {
        return exit;
    }

    /** The last stderr lines. */
    public java.util.List<String> recentStderr() {
        return stderr.lines();
    }

    /** Remembers the listener; subclasses call this first in {@link #start}. */
    protected final void attach(Listener listener) {
        this.listener = java.util.Objects.requireNonNull(listener, "listener");
        this.frames = listener.frameHandler();
    }

    /** Runs {@code task} where this transport's listener calls happen. */
    protected abstract void runOnIoThread(Runnable task);

    /** Runs {@code task} after {@code delayNanos}, off the caller's thread. */
    protected abstract void schedule(long delayNanos, Runnable task);

    /** Closes stdin once everything queued has been written. */
    protected abstract void closeInputWhenFlushed();

    /** Watches for the process's exit; subclasses call this from {@link #start}. */
    protected final void watchExit() {
        process.onExit().thenAccept(ended -> runOnIoThread(() -> onProcessExit(ended.exitValue())));
    }

    @Override
    public final void setReading(boolean reading) {
        this.reading = reading;
        applyReading();
    }

    /** Makes the reader follow {@link #reading}; any thread. */
    protected abstract void applyReading();

    /** I/O thread: stdout reached its end. A process still running a moment later is half dead. */
    protected final void onStdoutEnd() {
        decoder.endOfInput(frames);
        stdoutEnded = true;
        if (!exited) {
            watchHalfClose(WorkerPipeClosedException.Pipe.STDOUT);
        }
        maybeFinish();
    }

    /**
     * Any thread: writing to stdin failed (the worker closed it, or is exiting). Unless we were
     * closing it ourselves, a process still running a moment later is half dead.
     */
    protected final void onStdinBroken(String detail) {
        log.debug("{}: stdin write failed: {}", name, detail);
        if (!stopRequested) {
            watchHalfClose(WorkerPipeClosedException.Pipe.STDIN);
        }
    }

    private void watchHalfClose(WorkerPipeClosedException.Pipe pipe) {
        schedule(HALF_CLOSE_GRACE_NANOS, () -> runOnIoThread(() -> {
            if (exited || stopRequested) {
                return;
            }
            if (isExiting()) {
                // Exited and not yet reaped: its exit is reported in a moment, with its code.
                watchHalfClose(pipe);
                return;
            }
            if (process.isAlive()) {
                WorkerPipeClosedException cause = new WorkerPipeClosedException(name, process.pid(), pipe);
                log.warn("{}", cause.getMessage());
                reportClosed(cause);
                terminate();
            }
        }));
    }

    /** Whether the process has exited and waits to be reaped (a zombie), where {@code /proc} tells. */
    private boolean isExiting() {
        try {
            String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc", Long.toString(process.pid()), "stat"));
            int afterName = stat.lastIndexOf(')');
            return afterName > 0 && afterName + 2 < stat.length() && stat.charAt(afterName + 2) == 'Z';
        } catch (java.io.IOException | RuntimeException e) {
            return false;
        }
    }

    /**
     * I/O thread: {@code error} (such as {@link OutOfMemoryError}) was thrown while serving this
     * worker. Its calls fail with it at once and the process is stopped.
     */
    protected final void failWith(Error error) {
        reportClosed(error);
        terminate();
    }

    /** I/O thread: tells the listener, once, that the connection has ended. */
    private void reportClosed(Throwable cause) {
        if (closeReported) {
            return;
        }
        closeReported = true;
        Listener current = listener;
        if (current != null) {
            current.onClosed(cause);
        }
    }

    private void onProcessExit(int code) {
        exited = true;
        exitCode = code;
        if (!stdoutEnded) {
            scheduleStdoutAfterExit();
        }
        maybeFinish();
    }

    /** Ends stdout if it is still open a while after the exit; not while reading is paused (what is left is wanted). */
    private void scheduleStdoutAfterExit() {
        schedule(STDOUT_AFTER_EXIT_NANOS, () -> runOnIoThread(() -> {
            if (stdoutEnded) {
                return;
            }
            if (!reading) {
                scheduleStdoutAfterExit();
                return;
            }
            log.warn("{} exited but its stdout is still open (held by a child process?); closing the connection", name);
            stdoutEnded = true;
            maybeFinish();
        }));
    }

    private void maybeFinish() {
        if (finished || !stdoutEnded || !exited) {
            return;
        }
        finished = true;
        readLastStderr();
        stderr.end();
        WorkerExit ended = new WorkerExit(name, process.pid(), exitCode, stopRequested, stderr.lines());
        releaseChannels();
        // Pending calls fail with this description, and a pool reports the exit with its restart.
        if (ended.isClean()) {
            log.debug("{}", ended.describe());
        } else if (!stopRequested) {
            log.info("{}", ended.describe());
        }
        reportClosed(ended.isClean() ? null : new WorkerExitedException(ended));
        // Off the I/O thread: whatever depends on the exit is user code.
        DefaultExecutor.instance().execute(() -> exit.complete(ended));
    }

    /**
     * The process has exited and its stdout ended: takes in what is left of its stderr, so the
     * exit is described with its last words. Called on the I/O thread; waits briefly at most.
     */
    protected abstract void readLastStderr();

    /** Closes what is left of the pipes once the connection has ended. */
    protected abstract void releaseChannels();

    /**
     * Stops the worker in order: stdin is closed once flushed (the worker should finish and exit),
     * then after the grace period SIGTERM, then after as long again SIGKILL. Idempotent.
     */
    @Override
    public void close() {
        if (stopRequested) {
            return;
        }
        stopRequested = true;
        closeInputWhenFlushed();
        schedule(command.shutdownGrace().toNanos(), () -> {
            if (process.isAlive()) {
                log.info("{} did not exit within {} of its stdin closing; sending SIGTERM", name, command.shutdownGrace());
                terminate();
            }
        });
    }

    /** SIGTERM now, SIGKILL after the shutdown grace if the process is still alive. */
    private void terminate() {
        stopRequested = true;
        process.destroy();
        schedule(command.shutdownGrace().toNanos(), () -> {
            if (process.isAlive()) {
                log.warn("{} ignored SIGTERM; sending SIGKILL", name);
                process.destroyForcibly();
            }
        });
    }

    /** Kills the worker at once (SIGKILL). */
    public void kill() {
        stopRequested = true;
        process.destroyForcibly();
    }

    /** Stdout gave bytes: the worker is alive. Called by the reading thread after each read. */
    protected final void heard() {
        lastOutputNanos = System.nanoTime();
    }

    /**
     * How long the worker has written nothing to stdout (since its start, if never); zero while
     * reading its stdout is paused, since its silence then says nothing.
     */
    public Duration silence() {
        return reading ? Duration.ofNanos(System.nanoTime() - lastOutputNanos) : Duration.ZERO;
    }

    /** The queue of frames for stdin. */
    protected abstract Outbox outbox();

    /** Below the low-water mark: half the bound on queued bytes. */
    @Override
    public boolean isWritable() {
        return outbox().isWritable();
    }
}
