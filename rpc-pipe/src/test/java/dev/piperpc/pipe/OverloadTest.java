package dev.piperpc.pipe;

import dev.piperpc.core.BackpressureException;
import dev.piperpc.core.Call;
import dev.piperpc.core.CallTimeoutException;
import dev.piperpc.core.CompletionQueue;
import dev.piperpc.core.ConnectionClosedException;
import dev.piperpc.core.Endpoint;
import dev.piperpc.core.EndpointStats;
import dev.piperpc.core.Params;
import dev.piperpc.core.ProtocolException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Workers that are too much (floods, junk, more requests than handlers) or half dead (a closed
 * stdout or stdin), in both I/O modes. The test JVM runs with a 256 MB heap (see the pom), so a
 * queue without a bound would end these tests with {@link OutOfMemoryError}.
 */
@Timeout(120)
class OverloadTest {

    private final StartedWorkers workers = new StartedWorkers();

    @AfterEach
    void stopAll() {
        workers.stopAll();
    }

    private WorkerProcess start(WorkerCommand command, IoMode mode, Endpoint.Builder endpoint) {
        return workers.start(command, mode, endpoint);
    }

    private static long millisSince(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }

    private static long usedHeapAfterGc() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    @ParameterizedTest
    @EnumSource(value = IoMode.class, names = {"SELECTOR", "THREADS"})
    void aFloodBehindASlowHandlerIsReadOnlyAsFastAsItIsHandled(IoMode mode) throws InterruptedException {
        AtomicLong handled = new AtomicLong();
        int bound = 256;
        Endpoint.Builder endpoint = Endpoint.builder().maxQueuedIncoming(bound).handler("$/progress", request -> {
            Thread.sleep(1);
            handled.incrementAndGet();
            return null;
        });
        WorkerProcess worker = start(Workers.hostile("flood"), mode, endpoint);
        long heapBefore = usedHeapAfterGc();
        List<Call<Object>> echoes = new ArrayList<>();
        long maxWaiting = 0;
        long start = System.nanoTime();
        for (int i = 0; millisSince(start) < 3_000; i++) {
            echoes.add(worker.endpoint().send("echo", Params.of(i), Object.class, Duration.ofSeconds(60)));
            maxWaiting = Math.max(maxWaiting, worker.endpoint().stats().incomingWaiting());
            Thread.sleep(20);
        }
        for (int i = 0; i < echoes.size(); i++) {
            assertEquals(List.of(i), echoes.get(i).join(), "calls complete while the flood goes on");
        }
        EndpointStats stats = worker.endpoint().stats();
        assertTrue(stats.readPauses() > 0, "reading paused: " + stats);
        // What waits is the bound plus at most one read (64 KB) of ~80-byte notifications.
        assertTrue(maxWaiting <= bound + 1_000, "at most " + maxWaiting + " waited");
        long heapGrowth = usedHeapAfterGc() - heapBefore;
        assertTrue(heapGrowth < 32L << 20, "the heap grew by " + (heapGrowth >> 20) + " MB");
        assertTrue(handled.get() > 0);
    }

    @ParameterizedTest
    @EnumSource(value = IoMode.class, names = {"SELECTOR", "THREADS"})
    void junkIsNotAnsweredWhileTheWorkersQueueIsCongestedAndTheRealAnswerArrives(IoMode mode) {
        WorkerCommand command = Workers.hostile("junk").withMaxQueuedBytes(64 * 1024);
        WorkerProcess worker = start(command, mode, Endpoint.builder());
        int junk = 100_000;
        // The worker writes 100,000 junk lines without reading its stdin, then its answer.
        assertEquals(junk, worker.endpoint().call("junk", Params.of(junk), Integer.class));
        EndpointStats stats = worker.endpoint().stats();
        assertEquals(junk, stats.invalidMessages(), "every junk line is counted");
        assertTrue(stats.repliesNotSent() > 0, "answers to junk stopped while the worker did not read: " + stats);
        assertEquals(List.of(1, "after"), worker.endpoint().call("echo", Params.of(1, "after"), Object.class));
    }

    @ParameterizedTest
    @EnumSource(value = IoMode.class, names = {"SELECTOR", "THREADS"})
    void aWorkerThatClosesItsStdoutFailsItsCallsAtOnceAndIsStopped(IoMode mode) {
        WorkerProcess worker = start(Workers.hostile("close-stdout"), mode, Endpoint.builder());
        Call<Object> call = worker.endpoint().send("echo", Params.of(1), Object.class, Duration.ofSeconds(60));
        long start = System.nanoTime();
        ConnectionClosedException error = assertThrows(ConnectionClosedException.class, call::join);
        assertTrue(millisSince(start) < 10_000, "failed after " + millisSince(start) + " ms, not the 60 s timeout");
        WorkerPipeClosedException cause = assertInstanceOf(WorkerPipeClosedException.class, error.getCause(), error.toString());
        assertEquals(WorkerPipeClosedException.Pipe.STDOUT, cause.pipe());
        assertTrue(error.getMessage().contains("closed its stdout while the process is alive"), error.getMessage());
        assertNotNull(worker.awaitExit(Duration.ofSeconds(10)), "the half-dead worker was stopped");
    }

