package dev.piperpc.pipe;

import dev.piperpc.core.BackpressureException;
import dev.piperpc.core.Batch;
import dev.piperpc.core.Call;
import dev.piperpc.core.CallTimeoutException;
import dev.piperpc.core.ConnectionClosedException;
import dev.piperpc.core.Endpoint;
import dev.piperpc.core.JoinTimeoutException;
import dev.piperpc.core.Params;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A pool facing half-dead and stalled workers, crash loops, and settings given in one place. */
@Timeout(120)
class PoolOverloadTest {

    private static long millisSince(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }

    private static WorkerEvent next(LinkedBlockingQueue<WorkerEvent> events, WorkerEvent.Kind kind) throws InterruptedException {
        while (true) {
            WorkerEvent event = events.poll(30, TimeUnit.SECONDS);
            if (event == null) {
                throw new AssertionError("no " + kind + " event within 30 s");
            }
            if (event.kind() == kind) {
                return event;
            }
        }
    }

    @Test
    void aHalfDeadWorkerIsStoppedAndRestarted() throws InterruptedException {
        LinkedBlockingQueue<WorkerEvent> events = new LinkedBlockingQueue<>();
        try (WorkerPool pool = WorkerPool.builder(Workers.hostile("close-stdout")).size(1)
                .restartBackoff(Duration.ofMillis(10), Duration.ofMillis(100)).onEvent(events::add).start()) {
            long firstPid = next(events, WorkerEvent.Kind.STARTED).pid();
            Call<Object> call = pool.send("echo", Params.of(1), Object.class, Duration.ofSeconds(60));
            long start = System.nanoTime();
            ConnectionClosedException error = assertThrows(ConnectionClosedException.class, call::join);
            assertTrue(millisSince(start) < 10_000, "failed after " + millisSince(start) + " ms");
            assertInstanceOf(WorkerPipeClosedException.class, error.getCause());
            assertEquals(firstPid, next(events, WorkerEvent.Kind.EXITED).pid());
            assertNotEquals(firstPid, next(events, WorkerEvent.Kind.STARTED).pid(), "a new process took its place");
        }
    }

    @Test
    void closeDuringACrashLoopReturnsOnlyWhenEveryProcessItStartedHasExited() throws InterruptedException {
        for (int round = 0; round < 3; round++) {
            Set<Long> pids = ConcurrentHashMap.newKeySet();
            LinkedBlockingQueue<WorkerEvent> events = new LinkedBlockingQueue<>();
            WorkerPool pool = WorkerPool.builder(WorkerCommand.of("sh", "-c", "sleep 0.02; exit 3")).size(2)
                    .restartBackoff(Duration.ofMillis(1), Duration.ofMillis(2)).giveUpAfter(Integer.MAX_VALUE).onEvent(event -> {
                        if (event.kind() == WorkerEvent.Kind.STARTED) {
                            pids.add(event.pid());
                        }
                        events.add(event);
                    }).start();
            while (pids.size() < 6 + round * 3) {
                next(events, WorkerEvent.Kind.STARTED);
            }
            pool.close(Duration.ZERO);
            List<Long> alive = ProcessHandle.current().children().filter(ProcessHandle::isAlive).map(ProcessHandle::pid)
                    .filter(pids::contains).toList();
            assertEquals(List.of(), alive, "round " + round + ": no process of the pool outlives its close");
        }
    }

    @Test
    void aWorkerThatKeepsCrashingIsGivenUpAndCallsThenFailAtOnce() throws InterruptedException {
        LinkedBlockingQueue<WorkerEvent> events = new LinkedBlockingQueue<>();
        try (WorkerPool pool = WorkerPool.builder(WorkerCommand.of("sh", "-c", "echo 'cannot start: no config' >&2; exit 78")).size(1)
                .restartBackoff(Duration.ofMillis(1), Duration.ofMillis(5)).giveUpAfter(4).acquireTimeout(Duration.ofSeconds(30))
                .onEvent(events::add).start()) {
            int starts = 1;
            WorkerEvent event;
            while ((event = events.poll(30, TimeUnit.SECONDS)).kind() != WorkerEvent.Kind.GAVE_UP) {
                if (event.kind() == WorkerEvent.Kind.STARTED && starts++ > 4) {
                    throw new AssertionError("started again after giving up");
                }
            }
            assertTrue(event.reason().contains("4 times in a row") && event.reason().contains("exited with code 78"), event.reason());
            long start = System.nanoTime();
            ConnectionClosedException error = assertThrows(ConnectionClosedException.class,
                    () -> pool.send("echo", Params.of(1), Object.class));
            assertTrue(millisSince(start) < 5_000, "failed after " + millisSince(start) + " ms, not the 30 s acquire timeout");
            assertTrue(error.getMessage().contains("cannot start: no config"), error.getMessage());
        }
    }

    @Test
    void withRestartsOffAWorkerThatExitsCleanlyIsNotStartedAgain() throws Exception {
        LinkedBlockingQueue<WorkerEvent> events = new LinkedBlockingQueue<>();
        try (WorkerPool pool = WorkerPool.builder(Workers.javaWorker("newline")).size(1).restarts(false)
                .acquireTimeout(Duration.ofSeconds(30)).onEvent(events::add).start()) {
            assertEquals(List.of(1, "a"), pool.send("echo", Params.of(1, "a"), List.class).join());
            pool.notify("exit", Params.of(0));
            WorkerEvent exited = next(events, WorkerEvent.Kind.EXITED);
            assertTrue(exited.reason().contains("not restarted"), exited.reason());
            long start = System.nanoTime();
            ConnectionClosedException error = assertThrows(ConnectionClosedException.class,
                    () -> pool.send("echo", Params.of(2, "b"), Object.class));
            assertTrue(millisSince(start) < 5_000, "failed after " + millisSince(start) + " ms, not the 30 s acquire timeout");
            assertTrue(error.getMessage().contains("restarts are off"), error.getMessage());
            assertTrue(events.stream().noneMatch(event -> event.kind() == WorkerEvent.Kind.STARTED), "never started again: " + events);
        }
    }

