package dev.piperpc.core.internal;

import dev.piperpc.core.PiperpcException;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/** The calls an endpoint has sent and not yet seen end, keyed by request id. */
public final class PendingTable {

    private final ConcurrentHashMap<Long, PendingCall<?>> calls = new ConcurrentHashMap<>();
    private final AtomicLong nextId = new AtomicLong(1);

    /** A fresh request id. */
    public long nextId() {
        return nextId.getAndIncrement();
    }

    /** Adds a call. */
    public void put(PendingCall<?> call) {
        calls.put(call.numericId(), call);
    }

    /** Removes and returns the call with this id, or {@code null}. */
    public PendingCall<?> remove(long id) {
        return calls.remove(id);
    }

    /** Number of pending calls. */
    public int size() {
        return calls.size();
    }

    /** Removes every call and ends it with the error {@code errorFor} gives. */
    public void failAll(Function<PendingCall<?>, PiperpcException> errorFor) {
        List<PendingCall<?>> failed = new ArrayList<>(calls.values());
        for (PendingCall<?> call : failed) {
            calls.remove(call.numericId());
            call.fail(errorFor.apply(call));
        }
    }

    /**
     * Ends the calls whose deadline has passed.
     *
     * @return the earliest deadline among the calls left, or {@code now + horizon} if that is sooner
     */
    public long expire(long now, long horizon) {
        long next = now + horizon;
        for (PendingCall<?> call : calls.values()) {
            long deadline = call.deadlineNanos();
            if (deadline - now <= 0) {
                if (calls.remove(call.numericId(), call)) {
                    call.expire();
                }
            } else if (deadline - next < 0) {
                next = deadline;
            }
        }
        return next;
    }
}
