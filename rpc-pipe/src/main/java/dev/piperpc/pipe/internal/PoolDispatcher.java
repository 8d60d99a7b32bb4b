package dev.piperpc.pipe.internal;

import dev.piperpc.core.BackpressureException;
import dev.piperpc.core.Batch;
import dev.piperpc.core.Call;
import dev.piperpc.core.ConnectionClosedException;
import dev.piperpc.core.Params;
import dev.piperpc.core.internal.BatchAccess;
import dev.piperpc.core.internal.CallHooks;
import dev.piperpc.core.message.Id;
import dev.piperpc.pipe.WorkerCommand;
import dev.piperpc.pipe.WorkerProcess;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.reflect.Type;
import java.time.Duration;

/**
 * Sends a worker pool's calls, notifications and batches: each to a worker that its
 * {@link Admission} finds room on, passed on to another worker when one worker's full stdin queue
 * refuses it, and refused with {@link BackpressureException} (told to the pool's listener) when no
 * worker takes it. Callers' threads.
 */
public final class PoolDispatcher {

    private static final Logger log = LoggerFactory.getLogger("dev.piperpc.pipe.WorkerPool");

    private final WorkerCommand command;
    private final Supervisor supervisor;
    private final Admission admission;
    private final PoolEvents poolEvents;
    private final Duration acquireTimeout;
    private final int maxInFlight;
    private final boolean restarts;

    /**
     * Sends to the workers of {@code supervisor}, running {@code command}, through
     * {@code admission}; a call waits up to {@code acquireTimeout} for a worker with room, each
     * worker taking at most {@code maxInFlight}; {@code restarts} tells whether exited workers are
     * started again; refusals are told to {@code poolEvents}.
     */
    public PoolDispatcher(WorkerCommand command, Supervisor supervisor, Admission admission, PoolEvents poolEvents,
                          Duration acquireTimeout, int maxInFlight, boolean restarts) {
        this.command = command;
        this.supervisor = supervisor;
        this.admission = admission;
        this.poolEvents = poolEvents;
        this.acquireTimeout = acquireTimeout;
        this.maxInFlight = maxInFlight;
        this.restarts = restarts;
    }

    /**
     * Sends a call on a worker that has room, under {@code id} or (when it is {@code null}) a fresh one.
     *
     * @throws BackpressureException      if no worker could take the call within the acquire
     *                                    timeout, or every running worker's stdin queue was full
     * @throws ConnectionClosedException if the pool is closed
     */
    public <T> Call<T> send(Id id, String method, Params params, Type resultType, Duration timeout) {
        // The clock is read only once the call has to wait for a worker with room.
        long deadline = 0;
        boolean[] refused = null;
        while (true) {
            PoolSlot slot = closedError() == null ? admission.tryAcquire(refused) : null;
            if (slot == null) {
                if (deadline == 0) {
                    deadline = System.nanoTime() + acquireTimeout.toNanos();
                }
                try {
                    slot = admission.acquire(deadline, refused, this::closedError,
                            () -> new BackpressureException(admission.busyMessage(command, acquireTimeout)), this::refusedEverywhere);
                } catch (BackpressureException full) {
                    poolEvents.refused(method);
                    throw full;
                }
            }
            WorkerProcess worker = slot.worker();
            Call<T> call;
            try {
                if (worker == null) {
                    throw new BackpressureException(slot.name() + " exited just now");
                }
                call = id == null ? worker.endpoint().send(method, params, resultType, timeout)
                        : worker.endpoint().send(id, method, params, resultType, timeout);
            } catch (BackpressureException full) {
                // That worker's stdin queue is full: another may take the call.
                admission.release(slot);
                refused = refuse(refused, slot, full);
                continue;
            } catch (RuntimeException e) {
                admission.release(slot);
                throw e;
            }
            CallHooks.onEnding(call, admission.releaser(slot));
            return call;
        }
    }

    /**
     * Sends a notification to a running worker, to another when one worker's stdin queue is full.
     *
     * @throws BackpressureException      if every running worker's stdin queue was full
     * @throws ConnectionClosedException if the pool is closed or no worker is running
     */
    public void notify(String method, Params params) {
        boolean[] refused = null;
        while (true) {
            RuntimeException closed = closedError();
            if (closed != null) {
                throw closed;
            }
            PoolSlot slot = admission.choose(Integer.MAX_VALUE, refused);
            if (slot == null) {
                if (refused != null) {
                    poolEvents.refused(method);
                    throw refusedEverywhere();
                }
                throw new ConnectionClosedException("no worker of " + command + " is running");
            }
            WorkerProcess worker = slot.worker();
            try {
                if (worker == null) {
                    throw new BackpressureException(slot.name() + " exited just now");
                }
                worker.endpoint().notify(method, params);
                return;
            } catch (BackpressureException full) {
                refused = refuse(refused, slot, full);
            }
        }
    }

    /**
     * Starts a batch to the worker with the fewest calls in flight, whose {@code send()} reserves
     * room on that worker for all of its calls, waiting up to the acquire timeout.
     *
     * @throws ConnectionClosedException if the pool is closed or no worker is running
     */
    public Batch batch() {
        RuntimeException closed = closedError();
        if (closed != null) {
            throw closed;
        }
        PoolSlot slot = admission.choose(Integer.MAX_VALUE, null);
        WorkerProcess worker = slot == null ? null : slot.worker();
        if (worker == null) {
            throw new ConnectionClosedException("no worker of " + command + " is running");
        }
        return BatchAccess.create(worker.endpoint(), calls -> {
            admission.reserve(slot, calls.size(), System.nanoTime() + acquireTimeout.toNanos(), () -> {
                poolEvents.refused(null);
                return new BackpressureException(slot.name() + " has no room for a batch of " + calls.size() + " calls within "
                        + acquireTimeout + " (at most " + maxInFlight + " in flight per worker)");
            });
            calls.forEach(call -> call.onEnding(() -> admission.release(slot)));
        });
    }

    /** The error for a call made while the pool is closing, or once every worker gave up; else {@code null}. */
    private RuntimeException closedError() {
        if (supervisor.isClosing()) {
            return new ConnectionClosedException("the pool of " + command + " is closed");
        }
        if (supervisor.allGaveUp()) {
            return new ConnectionClosedException((restarts ? "every worker of " + command + " kept crashing and is not restarted again"
                    : "every worker of " + command + " has exited (restarts are off)") + "; the last: " + supervisor.lastGiveUp());
        }
        return null;
    }

    private boolean[] refuse(boolean[] refused, PoolSlot slot, BackpressureException why) {
        log.debug("{} refused a message: {}", slot.name(), why.getMessage());
        return admission.refused(refused, slot);
    }

    private BackpressureException refusedEverywhere() {
        return new BackpressureException("every running worker of " + command + " refused the message: their stdin queues are "
                + "full (" + command.maxQueuedBytes() + " bytes each); the workers are not reading");
    }
}
