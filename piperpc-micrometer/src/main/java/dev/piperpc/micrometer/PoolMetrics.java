package dev.piperpc.micrometer;

import dev.piperpc.pipe.PoolListener;
import dev.piperpc.pipe.WorkerPool;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link PoolListener} that records a worker pool's calls as {@link CallMetrics} does, and what
 * the pool itself does:
 *
 * <table>
 *   <caption>Meters besides those of {@link CallMetrics}</caption>
 *   <tr><th>name</th><th>type</th><th>what</th></tr>
 *   <tr><td>{@value #RESTARTS}</td><td>counter</td><td>workers started again after they exited or hung</td></tr>
 *   <tr><td>{@value #REFUSALS}</td><td>counter</td><td>calls, batches and notifications the pool refused
 *       for backpressure (its callers got a {@code BackpressureException})</td></tr>
 *   <tr><td>{@value #WAITING}</td><td>gauge</td><td>callers waiting in {@code send} for a worker with
 *       room: the depth of the pool's queue</td></tr>
 *   <tr><td>{@value #WORKERS}</td><td>gauge</td><td>worker processes running</td></tr>
 * </table>
 *
 * <p>The pool's calls in flight are {@value CallMetrics#CALLS_IN_FLIGHT}. A call that one
 * worker's full stdin queue refused and the pool passed to another counts in
 * {@value CallMetrics#CALLS} twice: once with outcome {@code refused}, once as it ended. The
 * gauges add up every started pool this listener serves, until it closes.
 *
 * <pre>{@code
 * PoolMetrics metrics = new PoolMetrics(registry, Tags.of("pool", "thumbnails"));
 * WorkerPool pool = WorkerPool.builder(command).listener(metrics).start();
 * }</pre>
 *
 * <p>Needs {@code dev.piperpc:piperpc-pipe} on the class path. Register it with
 * {@link WorkerPool.Builder#listener} only, not also on the pool's endpoint builder, or each call
 * counts twice.
 */
public final class PoolMetrics extends CallMetrics implements PoolListener {

    /** The counter of worker restarts. */
    public static final String RESTARTS = "piperpc.pool.restarts";
    /** The counter of the pool's refusals for backpressure. */
    public static final String REFUSALS = "piperpc.pool.refusals";
    /** The gauge of callers waiting for a worker with room. */
    public static final String WAITING = "piperpc.pool.waiting";
    /** The gauge of worker processes running. */
    public static final String WORKERS = "piperpc.pool.workers";

    private final Set<WorkerPool> pools = ConcurrentHashMap.newKeySet();
    private final Counter restarts;
    private final Counter refusals;

    /** Records into {@code registry}, with no tags of its own. */
    public PoolMetrics(MeterRegistry registry) {
        this(registry, Tags.empty());
    }

    /** Records into {@code registry}, every meter carrying {@code tags}. */
    public PoolMetrics(MeterRegistry registry, Iterable<Tag> tags) {
        super(registry, tags);
        this.restarts = Counter.builder(RESTARTS).description("Workers started again after they exited or hung")
                .tags(tags()).register(registry);
        this.refusals = Counter.builder(REFUSALS).description("Calls the pool refused for backpressure")
                .tags(tags()).register(registry);
        sumGauge(WAITING, "Callers waiting for a worker with room", pools, WorkerPool::waiting);
        sumGauge(WORKERS, "Worker processes running", pools, pool -> pool.workers().size());
    }

    @Override
    public void poolStarted(WorkerPool pool) {
        pools.add(pool);
    }

    @Override
    public void poolClosed(WorkerPool pool) {
        pools.remove(pool);
    }

    @Override
    public void workerRestarted(WorkerPool pool, String worker) {
        restarts.increment();
    }

    @Override
    public void refused(WorkerPool pool, String method) {
        refusals.increment();
    }
}
