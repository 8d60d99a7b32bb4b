package dev.piperpc.core.internal;

import dev.piperpc.core.message.Id;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The requests from the peer that are waiting or running here, keyed by their id, so that a
 * cancellation finds them. A peer's ids are most often consecutive numbers, so a request with a
 * {@code long} id goes into the slot of a ring that its id names ({@code id} modulo
 * {@value #SLOTS}): adding it (on the reading thread) and removing it once answered (on the thread
 * that ran it) is one compare-and-set on that slot, with no boxed key and no count shared by the
 * two. Other ids, and requests whose slot an older request still holds, go into a map. The count
 * is two sums, one of the threads that add and one of those that remove. Any thread.
 *
 * @param <C> what is kept of a request, which knows its id
 */
public final class RunningCalls<C> {

    /** The slots of the ring; a power of two. */
    static final int SLOTS = 1024;

    private final AtomicReferenceArray<C> ring = new AtomicReferenceArray<>(SLOTS);
    private final ConcurrentHashMap<Id, C> others = new ConcurrentHashMap<>();
    private final LongAdder added = new LongAdder();
    private final LongAdder removed = new LongAdder();
    private final Function<C, Id> idOf;

    /** Requests whose ids {@code idOf} tells. */
    public RunningCalls(Function<C, Id> idOf) {
        this.idOf = idOf;
    }

    /** Adds {@code call}, a request with id {@code id}. */
    public void put(Id id, C call) {
        if (!id.isLong() || !ring.compareAndSet(slot(id.asLong()), null, call)) {
            others.put(id, call);
        }
        added.increment();
    }

    /** Removes {@code call}, added under {@code id}, if it is here. */
    public void remove(Id id, C call) {
        boolean was = id.isLong() && ring.get(slot(id.asLong())) == call
                ? ring.compareAndSet(slot(id.asLong()), call, null)
                : others.remove(id, call);
        if (was) {
            removed.increment();
        }
    }

    /** A request with id {@code id} that is here, or {@code null}. */
    public C get(Id id) {
        if (id.isLong()) {
            C call = ring.get(slot(id.asLong()));
            if (call != null && idOf.apply(call).equals(id)) {
                return call;
            }
        }
        return others.isEmpty() ? null : others.get(id);
    }

    /** The number of requests here (exact when none is being added or removed meanwhile). */
    public int size() {
        return (int) Math.max(0, added.sum() - removed.sum());
    }

    /** Calls {@code action} with every request here, at some moment while this runs. */
    public void forEach(Consumer<C> action) {
        for (int i = 0; i < SLOTS; i++) {
            C call = ring.get(i);
            if (call != null) {
                action.accept(call);
            }
        }
        others.values().forEach(action);
    }

    private static int slot(long id) {
        return (int) id & (SLOTS - 1);
    }
}