    @ParameterizedTest
    @EnumSource(value = IoMode.class, names = {"SELECTOR", "THREADS"})
    void aWorkerThatClosesItsStdinFailsItsCallsAtOnceAndIsStopped(IoMode mode) throws InterruptedException {
        CountDownLatch ready = new CountDownLatch(1);
        Endpoint.Builder endpoint = Endpoint.builder().handler("ready", request -> {
            ready.countDown();
            return null;
        });
        WorkerProcess worker = start(Workers.hostile("close-stdin"), mode, endpoint);
        assertTrue(ready.await(30, TimeUnit.SECONDS));
        Call<Object> call = worker.endpoint().send("echo", Params.of(1), Object.class, Duration.ofSeconds(60));
        long start = System.nanoTime();
        ConnectionClosedException error = assertThrows(ConnectionClosedException.class, call::join);
        assertTrue(millisSince(start) < 10_000, "failed after " + millisSince(start) + " ms, not the 60 s timeout");
        WorkerPipeClosedException cause = assertInstanceOf(WorkerPipeClosedException.class, error.getCause(), error.toString());
        assertEquals(WorkerPipeClosedException.Pipe.STDIN, cause.pipe());
        assertNotNull(worker.awaitExit(Duration.ofSeconds(10)), "the half-dead worker was stopped");
    }

    @ParameterizedTest
    @EnumSource(value = IoMode.class, names = {"SELECTOR", "THREADS"})
    void callsEndByTheirDeadlineWhenTheWorkersStdinIsFull(IoMode mode) throws InterruptedException {
        WorkerCommand silent = WorkerCommand.of("sleep", "3600").withMaxQueuedBytes(16 * 1024);
        WorkerProcess worker = start(silent, mode, Endpoint.builder());
        String payload = "x".repeat(200);
        Map<Call<Object>, Long> deadlines = new ConcurrentHashMap<>();
        Map<Call<Object>, Long> endedAt = new ConcurrentHashMap<>();
        CountDownLatch allEnded;
        BackpressureException refused = null;
        List<Call<Object>> calls = new ArrayList<>();
        for (int i = 0; i < 100_000 && refused == null; i++) {
            try {
                long sentAt = System.nanoTime();
                Call<Object> call = worker.endpoint().send("echo", Params.of(i, payload), Object.class, Duration.ofMillis(1_500));
                deadlines.put(call, sentAt + TimeUnit.MILLISECONDS.toNanos(1_500));
                calls.add(call);
            } catch (BackpressureException e) {
                refused = e;
            }
        }
        assertNotNull(refused, "the worker's stdin queue filled up");
        assertTrue(calls.size() > 10, calls.size() + " calls were taken");
        allEnded = new CountDownLatch(calls.size());
        for (Call<Object> call : calls) {
            call.whenDone((result, error) -> {
                endedAt.put(call, System.nanoTime());
                allEnded.countDown();
            });
        }
        assertTrue(calls.get(0).cancel(), "cancelling while the queue is full ends the call");
        assertTrue(allEnded.await(30, TimeUnit.SECONDS), "every call ended");
        for (Call<Object> call : calls.subList(1, calls.size())) {
            assertThrows(CallTimeoutException.class, call::join);
            long late = TimeUnit.NANOSECONDS.toMillis(endedAt.get(call) - deadlines.get(call));
            assertTrue(late < 1_000, call + " ended " + late + " ms after its deadline");
        }
    }

    @ParameterizedTest
    @EnumSource(value = IoMode.class, names = {"SELECTOR", "THREADS"})
    void notificationsBeforeAResponseAreHandledBeforeItsCallIsSeenDone(IoMode mode) throws InterruptedException {
        Map<String, AtomicInteger> progress = new ConcurrentHashMap<>();
        Endpoint.Builder endpoint = Endpoint.builder().handler("$/progress", request -> {
            Map<?, ?> params = request.params(Map.class);
            Thread.sleep(0, 200_000);
            progress.computeIfAbsent((String) params.get("token"), token -> new AtomicInteger()).incrementAndGet();
            return null;
        });
        WorkerProcess worker = start(Workers.hostile("progress"), mode, endpoint);
        CompletionQueue<String> arrivals = new CompletionQueue<>();
        AtomicInteger callbacksTooEarly = new AtomicInteger();
        CountDownLatch callbacks = new CountDownLatch(200);
        for (int i = 0; i < 200; i++) {
            String token = "t" + i;
            Call<String> call = worker.endpoint().send("work", Params.of(token), String.class);
            call.whenDone((result, error) -> {
                if (progress.getOrDefault(token, new AtomicInteger()).get() != 3) {
                    callbacksTooEarly.incrementAndGet();
                }
                callbacks.countDown();
            });
            arrivals.add(call);
        }
        for (int i = 0; i < 200; i++) {
            String token = arrivals.take().join();
            assertEquals(3, progress.get(token).get(), "all three notifications of " + token + " were handled first");
        }
        assertTrue(callbacks.await(30, TimeUnit.SECONDS));
        assertEquals(0, callbacksTooEarly.get());
    }

