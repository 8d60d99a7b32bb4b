package dev.piperpc.pipe;

import dev.piperpc.core.listen.CallListener;

/**
 * Hears what a {@link WorkerPool} does, for metrics: the calls on each worker's connection (as a
 * {@link CallListener}, connections named after the workers), and what only the pool knows: when
 * it starts and closes (read gauges such as {@link WorkerPool#inFlight()} and
 * {@link WorkerPool#waiting()} in between), the restarts of its workers, and the calls it refuses
 * for backpressure. Registered with {@link WorkerPool.Builder#listener}; every method does nothing
 * unless overridden.
 *
 * <p>A call that one worker's full stdin queue refuses and the pool then passes to another worker
 * is reported on the first worker's connection as a call ended with
 * {@link dev.piperpc.core.listen.CallOutcome.Kind#REFUSED}, and as a call on the second; the
 * pool's own refusals, which its callers see, are {@link #refused}.
 *
 * <p>Threads: as for {@link CallListener}, methods may run on the reactor thread and must be
 * quick and never block; the pool's own events come from the thread that starts or closes the
 * pool, the shared executor (restarts) and callers' threads (refusals). What a method throws is
 * logged and otherwise ignored.
 */
public interface PoolListener extends CallListener {

    /** {@code pool} has started its workers; its gauges may be read from now until {@link #poolClosed}. */
    default void poolStarted(WorkerPool pool) {
    }

    /** {@code pool} has closed: every worker it started has exited. Told once. */
    default void poolClosed(WorkerPool pool) {
    }

    /**
     * A worker of {@code pool} exited (or was found hung and killed) and was started again; told
     * before the new process is given calls.
     */
    default void workerRestarted(WorkerPool pool, String worker) {
    }

    /**
     * {@code pool} refused a call, batch or notification for backpressure: its caller got a
     * {@link dev.piperpc.core.BackpressureException}, because no worker had room within the
     * acquire timeout or every worker's stdin queue was full.
     *
     * @param method the method of the call or notification, or {@code null} for a batch
     */
    default void refused(WorkerPool pool, String method) {
    }
}
