package dev.piperpc.pipe.internal;

import dev.piperpc.core.framing.FrameDecoder;
import dev.piperpc.core.framing.FrameHandler;
import dev.piperpc.core.internal.ByteSink;
import dev.piperpc.core.transport.Transport;
import dev.piperpc.pipe.BackpressureException;
import dev.piperpc.pipe.WorkerCommand;
import dev.piperpc.pipe.WorkerExit;
import dev.piperpc.pipe.WorkerExitedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The part of a worker process's transport that does not depend on how its pipes are served: the
 * lifecycle (the connection ends when both stdout has ended and the process has exited, since
 * either may be seen first), stderr, and the orderly stop (close stdin, then SIGTERM, then SIGKILL).
 */
public abstract class ProcessTransport implements Transport {

    private static final Logger log = LoggerFactory.getLogger(ProcessTransport.class);
    /** How long to wait for stdout to end after the process exited (a grandchild may hold it open). */
    private static final long STDOUT_AFTER_EXIT_NANOS = TimeUnit.SECONDS.toNanos(2);

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

    /** Frames from stdout go to the listener; set by {@link #attach}. */
    protected volatile FrameHandler frames;

    private final AtomicLong queuedBytes = new AtomicLong();

    protected ProcessTransport(String name, WorkerCommand command, Process process) {
        this.name = name;
        this.command = command;
        this.process = process;
        this.stderr = new StderrTail(LoggerFactory.getLogger("dev.piperpc.worker." + name), command.stderrLines());
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

    /** Called on the I/O thread when stdout reached its end. */
    protected final void onStdoutEnd() {
        decoder.endOfInput(frames);
        stdoutEnded = true;
        maybeFinish();
    }

    private void onProcessExit(int code) {
        exited = true;
        exitCode = code;
        if (!stdoutEnded) {
            schedule(STDOUT_AFTER_EXIT_NANOS, () -> runOnIoThread(() -> {
                if (!stdoutEnded) {
                    log.warn("{} exited but its stdout is still open (held by a child process?); closing the connection", name);
                    stdoutEnded = true;
                    maybeFinish();
                }
            }));
        }
        maybeFinish();
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
        Listener current = listener;
        if (current != null) {
            current.onClosed(ended.isClean() ? null : new WorkerExitedException(ended));
        }
        exit.complete(ended);
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
        long grace = command.shutdownGrace().toNanos();
        schedule(grace, () -> {
            if (process.isAlive()) {
                log.info("{} did not exit within {} of its stdin closing; sending SIGTERM", name, command.shutdownGrace());
                process.destroy();
                schedule(grace, () -> {
                    if (process.isAlive()) {
                        log.warn("{} ignored SIGTERM; sending SIGKILL", name);
                        process.destroyForcibly();
                    }
                });
            }
        });
    }

    /** Kills the worker at once (SIGKILL). */
    public void kill() {
        stopRequested = true;
        process.destroyForcibly();
    }

    /**
     * Frames {@code json} for stdin and counts it as queued.
     *
     * @throws BackpressureException if that would pass the bound on queued bytes (a single frame
     *                               larger than the bound is still taken when nothing else waits)
     */
    protected byte[] frameForQueue(byte[] json) {
        ByteSink sink = new ByteSink(json.length + 32);
        command.framing().encode(json, 0, json.length, sink);
        byte[] frame = sink.toByteArray();
        long queued = queuedBytes.addAndGet(frame.length);
        if (queued > command.maxQueuedBytes() && queued != frame.length) {
            queuedBytes.addAndGet(-frame.length);
            throw new BackpressureException(name + " is not reading its stdin fast enough: " + (queued - frame.length)
                    + " bytes are already queued and " + frame.length + " more would pass the limit of " + command.maxQueuedBytes());
        }
        return frame;
    }

    /** {@code bytes} of queued frames were written (or dropped). */
    protected void dequeued(long bytes) {
        queuedBytes.addAndGet(-bytes);
    }

    /** Forgets every queued byte (stdin is gone). */
    protected void clearQueued() {
        queuedBytes.set(0);
    }
}
