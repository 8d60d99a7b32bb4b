package dev.piperpc.pipe.internal;

import dev.piperpc.core.Endpoint;
import dev.piperpc.core.internal.DefaultExecutor;
import dev.piperpc.core.internal.Scheduler;
import dev.piperpc.pipe.WorkerCommand;
import dev.piperpc.pipe.WorkerEvent;
import dev.piperpc.pipe.WorkerExit;
import dev.piperpc.pipe.WorkerProcess;
import dev.piperpc.pipe.WorkerStartException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Keeps a pool's workers running: starts one process per slot, restarts a worker that exited
 * (after a delay that doubles while it keeps failing quickly), reports each start and exit, and on
 * close knows every process it ever started, restarts racing the close included. Exits are
 * handled and restarts made on the shared executor, never on the reactor.
 */
public final class Supervisor {

    private static final Logger log = LoggerFactory.getLogger("dev.piperpc.pipe.WorkerPool");
    private static final long HEALTHY_RUN_NANOS = Duration.ofSeconds(10).toNanos();

    private final WorkerCommand command;
    private final Endpoint.Builder endpoint;
    private final List<PoolSlot> slots;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final Consumer<WorkerEvent> events;
    private final Object lifecycle = new Object();
    private volatile boolean closing;
    /** Starts under way; guarded by {@link #lifecycle}. */
    private int launching;
    /** Every process started and not yet seen exiting. */
    private final Set<WorkerProcess> live = ConcurrentHashMap.newKeySet();

    /**
     * A supervisor of {@code size} slots named after the command, connecting each worker with an
     * endpoint built by {@code endpoint}; {@code events} (may be {@code null}) hears of starts and exits.
     */
    public Supervisor(WorkerCommand command, Endpoint.Builder endpoint, int size, Duration initialBackoff, Duration maxBackoff,
                      Consumer<WorkerEvent> events) {
        this.command = command;
        this.endpoint = endpoint;
        this.initialBackoff = initialBackoff;
        this.maxBackoff = maxBackoff;
        this.events = events;
        List<PoolSlot> created = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            created.add(new PoolSlot(i, command.name() + "-" + i));
        }
        this.slots = Collections.unmodifiableList(created);
    }

    /** The slots, in order. */
    public List<PoolSlot> slots() {
        return slots;
    }

    /** Whether the pool is closing: no more starts or restarts. */
    public boolean isClosing() {
        return closing;
    }

    /**
     * Starts every worker.
     *
     * @throws WorkerStartException if one cannot be started; those already started are killed
     */
    public void startAll() {
        try {
            for (PoolSlot slot : slots) {
                launch(slot);
            }
        } catch (RuntimeException e) {
            closing = true;
            for (PoolSlot slot : slots) {
                WorkerProcess worker = slot.worker;
                if (worker != null) {
                    worker.kill();
                }
            }
            throw e;
        }
    }

    /**
     * Stops starting and restarting, waits for starts under way, and returns every process still
     * running: none is missed, since no start begins once this was called.
     */
    public List<WorkerProcess> stopStarting() {
        synchronized (lifecycle) {
            closing = true;
            while (launching > 0) {
                try {
                    lifecycle.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            return List.copyOf(live);
        }
    }

    /** Marks the pool closing without waiting, so a wait for calls in flight starts no restart. */
    public void beginClosing() {
        synchronized (lifecycle) {
            closing = true;
        }
    }

    /** Starts the worker of {@code slot}, unless the pool is closing. */
    private void launch(PoolSlot slot) {
        synchronized (lifecycle) {
            if (closing) {
                return;
            }
            launching++;
        }
        try {
            WorkerProcess worker = WorkerProcess.start(slot.name, command, endpoint);
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

    private void onExit(PoolSlot slot, WorkerProcess worker, WorkerExit exit) {
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

    private Duration nextBackoff(PoolSlot slot) {
        synchronized (slot) {
            if (System.nanoTime() - slot.startedAt > HEALTHY_RUN_NANOS) {
                slot.consecutiveFailures = 0;
            }
            long millis = initialBackoff.toMillis() << Math.min(20, slot.consecutiveFailures);
            slot.consecutiveFailures++;
            return Duration.ofMillis(Math.min(millis, maxBackoff.toMillis()));
        }
    }

    private void scheduleRestart(PoolSlot slot, Duration delay) {
        Scheduler.instance().schedule(delay.toNanos(), () -> DefaultExecutor.instance().execute(() -> restart(slot)));
    }

    private void restart(PoolSlot slot) {
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
}