    @ParameterizedTest
    @EnumSource(value = IoMode.class, names = {"SELECTOR", "THREADS"})
    void manyRequestsFromAWorkerToABlockingHandlerUseBoundedThreads(IoMode mode) throws InterruptedException {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger active = new AtomicInteger();
        AtomicInteger mostActive = new AtomicInteger();
        Endpoint.Builder endpoint = Endpoint.builder().handler("block", request -> {
            mostActive.accumulateAndGet(active.incrementAndGet(), Math::max);
            try {
                release.await();
            } finally {
                active.decrementAndGet();
            }
            return "ok";
        });
        WorkerProcess worker = start(Workers.hostile("ask"), mode, endpoint);
        int threadsBefore = ManagementFactory.getThreadMXBean().getThreadCount();
        Call<Integer> ask = worker.endpoint().send("ask", Params.of(3_000), Integer.class, Duration.ofSeconds(60));
        long start = System.nanoTime();
        while (active.get() < 64 && millisSince(start) < 30_000) {
            Thread.sleep(5);
        }
        assertEquals(64, active.get(), "64 handlers run at once");
        int threads = ManagementFactory.getThreadMXBean().getThreadCount();
        assertTrue(threads <= threadsBefore + 64 + 8, threads + " threads, " + threadsBefore + " before");
        release.countDown();
        assertEquals(3_000, ask.join(), "every request was answered");
        assertEquals(64, mostActive.get());
    }

    @ParameterizedTest
    @EnumSource(value = IoMode.class, names = {"SELECTOR", "THREADS"})
    void hugeNumbersInIdsAndCancelParamsAreHandledAndWrittenAsTheyCame(IoMode mode) {
        WorkerProcess worker = start(Workers.hostile("huge-ids"), mode, Endpoint.builder());
        String reply = worker.endpoint().call("huge", Params.none(), String.class);
        assertTrue(reply.contains("\"id\":1e999999999"), reply);
        assertTrue(reply.contains("-32601"), reply);
        assertEquals(List.of(2), worker.endpoint().call("echo", Params.of(2), Object.class));
    }

    @ParameterizedTest
    @EnumSource(value = IoMode.class, names = {"SELECTOR", "THREADS"})
    void aMalformedResponseWhoseIdWasReadFailsItsCallAtOnce(IoMode mode) {
        WorkerProcess worker = start(Workers.hostile("malformed"), mode, Endpoint.builder());
        Call<Object> call = worker.endpoint().send("bad", Params.none(), Object.class, Duration.ofSeconds(60));
        long start = System.nanoTime();
        ProtocolException error = assertThrows(ProtocolException.class, call::join);
        assertTrue(millisSince(start) < 10_000, "failed after " + millisSince(start) + " ms");
        assertTrue(error.getMessage().contains("malformed response"), error.getMessage());
        assertEquals(List.of(3), worker.endpoint().call("echo", Params.of(3), Object.class));
    }

    @ParameterizedTest
    @EnumSource(value = IoMode.class, names = {"SELECTOR", "THREADS"})
    void whatDependsOnAWorkersExitRunsOffTheIoThread(IoMode mode) throws Exception {
        WorkerProcess worker = start(Workers.python(), mode, Endpoint.builder());
        java.util.concurrent.CompletableFuture<String> thread = worker.exit().thenApply(exit -> Thread.currentThread().getName());
        worker.kill();
        String name = thread.get(30, TimeUnit.SECONDS);
        assertTrue(!name.equals("piperpc-reactor") && !name.endsWith("-stdout"), "ran on " + name);
    }

    @ParameterizedTest
    @EnumSource(value = IoMode.class, names = {"SELECTOR", "THREADS"})
    void aResponseCutShortByTheWorkersDeathFailsWithTheReasonItDied(IoMode mode) {
        WorkerProcess worker = start(Workers.shell(
                "read line; printf '{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":\"cut sh'; echo 'killed while writing' >&2; exit 9"),
                mode, Endpoint.builder());
        Call<Object> call = worker.endpoint().send("anything", Params.none(), Object.class, Duration.ofMinutes(1));
        ConnectionClosedException error = assertThrows(ConnectionClosedException.class, call::join);
        assertTrue(error.getMessage().contains("exited with code 9; last stderr: killed while writing"), error.getMessage());
        assertEquals(1, worker.endpoint().stats().invalidMessages(), "the cut response is counted");
    }
}
