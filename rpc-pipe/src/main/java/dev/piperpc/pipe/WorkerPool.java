package dev.piperpc.pipe;

import dev.piperpc.core.BackpressureException;
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
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
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
 * bounds) on the {@link Endpoint.Builder} given to {@link Builder#endpoint}, which the pool never
 * changes; how many workers and how calls are spread on this pool's {@link Builder}.
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
    /** Guards {@link #closing} changes and {@link #launching}. */
    private final Object lifecycle = new Object();
    private int launching;
    /** Every process started and not yet seen exiting, restarts included. */
    private final Set<WorkerProcess> live = ConcurrentHashMap.newKeySet();

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
        this.defaultTimeout = builder.endpoint.defaultTimeout();
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

    /** Starts the worker of {@code slot}, unless the pool is closing; a close waits for starts under way. */
    private void launch(Slot slot) {
        synchronized (lifecycle) {
            if (closing) {
                return;
            }
            launching++;
        }
        try {
            WorkerProcess worker = WorkerProcess.start(slot.name, command, endpointBuilder);
            live.add(worker);
            slot.startedAt = System.nanoTime();
            slot.worker = worker;
            emit(new WorkerEvent(WorkerEvent.Kind.STARTED, slot.name, worker.pid(), null, null, slot.name + " started (pid " + worker.pid() + ")"));
            worker.exit().thenAcceptAsync(exit -> onExit(slot, worker, exit), DefaultExecutor.instance());
        } finally {
            synchronized (lifecycle) {
                launching--;
                lifecycle.notifyAll();
            }
        }
    }

    private void onExit(Slot slot, WorkerProcess worker, WorkerExit exit) {
        live.remove(worker);
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
     * @throws BackpressureException      if no worker could take the call within the acquire
     *                                    timeout, or every running worker's stdin queue was full
     * @throws ConnectionClosedException if the pool is closed
     */
    @Override
    public <T> Call<T> send(String method, Params params, Type resultType, Duration timeout) {
        long deadline = System.nanoTime() + acquireTimeout.toNanos();
        boolean[] refused = null;
        while (true) {
            Slot slot = acquire(deadline, refused);
            WorkerProcess worker = slot.worker;
            Call<T> call;
            try {
                if (worker == null) {
                    throw new BackpressureException(slot.name + " exited just now");
                }
                call = worker.endpoint().send(method, params, resultType, timeout);
            } catch (BackpressureException full) {
                // That worker's stdin queue is full: another may take the call.
                release(slot);
                refused = refuse(refused, slot, full);
                continue;
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
    }

    /**
     * {@inheritDoc}
     *
     * @throws BackpressureException if every running worker's stdin queue was full
     */
    @Override
    public void notify(String method, Params params) {
        boolean[] refused = null;
        while (true) {
            if (closing) {
                throw new ConnectionClosedException("the pool of " + command + " is closed");
            }
            Slot slot = choose(Integer.MAX_VALUE, refused);
            if (slot == null) {
                if (refused != null) {
                    throw refusedEverywhere();
                }
                throw new ConnectionClosedException("no worker of " + command + " is running");
            }
            WorkerProcess worker = slot.worker;
            try {
                if (worker == null) {
                    throw new BackpressureException(slot.name + " exited just now");
                }
                worker.endpoint().notify(method, params);
                return;
            } catch (BackpressureException full) {
                refused = refuse(refused, slot, full);
            }
        }
    }

    private boolean[] refuse(boolean[] refused, Slot slot, BackpressureException why) {
        boolean[] marked = refused == null ? new boolean[slots.length] : refused;
        marked[slot.index] = true;
        log.debug("{} refused a message: {}", slot.name, why.getMessage());
        return marked;
    }

    private BackpressureException refusedEverywhere() {
        return new BackpressureException("every running worker of " + command + " refused the message: their stdin queues are "
                + "full (" + command.maxQueuedBytes() + " bytes each); the workers are not reading");
    }

    @Override
    public Duration defaultCallTimeout() {
        return defaultTimeout;
    }

    /**
     * Reserves a place for one call on a live worker that has not {@code refused} it, waiting until
     * {@code deadline} for one with room.
     */
    private Slot acquire(long deadline, boolean[] refused) {
        while (true) {
            if (closing) {
                throw new ConnectionClosedException("the pool of " + command + " is closed");
            }
            Slot slot = choose(maxInFlight, refused);
            if (slot != null) {
                if (slot.inFlight.incrementAndGet() <= maxInFlight) {
                    return slot;
                }
                slot.inFlight.decrementAndGet();
                continue;
            }
            if (refused != null && choose(Integer.MAX_VALUE, refused) == null) {
                throw refusedEverywhere();
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

    /**
     * The slot to use: a worker that is connected, has not {@code refused} the message and has
     * fewer than {@code bound} calls in flight, preferring one whose stdin queue is below its
     * low-water mark; {@code null} if there is none.
     */
    private Slot choose(int bound, boolean[] refused) {
        Slot slot = choose(bound, refused, true);
        return slot != null ? slot : choose(bound, refused, false);
    }

    private Slot choose(int bound, boolean[] refused, boolean writableOnly) {
        int start = Math.floorMod(nextSlot.getAndIncrement(), slots.length);
        Slot best = null;
        int bestLoad = bound;
        for (int i = 0; i < slots.length; i++) {
            Slot slot = slots[(start + i) % slots.length];
            int load = slot.inFlight.get();
            if (load < bestLoad && usable(slot, refused, writableOnly)) {
                if (routing == Routing.ROUND_ROBIN || load == 0) {
                    return slot;
                }
                best = slot;
                bestLoad = load;
            }
        }
        return best;
    }

    private static boolean usable(Slot slot, boolean[] refused, boolean writableOnly) {
        WorkerProcess worker = slot.worker;
        if (worker == null || (refused != null && refused[slot.index])) {
            return false;
        }
        Endpoint endpoint = worker.endpoint();
        return !endpoint.isClosed() && (!writableOnly || endpoint.isWritable());
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
     * shutdown grace). Calls still pending then fail. Returns when every process the pool ever
     * started has exited and been reaped, restarts racing the close included.
     */
    public void close(Duration grace) {
        synchronized (lifecycle) {
            closing = true;
        }
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
        List<WorkerProcess> running;
        synchronized (lifecycle) {
            // No start begins once closing is set; wait for those under way, so none is missed.
            while (launching > 0) {
                try {
                    lifecycle.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            running = List.copyOf(live);
        }
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
         * The connection settings of every worker: call timeout, mapper, executor, inbound bounds,
         * and the handlers for requests and notifications the workers send up. The pool's calls
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
            return new WorkerPool(this).start();
        }
    }
}
