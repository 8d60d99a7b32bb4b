package dev.piperpc.pipe.internal;

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
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
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
    private final Starter starter;
    private final List<PoolSlot> slots;
    private final RestartPolicy policy;
    private final HealthCheck health;
    private final Consumer<WorkerEvent> events;
    private final Consumer<String> restarted;
    private final Object lifecycle = new Object();
    private volatile boolean closing;
    /** Starts under way; guarded by {@link #lifecycle}. */
    private int launching;
    /** Every process started and not yet seen exiting. */
    private final Set<WorkerProcess> live = ConcurrentHashMap.newKeySet();
    private final AtomicInteger givenUp = new AtomicInteger();
    private volatile String lastGiveUp;

    /**
     * How restarts are paced.
     *
     * @param initialBackoff the delay after a first crash
     * @param maxBackoff     the longest delay; it doubles up to this while the worker keeps crashing quickly
     * @param jitter         the fraction (0 to 1) by which each delay is shortened at random, so
     *                       workers that crashed together do not all start again together
     * @param giveUpAfter    after this many quick crashes (or failed starts) in a row, the slot is left empty
     * @param restarts       whether a worker that exits is started again at all
     */
    public record RestartPolicy(Duration initialBackoff, Duration maxBackoff, double jitter, int giveUpAfter, boolean restarts) {
    }

    /** Starts the process of a worker and connects its endpoint. */
    @FunctionalInterface
    public interface Starter {
        /**
         * Starts the worker named {@code name}.
         *
         * @throws WorkerStartException if it cannot be started
         */
        WorkerProcess start(String name);
    }

    /**
     * A supervisor of {@code size} slots named after the command, starting each worker with
     * {@code starter}; {@code health} (may be {@code null}) finds hung workers; {@code events} (may
     * be {@code null}) hears of starts and exits, and {@code restarted} (may be {@code null}) of
     * each worker started again, by name.
     */
    public Supervisor(WorkerCommand command, Starter starter, int size, RestartPolicy policy, HealthCheck health,
                      Consumer<WorkerEvent> events, Consumer<String> restarted) {
        this.command = command;
        this.health = health;
        this.starter = starter;
        this.policy = policy;
        this.events = events;
        this.restarted = restarted;
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

    /** Whether every slot has given up: no worker runs and none will be started again. */
    public boolean allGaveUp() {
        return givenUp.get() == slots.size();
    }

    /** What the last slot to give up said about its last crash, or {@code null}. */
    public String lastGiveUp() {
        return lastGiveUp;
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
                launch(slot, false);
            }
            if (health != null) {
                health.start(this);
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

    /**
     * Starts the worker of {@code slot}, unless the pool is closing. A restart ({@code again}) is
     * told before the new worker can be given calls.
     */
    private void launch(PoolSlot slot, boolean again) {
        synchronized (lifecycle) {
            if (closing) {
                return;
            }
            launching++;
        }
        try {
            WorkerProcess worker = starter.start(slot.name);
            live.add(worker);
            slot.startedAt = System.nanoTime();
            if (again && restarted != null) {
                restarted.accept(slot.name);
            }
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
        if (!policy.restarts()) {
            emit(new WorkerEvent(WorkerEvent.Kind.EXITED, slot.name, exit.pid(), exit, null, exit.describe()
                    + "; not restarted (restarts are off)"));
            lastGiveUp = exit.describe();
            givenUp.incrementAndGet();
            return;
        }
        Duration delay = nextBackoff(slot);
        if (delay == null) {
            emit(new WorkerEvent(WorkerEvent.Kind.EXITED, slot.name, exit.pid(), exit, null, exit.describe()));
            giveUp(slot, exit.describe());
            return;
        }
        emit(new WorkerEvent(WorkerEvent.Kind.EXITED, slot.name, exit.pid(), exit, delay,
                exit.describe() + "; restarting in " + delay.toMillis() + " ms"));
        scheduleRestart(slot, delay);
    }

    private void giveUp(PoolSlot slot, String lastWords) {
        lastGiveUp = lastWords;
        givenUp.incrementAndGet();
        emit(new WorkerEvent(WorkerEvent.Kind.GAVE_UP, slot.name, -1, null, null, slot.name + " crashed " + policy.giveUpAfter()
                + " times in a row, each soon after its start; it is not restarted again (last: " + lastWords + ")"));
    }

    /** The delay before the next start of {@code slot}, or {@code null} when it is to give up. */
    private Duration nextBackoff(PoolSlot slot) {
        synchronized (slot) {
            if (System.nanoTime() - slot.startedAt > HEALTHY_RUN_NANOS) {
                slot.consecutiveFailures = 0;
            }
            if (slot.consecutiveFailures + 1 >= policy.giveUpAfter()) {
                return null;
            }
            long millis = Math.min(policy.initialBackoff().toMillis() << Math.min(20, slot.consecutiveFailures),
                    policy.maxBackoff().toMillis());
            slot.consecutiveFailures++;
            long jittered = Math.round(millis * (1 - policy.jitter() * ThreadLocalRandom.current().nextDouble()));
            return Duration.ofMillis(jittered);
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
            launch(slot, true);
        } catch (WorkerStartException e) {
            // A start that fails is a crash soon after the start.
            slot.startedAt = System.nanoTime();
            Duration delay = nextBackoff(slot);
            if (delay == null) {
                giveUp(slot, e.getMessage());
                return;
            }
            emit(new WorkerEvent(WorkerEvent.Kind.START_FAILED, slot.name, -1, null, delay,
                    e.getMessage() + "; trying again in " + delay.toMillis() + " ms"));
            scheduleRestart(slot, delay);
        }
    }

    void emit(WorkerEvent event) {
        switch (event.kind()) {
            case STARTED -> log.debug("{}", event.reason());
            case EXITED -> {
                if (closing) {
                    log.debug("{}", event.reason());
                } else {
                    log.warn("{}", event.reason());
                }
            }
            case START_FAILED, GAVE_UP, UNRESPONSIVE -> log.error("{}", event.reason());
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
