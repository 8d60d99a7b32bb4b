package dev.piperpc.pipe;

import dev.piperpc.core.PiperpcException;

/** A worker process ended. The cause of the {@code ConnectionClosedException} its pending calls fail with. */
public final class WorkerExitedException extends PiperpcException {

    private final transient WorkerExit exit;

    /** An exception describing {@code exit}. */
    public WorkerExitedException(WorkerExit exit) {
        super(exit.describe());
        this.exit = exit;
    }

    /** How the worker ended. */
    public WorkerExit exit() {
        return exit;
    }
}
