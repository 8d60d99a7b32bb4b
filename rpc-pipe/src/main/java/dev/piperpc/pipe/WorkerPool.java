package dev.piperpc.pipe;

import dev.piperpc.core.Call;
import dev.piperpc.core.ConnectionClosedException;
import dev.piperpc.core.Endpoint;
import dev.piperpc.core.Params;
import dev.piperpc.core.PiperpcException;
import dev.piperpc.core.Rpc;
import dev.piperpc.core.internal.DefaultExecutor;
import dev.piperpc.core.internal.PendingCall;
import dev.piperpc.pipe.internal.Reactor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.reflect.Type;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * N worker processes of one command, used as one {@link Rpc}: each call goes to one worker (by
 * default the one with the fewest calls in flight). Calls in flight per worker are bounded; when
 * every worker is at its bound, {@code send} waits up to the acquire timeout and then fails with
 * {@link BackpressureException}. A worker that exits is restarted with exponential backoff; the
 * calls it had in flight fail at once with the reason.
 *
 * <pre>{@code
 * try (WorkerPool pool = WorkerPool.builder(WorkerCommand.of("python3", "worker.py")).size(4).start()) {
 *     List<Call<String>> calls = ...;  // pool.send(...) as with an Endpoint
 * }
 * }</pre>
 */
