package dev.piperpc.pipe;

import dev.piperpc.core.Endpoint;
import dev.piperpc.core.PiperpcException;
import dev.piperpc.core.internal.EndpointAccess;
import dev.piperpc.core.listen.CallListener;
import dev.piperpc.pipe.internal.ProcessTransport;
import dev.piperpc.pipe.internal.Reactor;
import dev.piperpc.pipe.internal.SelectablePipes;
import dev.piperpc.pipe.internal.SelectorProcessTransport;
import dev.piperpc.pipe.internal.ThreadedProcessTransport;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One running worker process and the {@link Endpoint} that talks JSON-RPC with it over its
 * stdin and stdout. Its stderr is logged line by line to the SLF4J logger
 * {@code dev.piperpc.worker.<name>}, and the last lines are kept for error messages.
 *
 * <pre>{@code
 * try (WorkerProcess worker = WorkerProcess.start("worker-1", WorkerCommand.of("python3", "worker.py"), Endpoint.builder())) {
 *     String echoed = worker.endpoint().call("echo", Params.of("hi"), String.class);
 * }
 * }</pre>
 *
 * <p>When the process exits, every call pending on it fails at once with a
 * {@link dev.piperpc.core.ConnectionClosedException} whose cause is a {@link WorkerExitedException}
 * naming the worker, its exit code or signal, and its last stderr lines.
 */
public final class WorkerProcess implements AutoCloseable {

    private final ProcessTransport transport;
    private final Endpoint endpoint;

    private WorkerProcess(ProcessTransport transport, Endpoint endpoint) {
        this.transport = transport;
        this.endpoint = endpoint;
    }

    /**
     * Starts a worker process and connects an endpoint built by {@code endpoint} to it.
     *
     * @throws WorkerStartException if the process cannot be started (no such program, for instance)
     */
    public static WorkerProcess start(String name, WorkerCommand command, Endpoint.Builder endpoint) {
        return start(name, command, endpoint, null);
    }

    /** Starts a worker process whose endpoint reports to {@code listener} ({@code null}: none) besides the builder's own. */
    static WorkerProcess start(String name, WorkerCommand command, Endpoint.Builder endpoint, CallListener listener) {
        ProcessTransport transport = spawn(name, command);
        try {
            return new WorkerProcess(transport, EndpointAccess.connect(endpoint, transport, listener));
        } catch (RuntimeException e) {
            transport.kill();
            throw e;
        }
    }

    private static ProcessTransport spawn(String name, WorkerCommand command) {
        return switch (effectiveMode(command.ioMode())) {
            case SELECTOR -> SelectorProcessTransport.spawn(name, command, Reactor.shared());
            case THREADS -> ThreadedProcessTransport.spawn(name, command);
            case AUTO -> throw new IllegalStateException("unreachable");
        };
    }

    /** The mode {@code mode} stands for on this platform. */
    static IoMode effectiveMode(IoMode mode) {
        if (mode == IoMode.AUTO) {
            return SelectablePipes.supported() ? IoMode.SELECTOR : IoMode.THREADS;
        }
        if (mode == IoMode.SELECTOR && !SelectablePipes.supported()) {
            throw new WorkerStartException("selector mode needs /proc/self/fd, which this platform lacks", null);
        }
        return mode;
    }

    /** The endpoint connected to the worker. */
    public Endpoint endpoint() {
        return endpoint;
    }

    /** The worker's name. */
    public String name() {
        return transport.name();
    }

    /** The process id. */
    public long pid() {
        return transport.process().pid();
    }

    /** Whether the process is running. */
    public boolean isAlive() {
        return transport.process().isAlive();
    }

    /** Completes when the worker has exited and its output has been read to the end. */
    public CompletableFuture<WorkerExit> exit() {
        return transport.exit();
    }

    /** The last lines the worker wrote to stderr, oldest first. */
    public List<String> recentStderr() {
        return transport.recentStderr();
    }

    /**
     * How long the worker has written nothing to its stdout (since its start, if never); zero
     * while reading its stdout is paused because enough of its messages wait to be handled.
     */
    public Duration silence() {
        return transport.silence();
    }

    /** Kills the process at once (SIGKILL); pending calls fail with the reason. */
    public void kill() {
        transport.kill();
    }

    /**
     * Stops the worker in order and waits for it: no new calls; calls pending may finish within
     * the endpoint's close grace, then those left fail; stdin is closed (a well-behaved worker
     * finishes and exits), then SIGTERM and SIGKILL follow after the command's shutdown grace.
     */
    @Override
    public void close() {
        endpoint.close();
        awaitExit(Duration.ofDays(1));
    }

    /** Stops the worker at once and waits for it: pending calls fail, the process is killed (SIGKILL). */
    public void closeNow() {
        transport.kill();
        endpoint.closeNow();
        awaitExit(Duration.ofDays(1));
    }

    /**
     * Waits for the worker to exit.
     *
     * @return how it exited, or {@code null} if it is still running after {@code wait}
     */
    public WorkerExit awaitExit(Duration wait) {
        try {
            return transport.exit().get(wait.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PiperpcException("interrupted while waiting for " + name() + " to exit", e);
        } catch (ExecutionException e) {
            throw new PiperpcException("waiting for " + name() + " failed", e.getCause());
        }
    }

    @Override
    public String toString() {
        return transport.name() + " (pid " + pid() + (isAlive() ? "" : ", exited") + ")";
    }
}
