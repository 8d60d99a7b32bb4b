package dev.piperpc.pipe;

import dev.piperpc.core.BackpressureException;
import dev.piperpc.core.Batch;
import dev.piperpc.core.Call;
import dev.piperpc.core.ConnectionClosedException;
import dev.piperpc.core.Endpoint;
import dev.piperpc.core.Params;
import dev.piperpc.core.Rpc;
import dev.piperpc.core.message.Id;
import dev.piperpc.pipe.internal.Admission;
import dev.piperpc.pipe.internal.HealthCheck;
import dev.piperpc.pipe.internal.PoolDispatcher;
import dev.piperpc.pipe.internal.PoolEvents;
import dev.piperpc.pipe.internal.PoolSlot;
import dev.piperpc.pipe.internal.Supervisor;

import java.lang.reflect.Type;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * N worker processes of one command, used as one {@link Rpc}: each call goes to one worker (by
 * default the one with the fewest calls in flight). Calls in flight per worker are bounded; when
 * every worker is at its bound, {@code send} waits up to the acquire timeout and then fails with
 * {@link BackpressureException}. Routing skips a worker whose connection has ended (it exited, or
 * is half dead and being stopped) and prefers workers whose stdin queue is below its low-water
 * mark; a call that one worker's full queue refuses goes to another before it fails. A worker that
 * exits is restarted with exponential backoff; the calls it had in flight fail at once with the
 * reason.
 *
 * <p>Settings live in one place each: what a process is (program, framing, byte bounds) on
 * {@link WorkerCommand}; what a connection does (timeout, mapper, executor, handlers, inbound
 * bounds, the {@link dev.piperpc.core.Dialect dialect} of cancellations) on the
 * {@link Endpoint.Builder} given to {@link Builder#endpoint}, which the pool never
 * changes; how many workers and how calls are spread on this pool's {@link Builder}.
 *
 * <pre>{@code
 * try (WorkerPool pool = WorkerPool.builder(WorkerCommand.of("python3", "worker.py")).size(4).start()) {
 *     List<Call<String>> calls = ...;  // pool.send(...) as with an Endpoint
 * }
 * }</pre>
 */
public final class WorkerPool implements Rpc, AutoCloseable {

    private final WorkerCommand command;
    private final Duration defaultTimeout;
    private final Duration closeGrace;
    private final Supervisor supervisor;
    private final Admission admission;
    private final PoolEvents poolEvents;
    private final PoolDispatcher dispatcher;

    private WorkerPool(Builder builder) {
        this.command = builder.command;
        this.defaultTimeout = builder.endpoint.defaultTimeout();
        this.closeGrace = builder.closeGrace;
        this.poolEvents = new PoolEvents(builder.listener);
        Endpoint.Builder endpoint = builder.endpoint;
        PoolListener listener = builder.listener;
        this.supervisor = new Supervisor(command, name -> WorkerProcess.start(name, command, endpoint, listener), builder.size,
                new Supervisor.RestartPolicy(builder.initialBackoff, builder.maxBackoff, builder.jitter, builder.giveUpAfter,
                        builder.restarts),
                builder.health, builder.events, listener == null ? null : poolEvents::restarted);
        this.admission = new Admission(supervisor.slots(), builder.maxInFlightPerWorker, builder.routing);
        this.dispatcher = new PoolDispatcher(command, supervisor, admission, poolEvents, builder.acquireTimeout,
                builder.maxInFlightPerWorker, builder.restarts);
    }

    /** A builder for a pool of workers running {@code command}. */
    public static Builder builder(WorkerCommand command) {
        return new Builder(command);
    }

    // ---------------------------------------------------------------- calls

    @Override
    public <T> Call<T> send(String method, Params params, Class<T> resultType) {
        return send(method, params, (Type) resultType, defaultTimeout);
    }

    @Override
    public <T> Call<T> send(String method, Params params, Class<T> resultType, Duration timeout) {
        return send(method, params, (Type) resultType, timeout);
    }

    /**
     * {@inheritDoc}
     *
     * @throws BackpressureException      if no worker could take the call within the acquire
     *                                    timeout, or every running worker's stdin queue was full
     * @throws ConnectionClosedException if the pool is closed
     */
    @Override
    public <T> Call<T> send(String method, Params params, Type resultType, Duration timeout) {
        return dispatcher.send(null, method, params, resultType, timeout);
    }

    /**
     * {@inheritDoc} The id is one call's on the connection of the worker that takes it: two calls
     * with the same id may run on two workers.
     *
     * @throws BackpressureException      if no worker could take the call within the acquire
     *                                    timeout, or every running worker's stdin queue was full
     * @throws ConnectionClosedException if the pool is closed
     */
    @Override
    public <T> Call<T> send(Id id, String method, Params params, Type resultType, Duration timeout) {
        return dispatcher.send(Objects.requireNonNull(id, "id"), method, params, resultType, timeout);
    }

    /**
     * {@inheritDoc}
     *
     * @throws BackpressureException if every running worker's stdin queue was full
     */
    @Override
    public void notify(String method, Params params) {
        dispatcher.notify(method, params);
    }

    /**
     * Starts a batch: calls and notifications sent together as one JSON-RPC batch, to one worker
     * (the one with the fewest calls in flight when the batch is started). Its calls count against
     * that worker's {@code maxInFlightPerWorker}: {@code send()} waits up to the acquire timeout for
     * room for all of them, then throws {@link BackpressureException} (the batch's calls end with
     * it too), as it does at once for a batch with more calls than the bound.
     *
     * @throws ConnectionClosedException if the pool is closed or no worker is running
     */
    public Batch batch() {
        return dispatcher.batch();
    }

    @Override
    public Duration defaultCallTimeout() {
        return defaultTimeout;
    }

    // ---------------------------------------------------------------- inspection

    /** The number of worker slots. */
    public int size() {
        return supervisor.slots().size();
    }

    /** The running worker processes (a worker being restarted is missing). */
    public List<WorkerProcess> workers() {
        List<WorkerProcess> running = new ArrayList<>();
        for (PoolSlot slot : supervisor.slots()) {
            WorkerProcess worker = slot.worker();
            if (worker != null) {
                running.add(worker);
            }
        }
        return running;
    }

    /** A snapshot of every slot. */
    public List<WorkerStatus> status() {
        List<WorkerStatus> status = new ArrayList<>();
        for (PoolSlot slot : supervisor.slots()) {
            WorkerProcess worker = slot.worker();
            status.add(new WorkerStatus(slot.name(), worker == null ? -1 : worker.pid(), worker != null && worker.isAlive(),
                    slot.inFlight(), slot.restarts()));
        }
        return status;
    }

    /** Calls in flight over all workers. */
    public int inFlight() {
        return admission.inFlight();
    }

    /**
     * Callers waiting now in {@code send} for a worker with room (every worker has
     * {@link Builder#maxInFlightPerWorker} calls in flight): the depth of the pool's queue.
     */
    public int waiting() {
        return admission.callersWaiting();
    }

    // ---------------------------------------------------------------- closing

    /** Closes the pool with the grace period it was built with; see {@link #close(Duration)}. */
    @Override
    public void close() {
        close(closeGrace);
    }

    /**
     * Stops taking calls, lets calls in flight finish for up to {@code grace}, then closes every
     * worker's stdin and waits for it to exit (escalating to SIGTERM and SIGKILL after the command's
     * shutdown grace). Calls still pending then fail. Returns when every process the pool ever
     * started has exited and been reaped, restarts racing the close included.
     */
    public void close(Duration grace) {
        supervisor.beginClosing();
        admission.awaitIdle(System.nanoTime() + grace.toNanos());
        List<WorkerProcess> running = supervisor.stopStarting();
        // The pool's grace is over: what is still pending fails now, and stdin closes.
        running.forEach(worker -> worker.endpoint().closeNow());
        for (WorkerProcess worker : running) {
            worker.awaitExit(command.shutdownGrace().multipliedBy(2).plusSeconds(5));
        }
        poolEvents.closed();
    }

    /**
     * Stops at once: no new calls, every pending call fails, every process the pool ever started
     * is killed (SIGKILL); returns when they have exited.
     */
    public void closeNow() {
        List<WorkerProcess> running = supervisor.stopStarting();
        running.forEach(WorkerProcess::kill);
        running.forEach(worker -> worker.endpoint().closeNow());
        for (WorkerProcess worker : running) {
            worker.awaitExit(Duration.ofSeconds(30));
        }
        poolEvents.closed();
    }

    @Override
    public String toString() {
        return "WorkerPool[" + size() + " x " + command + "]";
    }

    private WorkerPool start() {
        supervisor.startAll();
        poolEvents.started(this);
        return this;
    }

    /** Settings of a pool. */
    public static final class Builder {
        private final WorkerCommand command;
        private Endpoint.Builder endpoint = Endpoint.builder();
        private int size = Runtime.getRuntime().availableProcessors();
        private int maxInFlightPerWorker = 1024;
        private Duration acquireTimeout = Duration.ofSeconds(30);
        private Routing routing = Routing.LEAST_IN_FLIGHT;
        private Duration initialBackoff = Duration.ofMillis(100);
        private Duration maxBackoff = Duration.ofSeconds(10);
        private Duration closeGrace = Duration.ofSeconds(10);
        private double jitter = 0.2;
        private int giveUpAfter = 10;
        private boolean restarts = true;
        private HealthCheck health;
        private Consumer<WorkerEvent> events;
        private PoolListener listener;

        private Builder(WorkerCommand command) {
            this.command = Objects.requireNonNull(command, "command");
        }

        /** Number of workers (default: the number of cores). */
        public Builder size(int size) {
            if (size <= 0) {
                throw new IllegalArgumentException("size must be positive");
            }
            this.size = size;
            return this;
        }

        /**
         * The connection settings of every worker: call timeout, mapper, executor, inbound bounds,
         * the dialect of cancellations ({@code Endpoint.builder().dialect(Dialect.MCP)} for MCP
         * servers), and the handlers for requests and notifications the workers send up. The pool's calls
         * time out after this builder's default timeout; the pool never changes the builder.
         */
        public Builder endpoint(Endpoint.Builder endpoint) {
            this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
            return this;
        }

        /** The most calls one worker may have in flight (default 1024). */
        public Builder maxInFlightPerWorker(int max) {
            if (max <= 0) {
                throw new IllegalArgumentException("maxInFlightPerWorker must be positive");
            }
            this.maxInFlightPerWorker = max;
            return this;
        }

        /** How long {@code send} waits for a worker with room before failing (default 30 s). */
        public Builder acquireTimeout(Duration timeout) {
            this.acquireTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /** How calls are spread (default {@link Routing#LEAST_IN_FLIGHT}). */
        public Builder routing(Routing routing) {
            this.routing = Objects.requireNonNull(routing, "routing");
            return this;
        }

        /** Restart delays: {@code initial}, doubled after each quick failure, up to {@code max} (default 100 ms to 10 s). */
        public Builder restartBackoff(Duration initial, Duration max) {
            this.initialBackoff = Objects.requireNonNull(initial, "initial");
            this.maxBackoff = Objects.requireNonNull(max, "max");
            return this;
        }

        /**
         * The fraction (0 to 1, default 0.2) by which each restart delay is shortened at random, so
         * workers that crashed together do not all start again at the same moment.
         */
        public Builder restartJitter(double fraction) {
            if (!(fraction >= 0 && fraction <= 1)) {
                throw new IllegalArgumentException("restartJitter must be between 0 and 1, not " + fraction);
            }
            this.jitter = fraction;
            return this;
        }

        /**
         * Whether a worker that exits is started again (default {@code true}). Without restarts, a
         * worker that exits, however it exits, leaves its slot empty: a session with one server (a
         * language server that exits after {@code exit}) ends with it, and once no worker is left,
         * calls fail at once with {@link ConnectionClosedException}.
         */
        public Builder restarts(boolean restart) {
            this.restarts = restart;
            return this;
        }

        /**
         * After this many crashes (or failed starts) in a row, each soon after its start, a worker is
         * not restarted again (default 10); when no worker is left, calls fail at once.
         */
        public Builder giveUpAfter(int crashes) {
            if (crashes <= 0) {
                throw new IllegalArgumentException("giveUpAfter must be positive, not " + crashes);
            }
            this.giveUpAfter = crashes;
            return this;
        }

        /**
         * Kills and restarts workers that hang (off by default). Every {@code interval}, a worker
         * that wrote nothing to stdout for that long is sent a {@code method} request with no
         * params; an answer of any kind, "method not found" included, shows that it is alive, so
         * any JSON-RPC worker takes part ({@code $/ping} suits most; MCP servers answer {@code ping}).
         * One that leaves it unanswered for {@code timeout} is killed, reported as
         * {@link WorkerEvent.Kind#UNRESPONSIVE}, and restarted as after a crash; its pending calls
         * fail. Workers that are answering are never probed.
         */
        public Builder healthCheck(String method, Duration interval, Duration timeout) {
            if (interval.isNegative() || interval.isZero() || timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("healthCheck interval and timeout must be positive, not " + interval + " and " + timeout);
            }
            this.health = new HealthCheck(Objects.requireNonNull(method, "method"), interval, timeout);
            return this;
        }

        /** How long {@link WorkerPool#close()} lets calls in flight finish (default 10 s). */
        public Builder closeGrace(Duration grace) {
            this.closeGrace = Objects.requireNonNull(grace, "grace");
            return this;
        }

        /**
         * Tells {@code listener} about the calls on every worker's connection and about the pool:
         * its start and close, worker restarts, and the calls it refuses for backpressure (see
         * {@link PoolListener}). The endpoint builder's own {@link Endpoint.Builder#callListener
         * call listener}, if it has one, is told about the calls too. Its methods run on the
         * reactor thread among others: they must be quick and never block.
         */
        public Builder listener(PoolListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /** Receives worker lifecycle events (on a pool-internal thread; keep it quick). */
        public Builder onEvent(Consumer<WorkerEvent> listener) {
            this.events = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * Starts every worker.
         *
         * @throws WorkerStartException if a worker cannot be started (those already started are killed)
         */
        public WorkerPool start() {
            return new WorkerPool(this).start();
        }
    }
}
