package dev.piperpc.pipe;

import dev.piperpc.core.ConnectionClosedException;
import dev.piperpc.core.Endpoint;
import dev.piperpc.core.Params;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HealthCheckTest {

    @Test
    void aWorkerThatHangsIsKilledAndRestartedAndTheNextOneServes(@TempDir Path dir) throws Exception {
        // The first process never reads its stdin; the restarted one is a normal worker.
        WorkerCommand command = Workers.hostile("stall-first", dir.resolve("staller").toString());
        List<WorkerEvent> events = new CopyOnWriteArrayList<>();
        CountDownLatch restarted = new CountDownLatch(2);
        try (WorkerPool pool = WorkerPool.builder(command).size(1)
                .endpoint(Endpoint.builder().defaultTimeout(Duration.ofSeconds(30)))
                .healthCheck("$/ping", Duration.ofMillis(200), Duration.ofMillis(500))
                .restartBackoff(Duration.ofMillis(10), Duration.ofMillis(10))
                .onEvent(event -> {
                    events.add(event);
                    if (event.kind() == WorkerEvent.Kind.STARTED) {
                        restarted.countDown();
                    }
                })
                .closeGrace(Duration.ZERO).start()) {
            var stuck = pool.send("echo", Params.of("lost"), Object.class);
            assertTrue(restarted.await(30, TimeUnit.SECONDS), "restarted: " + events);
            WorkerEvent unresponsive = events.stream().filter(e -> e.kind() == WorkerEvent.Kind.UNRESPONSIVE).findFirst().orElseThrow();
            assertTrue(unresponsive.reason().contains("left $/ping unanswered for 500 ms"), unresponsive.reason());
            assertTrue(stuck.isDone(), "the hung worker's call failed when it was killed");
            assertThrows(ConnectionClosedException.class, stuck::join);
            assertEquals(List.of("ok"), pool.call("echo", Params.of("ok"), List.class));
        }
    }

    @Test
    void aWorkerThatAnswersTheProbeWithAnErrorIsAlive() throws Exception {
        WorkerCommand command = Workers.hostile("plain");
        List<WorkerEvent> events = new CopyOnWriteArrayList<>();
        try (WorkerPool pool = WorkerPool.builder(command).size(1)
                .healthCheck("$/ping", Duration.ofMillis(50), Duration.ofSeconds(5))
                .onEvent(events::add)
                .closeGrace(Duration.ZERO).start()) {
            Endpoint endpoint = pool.workers().get(0).endpoint();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            // Idle, it is probed every 50 ms; each probe is answered "method not found".
            while (endpoint.stats().callsSent() < 5 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertTrue(endpoint.stats().callsSent() >= 5, "probed: " + endpoint.stats());
            assertTrue(events.stream().noneMatch(e -> e.kind() == WorkerEvent.Kind.UNRESPONSIVE), events.toString());
            assertEquals(List.of("still here"), pool.call("echo", Params.of("still here"), List.class));
            assertTrue(events.stream().noneMatch(e -> e.kind() == WorkerEvent.Kind.EXITED), "never restarted: " + events);
        }
    }

    @Test
    void healthCheckSettingsMustBePositive() {
        WorkerPool.Builder builder = WorkerPool.builder(WorkerCommand.of("true"));
        assertThrows(IllegalArgumentException.class, () -> builder.healthCheck("$/ping", Duration.ZERO, Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> builder.healthCheck("$/ping", Duration.ofSeconds(1), Duration.ofMillis(-1)));
    }
}
