package dev.piperpc.pipe;

import dev.piperpc.core.BackpressureException;
import dev.piperpc.core.Batch;
import dev.piperpc.core.Call;
import dev.piperpc.core.ConnectionClosedException;
import dev.piperpc.core.Params;
import dev.piperpc.core.listen.CallOutcome;
import dev.piperpc.core.message.Id;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A pool's listener, with real worker processes: calls on each worker, restarts, refusals, start and close. */
@Timeout(120)
class PoolListenerTest {

    /** Counts what it hears by name, such as {@code "callEnded exit CONNECTION_CLOSED"}. */
    static final class Recording implements PoolListener {
        final Map<String, LongAdder> counts = new ConcurrentHashMap<>();
        final List<String> restarted = new CopyOnWriteArrayList<>();
        final List<String> connections = new CopyOnWriteArrayList<>();
        final AtomicReference<WorkerPool> started = new AtomicReference<>();
        final CountDownLatch restart = new CountDownLatch(1);

        void count(String key) {
            counts.computeIfAbsent(key, k -> new LongAdder()).increment();
        }

        long times(String... key) {
            LongAdder adder = counts.get(String.join(" ", key));
            return adder == null ? 0 : adder.sum();
        }

        @Override
        public void callStarted(String connection, String method, Id id) {
            connections.add(connection);
            count("callStarted");
        }

        @Override
        public void callEnded(String connection, String method, Id id, CallOutcome outcome, long durationNanos) {
            count("callEnded");
            count("callEnded " + method + " " + outcome.kind());
        }

        @Override
        public void poolStarted(WorkerPool pool) {
            started.set(pool);
            count("poolStarted");
        }

        @Override
        public void poolClosed(WorkerPool pool) {
            assertSame(started.get(), pool);
            count("poolClosed");
        }

        @Override
        public void workerRestarted(WorkerPool pool, String worker) {
            restarted.add(worker);
            restart.countDown();
        }

        @Override
        public void refused(WorkerPool pool, String method) {
            count("refused " + method);
        }
    }

    @Test
    void aRestartIsReportedAndTheCallsOnEachWorkerProcessToo() throws InterruptedException {
        Recording heard = new Recording();
        WorkerPool pool = WorkerPool.builder(Workers.python()).size(1).listener(heard)
                .restartBackoff(Duration.ofMillis(50), Duration.ofSeconds(1)).restartJitter(0).start();
        try {
            assertSame(pool, heard.started.get());
            long firstPid = pool.call("pid", Params.none(), Long.class);
            assertThrows(ConnectionClosedException.class, () -> pool.call("exit", Params.of(7), Object.class));
            assertTrue(heard.restart.await(30, TimeUnit.SECONDS), "no restart reported");
            assertNotEquals(firstPid, pool.call("pid", Params.none(), Long.class));
            assertEquals(List.of("worker-0"), heard.restarted);
        } finally {
            pool.close();
        }
        assertEquals(1, heard.times("poolStarted"));
        assertEquals(1, heard.times("poolClosed"));
        assertEquals(3, heard.times("callStarted"));
        assertEquals(3, heard.times("callEnded"));
        assertEquals(2, heard.times("callEnded", "pid", "RESULT"));
        assertEquals(1, heard.times("callEnded", "exit", "CONNECTION_CLOSED"));
        assertEquals(List.of("worker-0", "worker-0", "worker-0"), heard.connections);
        pool.close();
        assertEquals(1, heard.times("poolClosed"), "told once");
    }

    @Test
    void refusalsForBackpressureAreReportedAndTheWaitingGaugeRisesAndFalls() throws Exception {
        Recording heard = new Recording();
        try (WorkerPool pool = WorkerPool.builder(WorkerCommand.of("sleep", "60").withShutdownGrace(Duration.ofMillis(200)))
                .size(1).maxInFlightPerWorker(2).acquireTimeout(Duration.ofSeconds(2)).closeGrace(Duration.ZERO)
                .listener(heard).start()) {
            List<Call<Object>> pending = List.of(pool.send("never", Params.none(), Object.class),
                    pool.send("never", Params.none(), Object.class));
            assertEquals(0, pool.waiting());

            AtomicReference<Throwable> waiter = new AtomicReference<>();
            Thread caller = new Thread(() -> {
                try {
                    pool.send("more", Params.none(), Object.class);
                } catch (Throwable e) {
                    waiter.set(e);
                }
            });
            caller.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (pool.waiting() == 0 && System.nanoTime() < deadline && caller.isAlive()) {
                Thread.sleep(1);
            }
            assertEquals(1, pool.waiting(), "the caller waits for room");
            caller.join(30_000);
            assertTrue(waiter.get() instanceof BackpressureException, String.valueOf(waiter.get()));
            assertEquals(0, pool.waiting());
            assertEquals(1, heard.times("refused", "more"));

            Batch batch = pool.batch();
            for (int i = 0; i < 3; i++) {
                batch.add("batched", Params.none(), Object.class);
            }
            assertThrows(BackpressureException.class, batch::send);
            assertEquals(1, heard.times("refused", "null"), "a batch is refused as a whole");
            assertEquals(2, heard.times("callStarted"), "refused calls never started on a worker");
            assertEquals(0, heard.times("callEnded"));
            assertEquals(2, pool.inFlight());
            pending.forEach(call -> assertTrue(!call.isDone()));
        }
        assertEquals(2, heard.times("callEnded", "never", "CONNECTION_CLOSED"));
        assertEquals(1, heard.times("poolClosed"));
    }
}
