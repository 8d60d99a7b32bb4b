package dev.piperpc.pipe;

import com.fasterxml.jackson.databind.JsonNode;
import dev.piperpc.core.Call;
import dev.piperpc.core.CallCancelledException;
import dev.piperpc.core.CallTimeoutException;
import dev.piperpc.core.ConnectionClosedException;
import dev.piperpc.core.Endpoint;
import dev.piperpc.core.Params;
import dev.piperpc.core.PiperpcException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A thread that waits for the only call pending on a worker reads that worker's stdout itself.
 * These tests check what must stay true around that: every other message is still delivered,
 * other workers are never held up, and every call ends exactly once however it ends.
 */
@Timeout(120)
class SyncReadTest {

    @Test
    void aNotificationSentWhileNoCallIsPendingArrivesAfterSynchronousCalls() throws InterruptedException {
        LinkedBlockingQueue<String> notified = new LinkedBlockingQueue<>();
        Endpoint.Builder endpoint = Endpoint.builder().handler("$/progress", request -> {
            notified.add(request.params(JsonNode.class).get("token").asText());
            return null;
        });
        try (WorkerPool pool = WorkerPool.builder(Workers.hostile("plain")).size(1).endpoint(endpoint).start()) {
            for (int i = 0; i < 200; i++) {
                assertEquals(List.of(i, "x"), pool.call("echo", Params.of(i, "x"), List.class));
            }
            // Answered at once; the notification follows 50 ms later, when nothing is pending.
            assertEquals("late", pool.call("later", Params.of(50, "late"), String.class));
            assertEquals("late", notified.poll(20, TimeUnit.SECONDS));
            for (int i = 0; i < 50; i++) {
                assertEquals(List.of(i, "y"), pool.call("echo", Params.of(i, "y"), List.class));
            }
        }
    }

    @Test
    void anAsyncCallAfterSynchronousCallsIsAnsweredWithNobodyJoiningIt() throws InterruptedException {
        try (WorkerPool pool = WorkerPool.builder(Workers.hostile("plain")).size(1).start()) {
            for (int i = 0; i < 200; i++) {
                assertEquals(List.of(i), pool.call("echo", Params.of(i), List.class));
            }
            CountDownLatch answered = new CountDownLatch(1);
            List<Object> result = new ArrayList<>();
            pool.send("echo", Params.of("async"), List.class).whenDone((value, error) -> {
                result.add(value != null ? value : error);
                answered.countDown();
            });
            assertTrue(answered.await(20, TimeUnit.SECONDS), "answered without a join");
            assertEquals(List.of(List.of("async")), result);
        }
    }

    @Test
    void aBurstOfAsyncCallsAfterSynchronousCallsIsAnsweredWithNobodyJoiningThem() throws InterruptedException {
        try (WorkerPool pool = WorkerPool.builder(Workers.hostile("plain")).size(1).start()) {
            for (int i = 0; i < 200; i++) {
                assertEquals(List.of(i), pool.call("echo", Params.of(i), List.class));
            }
            int burst = 50;
            CountDownLatch answered = new CountDownLatch(burst);
            List<Object> results = Collections.synchronizedList(new ArrayList<>());
            for (int i = 0; i < burst; i++) {
                pool.send("echo", Params.of(i), List.class).whenDone((value, error) -> {
                    results.add(value != null ? value : error);
                    answered.countDown();
                });
            }
            assertTrue(answered.await(20, TimeUnit.SECONDS), "answered without a join");
            List<Object> expected = new ArrayList<>();
            for (int i = 0; i < burst; i++) {
                expected.add(List.of(i));
            }
            assertEquals(Set.copyOf(expected), Set.copyOf(results));
            assertEquals(burst, results.size());
            // The synchronous path is still taken after the burst.
            assertEquals(List.of("again"), pool.call("echo", Params.of("again"), List.class));
        }
    }

    @Test
    void aThreadWaitingOnOneWorkerNeverHoldsUpAnother() throws Exception {
        try (WorkerPool slow = WorkerPool.builder(Workers.javaWorker("newline")).size(1).closeGrace(Duration.ZERO).start();
             WorkerPool fast = WorkerPool.builder(Workers.hostile("plain")).size(1).start()) {
            assertEquals(List.of(0, "warm"), slow.call("echo", Params.of(0, "warm"), List.class));
            ExecutorService caller = Executors.newSingleThreadExecutor();
            try {
                Future<Long> sleeping = caller.submit(() -> slow.call("sleep", Params.of(20_000), Long.class));
                awaitPending(slow);
                // The sleeping call's thread reads the slow worker; the fast one is served meanwhile.
                List<Call<List>> calls = new ArrayList<>();
                for (int i = 0; i < 100; i++) {
                    calls.add(fast.send("echo", Params.of(i), List.class));
                }
                for (int i = 0; i < 100; i++) {
                    assertEquals(List.of(i), calls.get(i).join(Duration.ofSeconds(15)));
                }
                assertFalse(sleeping.isDone(), "the slow call is still running");
                sleeping.cancel(true);
            } finally {
                caller.shutdownNow();
            }
        }
    }

