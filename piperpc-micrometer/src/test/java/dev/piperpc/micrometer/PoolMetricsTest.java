package dev.piperpc.micrometer;

import dev.piperpc.core.BackpressureException;
import dev.piperpc.core.ConnectionClosedException;
import dev.piperpc.core.Params;
import dev.piperpc.pipe.WorkerCommand;
import dev.piperpc.pipe.WorkerPool;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** A pool of real worker processes recording into a registry. */
@Timeout(120)
class PoolMetricsTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    /** The Python standard-library worker of the samples. */
    private static WorkerCommand python() {
        return WorkerCommand.of("python3", Path.of("..", "samples", "python", "worker.py").toAbsolutePath().normalize().toString());
    }

    @Test
    void callsRestartsAndGauges() {
        PoolMetrics metrics = new PoolMetrics(registry);
        try (WorkerPool pool = WorkerPool.builder(python()).size(1).listener(metrics)
                .restartBackoff(Duration.ofMillis(50), Duration.ofSeconds(1)).restartJitter(0).start()) {
            assertEquals(1.0, registry.get(PoolMetrics.WORKERS).gauge().value());
            long firstPid = pool.call("pid", Params.none(), Long.class);
            assertThrows(ConnectionClosedException.class, () -> pool.call("exit", Params.of(3), Object.class));
            // The restart is counted before the new worker takes a call.
            assertNotEquals(firstPid, pool.call("pid", Params.none(), Long.class));
            assertEquals(1, registry.get(PoolMetrics.RESTARTS).counter().count());

            assertEquals(2, registry.get(CallMetrics.CALLS).tags("method", "pid", "outcome", "result").timer().count());
            assertEquals(1, registry.get(CallMetrics.CALLS).tags("method", "exit", "outcome", "connection_closed").timer().count());
            assertEquals(0.0, registry.get(CallMetrics.CALLS_IN_FLIGHT).gauge().value());
            assertEquals(0.0, registry.get(PoolMetrics.WAITING).gauge().value());
            assertEquals(1.0, registry.get(PoolMetrics.WORKERS).gauge().value());
        }
        assertEquals(0.0, registry.get(PoolMetrics.WORKERS).gauge().value(), "a closed pool is no longer counted");
    }

    @Test
    void refusalsAreCounted() {
        PoolMetrics metrics = new PoolMetrics(registry);
        try (WorkerPool pool = WorkerPool.builder(WorkerCommand.of("sleep", "60").withShutdownGrace(Duration.ofMillis(200)))
                .size(1).maxInFlightPerWorker(1).acquireTimeout(Duration.ofMillis(100)).closeGrace(Duration.ZERO)
                .listener(metrics).start()) {
            pool.send("never", Params.none(), Object.class);
            assertEquals(1.0, registry.get(CallMetrics.CALLS_IN_FLIGHT).gauge().value());
            assertThrows(BackpressureException.class, () -> pool.send("never", Params.none(), Object.class));
            assertThrows(BackpressureException.class, () -> pool.send("never", Params.none(), Object.class));
            assertEquals(2, registry.get(PoolMetrics.REFUSALS).counter().count());
        }
        assertEquals(0.0, registry.get(CallMetrics.CALLS_IN_FLIGHT).gauge().value(), "the pending call ended at the close");
        assertEquals(1, registry.get(CallMetrics.CALLS).tags("method", "never", "outcome", "connection_closed").timer().count());
    }
}
