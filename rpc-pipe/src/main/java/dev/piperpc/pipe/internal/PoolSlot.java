package dev.piperpc.pipe.internal;

import dev.piperpc.core.Call;
import dev.piperpc.core.Endpoint;
import dev.piperpc.pipe.WorkerProcess;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * One place in a worker pool: the current process of that worker, its calls in flight, and what
 * its supervisor needs to pace restarts. Fields are read from any thread.
 */
public final class PoolSlot {

    final int index;
    final String name;
    final AtomicInteger inFlight = new AtomicInteger();
    volatile WorkerProcess worker;
    volatile long startedAt;
    /** Guarded by this slot. */
    int consecutiveFailures;
    volatile int restarts;
    /** The health check's last probe of this slot's worker, or {@code null}. */
    volatile Call<?> probe;

    PoolSlot(int index, String name) {
        this.index = index;
        this.name = name;
    }

    /** The slot's name, such as {@code worker-0}. */
    public String name() {
        return name;
    }

    /** The process of this slot, or {@code null} while it is being restarted. */
    public WorkerProcess worker() {
        return worker;
    }

    /** Calls in flight on this slot's worker. */
    public int inFlight() {
        return inFlight.get();
    }

    /** How many times this slot's worker was restarted. */
    public int restarts() {
        return restarts;
    }

    /**
     * Whether a message may go to this slot: its worker is connected, has not {@code refused}
     * the message, and (if {@code writableOnly}) its stdin queue is below its low-water mark.
     */
    boolean usable(boolean[] refused, boolean writableOnly) {
        WorkerProcess current = worker;
        if (current == null || (refused != null && refused[index])) {
            return false;
        }
        Endpoint endpoint = current.endpoint();
        return !endpoint.isClosed() && (!writableOnly || endpoint.isWritable());
    }
}
