package dev.piperpc.pipe;

import dev.piperpc.core.PiperpcException;

/**
 * A worker closed its stdout, or its stdin, while its process kept running: it is half dead and
 * can no longer answer. The cause of the {@code ConnectionClosedException} its pending calls fail
 * with; the worker is then stopped (SIGTERM, then SIGKILL), and a pool restarts it.
 */
public final class WorkerPipeClosedException extends PiperpcException {

    /** The pipe that closed. */
    public enum Pipe {
        /** The worker's stdout: it can no longer answer. */
        STDOUT,
        /** The worker's stdin: it can no longer be asked. */
        STDIN
    }

    /** The worker's name. */
    private final String worker;
    /** The worker's process id. */
    private final long pid;
    /** The pipe that closed. */
    private final Pipe pipe;

    /** An exception for {@code worker} (process {@code pid}), whose {@code pipe} closed. */
    public WorkerPipeClosedException(String worker, long pid, Pipe pipe) {
        super(worker + " (pid " + pid + ") closed its " + pipe.name().toLowerCase(java.util.Locale.ROOT)
                + " while the process is alive; stopping it");
        this.worker = worker;
        this.pid = pid;
        this.pipe = pipe;
    }

    /** The worker's name. */
    public String worker() {
        return worker;
    }

    /** The process id. */
    public long pid() {
        return pid;
    }

    /** Which pipe closed. */
    public Pipe pipe() {
        return pipe;
    }
}