    @Test
    void restartDelaysAreShortenedAtRandomWithinTheJitter() throws InterruptedException {
        LinkedBlockingQueue<WorkerEvent> events = new LinkedBlockingQueue<>();
        java.util.Set<Long> delays = new java.util.HashSet<>();
        try (WorkerPool pool = WorkerPool.builder(WorkerCommand.of("sh", "-c", "exit 3")).size(1)
                .restartBackoff(Duration.ofMillis(100), Duration.ofMillis(100)).restartJitter(0.5).giveUpAfter(6)
                .onEvent(events::add).start()) {
            WorkerEvent event;
            while ((event = next(events, WorkerEvent.Kind.EXITED)).restartDelay() != null) {
                long millis = event.restartDelay().toMillis();
                assertTrue(millis >= 50 && millis <= 100, millis + " ms is outside 100 ms less up to half");
                delays.add(millis);
            }
            assertEquals(5, pool.status().get(0).restarts(), "five restarts, then it gave up");
            assertTrue(delays.size() > 1, "the delays differ: " + delays);
        }
    }

    @Test
    void aBatchGoesToOneWorkerAndCountsAgainstItsBound() {
        try (WorkerPool pool = WorkerPool.builder(Workers.javaWorker("newline")).size(2).maxInFlightPerWorker(3)
                .acquireTimeout(Duration.ofMillis(300)).start()) {
            Batch batch = pool.batch();
            Call<Long> first = batch.add("pid", Params.none(), Long.class);
            Call<Long> second = batch.add("pid", Params.none(), Long.class);
            batch.send();
            assertEquals(first.join(), second.join(), "one batch, one worker");
            assertEquals(0, pool.inFlight(), "the batch's places were given back");

            Batch tooBig = pool.batch();
            List<Call<Long>> calls = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                calls.add(tooBig.add("pid", Params.none(), Long.class));
            }
            BackpressureException refused = assertThrows(BackpressureException.class, tooBig::send);
            assertTrue(refused.getMessage().contains("batch of 4 calls"), refused.getMessage());
            for (Call<Long> call : calls) {
                assertThrows(BackpressureException.class, call::join, "the batch's calls end with the refusal");
            }
            assertEquals(0, pool.inFlight());
        }
    }

    @Test
    void theTimeoutSetOnTheEndpointBuilderIsHonouredAndTheBuilderIsLeftAsItWas() {
        Endpoint.Builder endpoint = Endpoint.builder().defaultTimeout(Duration.ofSeconds(1));
        try (WorkerPool pool = WorkerPool.builder(WorkerCommand.of("sleep", "60").withShutdownGrace(Duration.ofMillis(200)))
                .size(1).endpoint(endpoint).closeGrace(Duration.ZERO).start()) {
            assertEquals(Duration.ofSeconds(1), pool.defaultCallTimeout());
            long start = System.nanoTime();
            assertThrows(CallTimeoutException.class, () -> pool.call("never", Params.none(), Object.class));
            assertTrue(millisSince(start) < 5_000, "timed out after " + millisSince(start) + " ms");
        }
        assertEquals(Duration.ofSeconds(1), endpoint.defaultTimeout(), "the pool did not change the builder");
    }

    @Test
    void aWorkerWhoseStdinQueueIsFullIsPassedOver(@TempDir Path dir) {
        // Two workers taken in turn; the first never reads its stdin. Once its pipe and its queue
        // are full, calls go to the other one instead of failing.
        WorkerCommand command = Workers.hostile("stall-first", dir.resolve("staller").toString()).withMaxQueuedBytes(16 * 1024);
        Endpoint.Builder endpoint = Endpoint.builder().defaultTimeout(Duration.ofSeconds(3));
        String payload = "y".repeat(8_000);
        try (WorkerPool pool = WorkerPool.builder(command).size(2).routing(Routing.ROUND_ROBIN).endpoint(endpoint)
                .closeGrace(Duration.ZERO).start()) {
            List<Call<Object>> calls = new ArrayList<>();
            for (int i = 0; i < 220; i++) {
                Call<Object> call = pool.send("echo", Params.of(i, payload), Object.class);
                calls.add(call);
                try {
                    // Paces the sends to what the live worker answers; says nothing about where the call went.
                    call.join(Duration.ofMillis(100));
                } catch (JoinTimeoutException stillPending) {
                    // on the stalled worker, or slow: told apart below, once every call has ended
                }
            }
            int answered = 0;
            int stalled = 0;
            for (Call<Object> call : calls) {
                try {
                    call.join();
                    answered++;
                } catch (CallTimeoutException onTheStalledWorker) {
                    stalled++;
                }
            }
            // The stalled worker takes what its pipe (64 KB) and its queue (16 KB) hold: about ten calls.
            assertTrue(stalled <= 20, stalled + " calls went to the stalled worker");
            assertEquals(220 - stalled, answered, "every other call was answered; none failed for backpressure");
        }
    }

}