    @Test
    void theWorkerExitingEndsTheCallOfTheThreadReadingIt() {
        try (WorkerPool pool = WorkerPool.builder(Workers.javaWorker("newline")).size(1).closeGrace(Duration.ZERO).start()) {
            assertEquals(List.of(1, "a"), pool.call("echo", Params.of(1, "a"), List.class));
            long started = System.nanoTime();
            PiperpcException exited = assertThrows(PiperpcException.class,
                    () -> pool.workers().get(0).endpoint().call("exit", Params.of(3), Object.class));
            assertInstanceOf(ConnectionClosedException.class, exited, exited.toString());
            assertTrue(exited.getMessage().contains("exit"), exited.getMessage());
            assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(25), "ended by the exit, not a timeout");
        }
    }

    @Test
    void aCancelATimeoutOrAnInterruptEndsTheWaitOfTheThreadReading() throws Exception {
        try (WorkerPool pool = WorkerPool.builder(Workers.javaWorker("newline")).size(1).start()) {
            assertEquals(List.of(0, "warm"), pool.call("echo", Params.of(0, "warm"), List.class));

            assertThrows(CallTimeoutException.class,
                    () -> pool.send("sleep", Params.of(10_000), Long.class, Duration.ofMillis(200)).join());

            Call<Long> cancelled = pool.send("sleep", Params.of(10_000), Long.class);
            ExecutorService canceller = Executors.newSingleThreadExecutor();
            try {
                canceller.submit(() -> {
                    awaitPending(pool);
                    Thread.sleep(100);
                    return cancelled.cancel();
                });
                assertThrows(CallCancelledException.class, cancelled::join);
            } finally {
                canceller.shutdownNow();
            }

            Call<Long> interrupted = pool.send("sleep", Params.of(300), Long.class);
            Thread waiting = Thread.currentThread();
            Thread interrupter = new Thread(() -> {
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
                waiting.interrupt();
            });
            interrupter.start();
            PiperpcException stopped = assertThrows(PiperpcException.class, interrupted::join);
            assertTrue(Thread.interrupted(), "the interrupt is kept");
            assertTrue(stopped.getMessage().contains("interrupted"), stopped.getMessage());
            interrupter.join();
            // The call goes on without its reader, and ends with its answer.
            assertEquals(300L, interrupted.join(Duration.ofSeconds(20)));
            assertEquals(List.of(2, "after"), pool.call("echo", Params.of(2, "after"), List.class));
        }
    }

    @Test
    void sixtyFourThreadsOfMixedCallsEndEveryCallExactlyOnce() throws Exception {
        int threads = 64;
        int rounds = 60;
        Map<Call<?>, AtomicInteger> ends = new ConcurrentHashMap<>();
        AtomicInteger made = new AtomicInteger();
        AtomicInteger wrong = new AtomicInteger();
        try (WorkerPool pool = WorkerPool.builder(Workers.javaWorker("newline")).size(2).start()) {
            ExecutorService callers = Executors.newFixedThreadPool(threads);
            List<Future<?>> running = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                running.add(callers.submit(() -> {
                    ThreadLocalRandom random = ThreadLocalRandom.current();
                    for (int i = 0; i < rounds; i++) {
                        int kind = random.nextInt(5);
                        Call<?> call = switch (kind) {
                            case 0, 1 -> pool.send("echo", Params.of(i, "s"), List.class);
                            case 2 -> pool.send("sleep", Params.of(random.nextInt(3)), Long.class);
                            case 3 -> pool.send("sleep", Params.of(10_000), Long.class, Duration.ofMillis(20));
                            default -> pool.send("sleep", Params.of(50), Long.class);
                        };
                        made.incrementAndGet();
                        AtomicInteger count = new AtomicInteger();
                        ends.put(call, count);
                        call.whenDone((result, error) -> count.incrementAndGet());
                        try {
                            switch (kind) {
                                case 0, 1 -> {
                                    if (!List.of(i, "s").equals(call.join())) {
                                        wrong.incrementAndGet();
                                    }
                                }
                                case 2 -> call.join();
                                case 3 -> assertThrows(CallTimeoutException.class, call::join);
                                default -> {
                                    call.cancel();
                                    assertThrows(CallCancelledException.class, call::join);
                                }
                            }
                        } catch (CallCancelledException | CallTimeoutException e) {
                            wrong.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> future : running) {
                future.get(100, TimeUnit.SECONDS);
            }
            callers.shutdown();
            assertEquals(0, wrong.get(), "calls that ended wrongly");
            assertEquals(threads * rounds, made.get());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (ends.values().stream().anyMatch(count -> count.get() == 0) && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertTrue(ends.keySet().stream().allMatch(Call::isDone), "every call ended");
            assertTrue(ends.values().stream().allMatch(count -> count.get() == 1), "every call's callback ran once");
            assertEquals(List.of(1, "end"), pool.call("echo", Params.of(1, "end"), List.class));
        }
    }

    /** Waits until the pool has a call in flight. */
    private static void awaitPending(WorkerPool pool) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (pool.workers().get(0).endpoint().stats().callsPending() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
    }
}
