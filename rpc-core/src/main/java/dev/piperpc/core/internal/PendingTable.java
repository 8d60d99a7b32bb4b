package dev.piperpc.core.internal;

import dev.piperpc.core.PiperpcException;
import dev.piperpc.core.message.Id;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * The calls an endpoint has sent and not yet seen end, keyed by request id: the ids it chose
 * itself (numbers from 1 up), and apart from those the ids callers chose (any id; rare, so the
 * hot path looks at them only when there are some).
 */
public final class PendingTable {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(PendingTable.class);

    private final ConcurrentHashMap<Long, PendingCall<?>> calls = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Id, PendingCall<?>> chosen = new ConcurrentHashMap<>();
    private final AtomicLong nextId = new AtomicLong(1);

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
            calls.put(call.numericId(), call);
            return;
        }
        if (wireId.isLong() && calls.containsKey(wireId.asLong()) || chosen.putIfAbsent(wireId, call) != null) {
            throw new IllegalStateException("a call with id " + wireId + " is in flight on this connection already");
        }
    }

    /** Removes and returns the call that a response with {@code id} answers, or {@code null}. */
    public PendingCall<?> removeAnswered(Id id) {
        if (!chosen.isEmpty()) {
            PendingCall<?> call = chosen.remove(id);
            if (call != null) {
                return call;
            }
        }
        return id.isLong() ? calls.remove(id.asLong()) : null;
    }

    /** The pending call a response with {@code id} would answer, left pending; or {@code null}. */
    public PendingCall<?> get(Id id) {
        if (!chosen.isEmpty()) {
            PendingCall<?> call = chosen.get(id);
            if (call != null) {
                return call;
            }
        }
        return id.isLong() ? calls.get(id.asLong()) : null;
    }

    /** Removes {@code call}; whether it was pending. */
    public boolean remove(PendingCall<?> call) {
        return call.chosenId() == null ? calls.remove(call.numericId(), call) : chosen.remove(call.chosenId(), call);
    }

    /** Number of pending calls. */
    public int size() {
        return calls.size() + chosen.size();
    }

    /** Removes every call and ends it with the error {@code errorFor} gives. */
    public void failAll(Function<PendingCall<?>, PiperpcException> errorFor) {
        List<PendingCall<?>> failed = new ArrayList<>(calls.values());
        failed.addAll(chosen.values());
        for (PendingCall<?> call : failed) {
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
        long next = expire(calls.values(), now, now + horizon);
        return chosen.isEmpty() ? next : expire(chosen.values(), now, next);
    }

    private long expire(Iterable<PendingCall<?>> pending, long now, long next) {
        for (PendingCall<?> call : pending) {
            long deadline = call.deadlineNanos();
            if (deadline - now <= 0) {
                if (remove(call)) {
                    expireSafely(call);
                }
            } else if (deadline - next < 0) {
                next = deadline;
            }
        }
        return next;
    }
}
