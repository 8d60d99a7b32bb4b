package dev.piperpc.core.internal;

import dev.piperpc.core.PiperpcException;
import dev.piperpc.core.message.Id;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * The calls an endpoint has sent and not yet seen end, keyed by request id: the ids it chose
 * itself (numbers from 1 up), and apart from those the ids callers chose (any id; rare, so the
 * hot path looks at them only when there are some).
 *
 * <p>The endpoint's own ids are consecutive, so a call goes into the slot of a ring that its id
 * names ({@code id} modulo {@value #SLOTS}): putting and removing it is one compare-and-set on
 * that slot, with no boxed key and no count shared by the threads that send and the thread that
 * reads. A call whose slot is still taken by an older call (one that has waited while
 * {@value #SLOTS} later calls were sent) goes into a map instead. The count of pending calls is
 * two sums, one of the threads that add and one of those that remove.
 */
public final class PendingTable {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(PendingTable.class);
    /** The slots of the ring; a power of two. */
    static final int SLOTS = 1024;

    private final AtomicReferenceArray<PendingCall<?>> ring = new AtomicReferenceArray<>(SLOTS);
    /** The endpoint's ids whose slot was taken when they were sent. */
    private final ConcurrentHashMap<Long, PendingCall<?>> displaced = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Id, PendingCall<?>> chosen = new ConcurrentHashMap<>();
    private final AtomicLong nextId = new AtomicLong(1);
    private final LongAdder added = new LongAdder();
    private final LongAdder removed = new LongAdder();

    /** A fresh request id: none that a caller's call in flight has chosen. */
    public long nextId() {
        long id = nextId.getAndIncrement();
        while (!chosen.isEmpty() && chosen.containsKey(Id.of(id))) {
            id = nextId.getAndIncrement();
        }
        return id;
    }

    /**
     * Adds a call.
     *
     * @throws IllegalStateException if its id was chosen by its caller and a call with that id is in flight
     */
    public void put(PendingCall<?> call) {
        Id wireId = call.chosenId();
        if (wireId == null) {
            long id = call.numericId();
            if (!ring.compareAndSet(slot(id), null, call)) {
                displaced.put(id, call);
            }
            added.increment();
            return;
        }
        if (wireId.isLong() && findOwn(wireId.asLong()) != null || chosen.putIfAbsent(wireId, call) != null) {
            throw new IllegalStateException("a call with id " + wireId + " is in flight on this connection already");
        }
        added.increment();
    }

    /** Removes and returns the call that a response with {@code id} answers, or {@code null}. */
    public PendingCall<?> removeAnswered(Id id) {
        if (!chosen.isEmpty()) {
            PendingCall<?> call = chosen.remove(id);
            if (call != null) {
                removed.increment();
                return call;
            }
        }
        if (!id.isLong()) {
            return null;
        }
        PendingCall<?> call = findOwn(id.asLong());
        return call != null && remove(call) ? call : null;
    }

    /** The pending call a response with {@code id} would answer, left pending; or {@code null}. */
    public PendingCall<?> get(Id id) {
        if (!chosen.isEmpty()) {
            PendingCall<?> call = chosen.get(id);
            if (call != null) {
                return call;
            }
        }
        return id.isLong() ? findOwn(id.asLong()) : null;
    }

    /** Removes {@code call}; whether it was pending. */
    public boolean remove(PendingCall<?> call) {
        boolean was;
        if (call.chosenId() != null) {
            was = chosen.remove(call.chosenId(), call);
        } else {
            long id = call.numericId();
            was = ring.get(slot(id)) == call ? ring.compareAndSet(slot(id), call, null) : displaced.remove(id, call);
        }
        if (was) {
            removed.increment();
        }
        return was;
    }

    /** Number of pending calls (exact when no call is being added or removed meanwhile). */
    public int size() {
        return (int) Math.max(0, added.sum() - removed.sum());
    }

    /** The pending call the endpoint sent under {@code id}, or {@code null}. */
    private PendingCall<?> findOwn(long id) {
        PendingCall<?> call = ring.get(slot(id));
        if (call != null && call.numericId() == id && call.chosenId() == null) {
            return call;
        }
        return displaced.isEmpty() ? null : displaced.get(id);
    }

    private static int slot(long id) {
        return (int) id & (SLOTS - 1);
    }

    /** Every pending call, at some moment while this runs. */
    private List<PendingCall<?>> all() {
        List<PendingCall<?>> all = new ArrayList<>();
        for (int i = 0; i < SLOTS; i++) {
            PendingCall<?> call = ring.get(i);
            if (call != null) {
                all.add(call);
            }
        }
        all.addAll(displaced.values());
        all.addAll(chosen.values());
        return all;
    }

    /** Removes every call and ends it with the error {@code errorFor} gives. */
    public void failAll(Function<PendingCall<?>, PiperpcException> errorFor) {
        for (PendingCall<?> call : all()) {
            if (remove(call)) {
                call.fail(errorFor.apply(call));
            }
        }
    }

    private static void expireSafely(PendingCall<?> call) {
        try {
            call.expire();
        } catch (RuntimeException e) {
            // The call has ended; what failed was bookkeeping around it. The other calls go on.
            log.error("ending the timed-out call {} failed", call, e);
        }
    }

    /**
     * Ends the calls whose deadline has passed, each on its own: one that fails to end does not
     * keep the others waiting.
     *
     * @return the earliest deadline among the calls left, or {@code now + horizon} if that is sooner
     */
    public long expire(long now, long horizon) {
        long next = now + horizon;
        if (added.sum() == removed.sum()) {
            return next;
        }
        for (int i = 0; i < SLOTS; i++) {
            PendingCall<?> call = ring.get(i);
            if (call != null) {
                next = expire(call, now, next);
            }
        }
        if (!displaced.isEmpty()) {
            for (PendingCall<?> call : displaced.values()) {
                next = expire(call, now, next);
            }
        }
        if (!chosen.isEmpty()) {
            for (PendingCall<?> call : chosen.values()) {
                next = expire(call, now, next);
            }
        }
        return next;
    }

    /** Ends {@code call} if its deadline has passed; returns the earlier of its deadline (if left) and {@code next}. */
    private long expire(PendingCall<?> call, long now, long next) {
        long deadline = call.deadlineNanos();
        if (deadline - now <= 0) {
            if (remove(call)) {
                expireSafely(call);
            }
        } else if (deadline - next < 0) {
            return deadline;
        }
        return next;
    }
}