public final class WorkerPool implements Rpc, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(WorkerPool.class);
    private static final long HEALTHY_RUN_NANOS = Duration.ofSeconds(10).toNanos();
    private static final long WAIT_SLICE_MILLIS = 5;

    private final WorkerCommand command;
    private final Endpoint.Builder endpointBuilder;
    private final Duration defaultTimeout;
    private final int maxInFlight;
    private final Duration acquireTimeout;
    private final Routing routing;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final Duration closeGrace;
    private final Consumer<WorkerEvent> events;
    private final Slot[] slots;
    private final AtomicInteger nextSlot = new AtomicInteger();
    private final Object capacity = new Object();
    private volatile int waiting;
    private volatile boolean closing;

    /** One place in the pool, holding the current process of that worker. */
    private static final class Slot {
        final int index;
        final String name;
        final AtomicInteger inFlight = new AtomicInteger();
        volatile WorkerProcess worker;
        volatile long startedAt;
        int consecutiveFailures;
        volatile int restarts;

        Slot(int index, String name) {
            this.index = index;
            this.name = name;
        }
    }

    private WorkerPool(Builder builder) {
        this.command = builder.command;
        this.endpointBuilder = builder.endpoint;
        this.maxInFlight = builder.maxInFlightPerWorker;
        this.acquireTimeout = builder.acquireTimeout;
        this.routing = builder.routing;
        this.initialBackoff = builder.initialBackoff;
        this.maxBackoff = builder.maxBackoff;
        this.closeGrace = builder.closeGrace;
        this.events = builder.events;
        this.slots = new Slot[builder.size];
        for (int i = 0; i < slots.length; i++) {
            slots[i] = new Slot(i, command.name() + "-" + i);
        }
        this.defaultTimeout = builder.defaultTimeout;
    }

    /** A builder for a pool of workers running {@code command}. */
    public static Builder builder(WorkerCommand command) {
        return new Builder(command);
    }

    private WorkerPool start() {
        try {
            for (Slot slot : slots) {
                launch(slot);
            }
        } catch (RuntimeException e) {
            closing = true;
            for (Slot slot : slots) {
                WorkerProcess worker = slot.worker;
                if (worker != null) {
                    worker.kill();
                }
            }
            throw e;
        }
        return this;
    }

    private void launch(Slot slot) {
        WorkerProcess worker = WorkerProcess.start(slot.name, command, endpointBuilder);
        slot.startedAt = System.nanoTime();
        slot.worker = worker;
        emit(new WorkerEvent(WorkerEvent.Kind.STARTED, slot.name, worker.pid(), null, null, slot.name + " started (pid " + worker.pid() + ")"));
        worker.exit().thenAcceptAsync(exit -> onExit(slot, worker, exit), DefaultExecutor.instance());
        if (closing) {
            worker.endpoint().close();
        }
    }

    private void onExit(Slot slot, WorkerProcess worker, WorkerExit exit) {
        if (slot.worker == worker) {
            slot.worker = null;
        }
        if (closing) {
            emit(new WorkerEvent(WorkerEvent.Kind.EXITED, slot.name, exit.pid(), exit, null, exit.describe()));
            return;
        }
        Duration delay = nextBackoff(slot);
        emit(new WorkerEvent(WorkerEvent.Kind.EXITED, slot.name, exit.pid(), exit, delay,
                exit.describe() + "; restarting in " + delay.toMillis() + " ms"));
        scheduleRestart(slot, delay);
    }

    private Duration nextBackoff(Slot slot) {
        synchronized (slot) {
            if (System.nanoTime() - slot.startedAt > HEALTHY_RUN_NANOS) {
                slot.consecutiveFailures = 0;
            }
            long millis = initialBackoff.toMillis() << Math.min(20, slot.consecutiveFailures);
            slot.consecutiveFailures++;
            return Duration.ofMillis(Math.min(millis, maxBackoff.toMillis()));
        }
    }

    private void scheduleRestart(Slot slot, Duration delay) {
        Reactor.shared().schedule(delay.toNanos(), () -> DefaultExecutor.instance().execute(() -> restart(slot)));
    }

    private void restart(Slot slot) {
        if (closing) {
            return;
        }
        try {
            slot.restarts++;
            launch(slot);
        } catch (WorkerStartException e) {
            Duration delay = nextBackoff(slot);
            emit(new WorkerEvent(WorkerEvent.Kind.START_FAILED, slot.name, -1, null, delay,
                    e.getMessage() + "; trying again in " + delay.toMillis() + " ms"));
            scheduleRestart(slot, delay);
        }
    }

    private void emit(WorkerEvent event) {
        switch (event.kind()) {
            case STARTED -> log.debug("{}", event.reason());
            case EXITED -> {
                if (closing) {
                    log.debug("{}", event.reason());
                } else {
                    log.warn("{}", event.reason());
                }
            }
            case START_FAILED -> log.error("{}", event.reason());
        }
        if (events != null) {
            try {
                events.accept(event);
            } catch (RuntimeException e) {
                log.warn("worker event listener failed", e);
            }
        }
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
     * @throws BackpressureException      if no worker could take the call within the acquire timeout
     * @throws ConnectionClosedException if the pool is closed
     */
    @Override
    public <T> Call<T> send(String method, Params params, Type resultType, Duration timeout) {
        Slot slot = acquire();
        WorkerProcess worker = slot.worker;
        Call<T> call;
        try {
            if (worker == null) {
                throw new ConnectionClosedException(slot.name + " exited just now");
            }
            call = worker.endpoint().send(method, params, resultType, timeout);
        } catch (RuntimeException e) {
            release(slot);
            throw e;
        }
        if (call instanceof PendingCall<T> pending) {
            pending.onEnding(() -> release(slot));
        } else {
            call.whenDone((result, error) -> release(slot));
        }
        return call;
    }

    @Override
    public void notify(String method, Params params) {
        if (closing) {
            throw new ConnectionClosedException("the pool of " + command + " is closed");
        }
        Slot slot = choose(Integer.MAX_VALUE);
        WorkerProcess worker = slot == null ? null : slot.worker;
        if (worker == null) {
            throw new ConnectionClosedException("no worker of " + command + " is running");
        }
        worker.endpoint().notify(method, params);
    }

    @Override
    public Duration defaultCallTimeout() {
        return defaultTimeout;
    }

    /** Reserves a place for one call on a live worker, waiting up to the acquire timeout. */
    private Slot acquire() {
        long deadline = System.nanoTime() + acquireTimeout.toNanos();
        while (true) {
            if (closing) {
                throw new ConnectionClosedException("the pool of " + command + " is closed");
            }
            Slot slot = choose(maxInFlight);
            if (slot != null) {
                if (slot.inFlight.incrementAndGet() <= maxInFlight) {
                    return slot;
                }
                slot.inFlight.decrementAndGet();
                continue;
            }
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                throw new BackpressureException(busyMessage());
            }
            synchronized (capacity) {
                waiting++;
                try {
                    capacity.wait(Math.max(1, Math.min(WAIT_SLICE_MILLIS, remaining / 1_000_000)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new PiperpcException("interrupted while waiting for a worker", e);
                } finally {
                    waiting--;
                }
            }
        }
    }

    private String busyMessage() {
        int live = 0;
        for (Slot slot : slots) {
            if (slot.worker != null) {
                live++;
            }
        }
        if (live == 0) {
            return "no worker of " + command + " was running within " + acquireTimeout + " (all " + slots.length
                    + " exited and are being restarted)";
        }
        return "all " + live + " running workers of " + command + " had " + maxInFlight
                + " calls in flight for " + acquireTimeout + "; the workers are not keeping up";
    }

    /** The live slot to use, or {@code null} if none has fewer than {@code bound} calls in flight. */
    private Slot choose(int bound) {
        if (routing == Routing.ROUND_ROBIN) {
            int start = Math.floorMod(nextSlot.getAndIncrement(), slots.length);
            for (int i = 0; i < slots.length; i++) {
                Slot slot = slots[(start + i) % slots.length];
                if (slot.worker != null && slot.inFlight.get() < bound) {
                    return slot;
                }
            }
            return null;
        }
        Slot best = null;
        int bestLoad = bound;
        int start = Math.floorMod(nextSlot.getAndIncrement(), slots.length);
        for (int i = 0; i < slots.length; i++) {
            Slot slot = slots[(start + i) % slots.length];
            int load = slot.inFlight.get();
            if (load < bestLoad && slot.worker != null) {
                best = slot;
                bestLoad = load;
                if (load == 0) {
                    break;
                }
            }
        }
        return best;
    }

    private void release(Slot slot) {
        slot.inFlight.decrementAndGet();
        if (waiting > 0) {
            synchronized (capacity) {
                capacity.notifyAll();
            }
        }
    }

    // ---------------------------------------------------------------- inspection

    /** The number of worker slots. */
    public int size() {
        return slots.length;
    }

    /** The running worker processes (a worker being restarted is missing). */
    public List<WorkerProcess> workers() {
        List<WorkerProcess> running = new ArrayList<>();
        for (Slot slot : slots) {
            WorkerProcess worker = slot.worker;
            if (worker != null) {
                running.add(worker);
            }
        }
        return running;
    }

    /** A snapshot of every slot. */
    public List<WorkerStatus> status() {
        List<WorkerStatus> status = new ArrayList<>();
        for (Slot slot : slots) {
            WorkerProcess worker = slot.worker;
            status.add(new WorkerStatus(slot.name, worker == null ? -1 : worker.pid(), worker != null && worker.isAlive(),
                    slot.inFlight.get(), slot.restarts));
        }
        return status;
    }

    /** Calls in flight over all workers. */
    public int inFlight() {
        int total = 0;
        for (Slot slot : slots) {
            total += slot.inFlight.get();
        }
        return total;
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
     * shutdown grace). Calls still pending then fail. Returns when every process has exited.
     */
    public void close(Duration grace) {
        closing = true;
        long deadline = System.nanoTime() + grace.toNanos();
        while (inFlight() > 0 && System.nanoTime() < deadline) {
            synchronized (capacity) {
                waiting++;
                try {
                    capacity.wait(WAIT_SLICE_MILLIS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                } finally {
                    waiting--;
                }
            }
        }
        List<WorkerProcess> running = workers();
        running.forEach(worker -> worker.endpoint().close());
        for (WorkerProcess worker : running) {
            worker.awaitExit(command.shutdownGrace().multipliedBy(2).plusSeconds(5));
        }
    }

    @Override
    public String toString() {
        return "WorkerPool[" + slots.length + " x " + command + "]";
    }

    /** Settings of a pool. */
    public static final class Builder {
        private final WorkerCommand command;
        private Endpoint.Builder endpoint = Endpoint.builder();
        private int size = Runtime.getRuntime().availableProcessors();
        private int maxInFlightPerWorker = 1024;
        private Duration acquireTimeout = Duration.ofSeconds(30);
        private Duration defaultTimeout = Duration.ofSeconds(30);
        private Routing routing = Routing.LEAST_IN_FLIGHT;
        private Duration initialBackoff = Duration.ofMillis(100);
        private Duration maxBackoff = Duration.ofSeconds(10);
        private Duration closeGrace = Duration.ofSeconds(10);
        private Consumer<WorkerEvent> events;

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
         * The endpoint settings for every worker: mapper, executor, and the handlers for requests
         * and notifications the workers send up. Its default timeout is the pool's call timeout.
         */
        public Builder endpoint(Endpoint.Builder endpoint) {
            this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
            return this;
        }

        /** How long a call may wait for its response (default 30 s); also set on the endpoints. */
        public Builder callTimeout(Duration timeout) {
            this.defaultTimeout = Objects.requireNonNull(timeout, "timeout");
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

        /** How long {@link WorkerPool#close()} lets calls in flight finish (default 10 s). */
        public Builder closeGrace(Duration grace) {
            this.closeGrace = Objects.requireNonNull(grace, "grace");
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
            endpoint.defaultTimeout(defaultTimeout);
            return new WorkerPool(this).start();
        }
    }
}
