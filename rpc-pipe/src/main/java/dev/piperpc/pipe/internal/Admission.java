package dev.piperpc.pipe.internal;

import dev.piperpc.core.BackpressureException;
import dev.piperpc.core.PiperpcException;
import dev.piperpc.pipe.Routing;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Admission to a worker pool: which slot a call goes to (the routing), the bound on calls in
 * flight per worker, and the wait for room when every worker is at its bound. Callers' threads
 * acquire; whoever ends a call releases.
 */
public final class Admission {

    private static final long WAIT_SLICE_MILLIS = 5;

    private final List<PoolSlot> slots;
    private final int maxInFlight;
    private final Routing routing;
    private final AtomicInteger nextSlot = new AtomicInteger();
    private final Object capacity = new Object();
    private volatile int waiting;
    /** Callers waiting for room for their calls. */
    private final AtomicInteger callersWaiting = new AtomicInteger();

    /** Admission to {@code slots}, each taking at most {@code maxInFlight} calls, spread by {@code routing}. */
    public Admission(List<PoolSlot> slots, int maxInFlight, Routing routing) {
        this.slots = slots;
        this.maxInFlight = maxInFlight;
        this.routing = routing;
    }

    /**
     * Reserves a place for one call on a slot that has not {@code refused} it, waiting until
     * {@code deadline} ({@link System#nanoTime()}) for one with room.
     *
     * @param stop    checked while waiting: throws what it returns, if anything
     * @param busy    the error when {@code deadline} passes
     * @param refusal the error when every usable slot has refused
     */
    public PoolSlot acquire(long deadline, boolean[] refused, Supplier<RuntimeException> stop, Supplier<BackpressureException> busy,
                            Supplier<BackpressureException> refusal) {
        boolean waited = false;
        try {
            while (true) {
                RuntimeException stopped = stop.get();
                if (stopped != null) {
                    throw stopped;
                }
                PoolSlot slot = tryAcquire(refused);
                if (slot != null) {
                    return slot;
                }
                if (refused != null && choose(Integer.MAX_VALUE, refused) == null) {
                    throw refusal.get();
                }
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    throw busy.get();
                }
                if (!waited) {
                    waited = true;
                    callersWaiting.incrementAndGet();
                }
                if (!awaitRelease(Math.max(1, Math.min(WAIT_SLICE_MILLIS, remaining / 1_000_000)))) {
                    throw new PiperpcException("interrupted while waiting for a worker");
                }
            }
        } finally {
            if (waited) {
                callersWaiting.decrementAndGet();
            }
        }
    }

    /**
     * Reserves a place for one call on a slot that has not {@code refused} it and has room now,
     * without waiting; {@code null} if there is none.
     */
    public PoolSlot tryAcquire(boolean[] refused) {
        while (true) {
            PoolSlot slot = choose(maxInFlight, refused);
            if (slot == null) {
                return null;
            }
            if (slot.inFlight.incrementAndGet() <= maxInFlight) {
                return slot;
            }
            slot.inFlight.decrementAndGet();
        }
    }

    /**
     * Reserves places for {@code count} calls on {@code slot} (a batch goes to one worker), waiting
     * until {@code deadline} ({@link System#nanoTime()}) for that worker to have room for all of them.
     *
     * @param busy the error when {@code deadline} passes, or when {@code count} is more than the bound
     */
    public void reserve(PoolSlot slot, int count, long deadline, Supplier<BackpressureException> busy) {
        if (count > maxInFlight) {
            throw busy.get();
        }
        while (true) {
            int load = slot.inFlight.get();
            if (load + count <= maxInFlight) {
                if (slot.inFlight.compareAndSet(load, load + count)) {
                    return;
                }
                continue;
            }
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0 || !awaitRelease(Math.max(1, Math.min(WAIT_SLICE_MILLIS, remaining / 1_000_000)))) {
                throw busy.get();
            }
        }
    }

    /** What to run when a call reserved on {@code slot} ends: {@link #release} of that slot. */
    public Runnable releaser(PoolSlot slot) {
        return new Release(this, slot);
    }

    /** Releases one call's reservation on a slot. */
    private record Release(Admission admission, PoolSlot slot) implements Runnable {
        @Override
        public void run() {
            admission.release(slot);
        }
    }

    /** A call reserved on {@code slot} ended. */
    public void release(PoolSlot slot) {
        slot.inFlight.decrementAndGet();
        if (waiting > 0) {
            synchronized (capacity) {
                capacity.notifyAll();
            }
        }
    }

    /**
     * Waits until no call is in flight or {@code deadline} ({@link System#nanoTime()}) passes; an
     * interrupt ends the wait early (the interrupt stays set).
     */
    public void awaitIdle(long deadline) {
        while (inFlight() > 0 && System.nanoTime() - deadline < 0) {
            if (!awaitRelease(WAIT_SLICE_MILLIS)) {
                return;
            }
        }
    }

    /** Waits up to {@code millis} for a release; {@code false} if interrupted (the interrupt stays set). */
    private boolean awaitRelease(long millis) {
        synchronized (capacity) {
            waiting++;
            try {
                capacity.wait(millis);
                return true;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            } finally {
                waiting--;
            }
        }
    }

    /**
     * The slot to use: a worker that is connected, has not {@code refused} the message and has
     * fewer than {@code bound} calls in flight, preferring one whose stdin queue is below its
     * low-water mark; {@code null} if there is none.
     */
    public PoolSlot choose(int bound, boolean[] refused) {
        PoolSlot slot = choose(bound, refused, true);
        return slot != null ? slot : choose(bound, refused, false);
    }

    private PoolSlot choose(int bound, boolean[] refused, boolean writableOnly) {
        int start = Math.floorMod(nextSlot.getAndIncrement(), slots.size());
        PoolSlot best = null;
        int bestLoad = bound;
        for (int i = 0; i < slots.size(); i++) {
            PoolSlot slot = slots.get((start + i) % slots.size());
            int load = slot.inFlight.get();
            if (load < bestLoad && slot.usable(refused, writableOnly)) {
                if (routing == Routing.ROUND_ROBIN || load == 0) {
                    return slot;
                }
                best = slot;
                bestLoad = load;
            }
        }
        return best;
    }

    /** Marks {@code slot} as having refused a message; returns the marks. */
    public boolean[] refused(boolean[] refused, PoolSlot slot) {
        boolean[] marked = refused == null ? new boolean[slots.size()] : refused;
        marked[slot.index] = true;
        return marked;
    }

    /** Callers of {@link #acquire} waiting now for a slot with room. */
    public int callersWaiting() {
        return callersWaiting.get();
    }

    /** Calls in flight over all slots. */
    public int inFlight() {
        int total = 0;
        for (PoolSlot slot : slots) {
            total += slot.inFlight.get();
        }
        return total;
    }

    /** Why no call could be admitted within {@code waited}: no worker running, or all at their bound. */
    public String busyMessage(Object command, Duration waited) {
        int live = 0;
        for (PoolSlot slot : slots) {
            if (slot.worker != null) {
                live++;
            }
        }
        if (live == 0) {
            return "no worker of " + command + " was running within " + waited + " (all " + slots.size()
                    + " exited and are being restarted)";
        }
        return "all " + live + " running workers of " + command + " had " + maxInFlight
                + " calls in flight for " + waited + "; the workers are not keeping up";
    }
}
