package dev.piperpc.core.internal;

import dev.piperpc.core.PiperpcException;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/** The calls an endpoint has sent and not yet seen end, keyed by request id. */
public final class PendingTable {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(PendingTable.class);

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
        for (PendingCall<?> call : calls.values()) {
            long deadline = call.deadlineNanos();
            if (deadline - now <= 0) {
                if (calls.remove(call.numericId(), call)) {
                    expireSafely(call);
                }
            } else if (deadline - next < 0) {
                next = deadline;
            }
        }
        return next;
    }
}
