package dev.piperpc.worker;

import com.fasterxml.jackson.databind.JsonNode;
import dev.piperpc.core.CallCancelledException;
import dev.piperpc.core.Call;
import dev.piperpc.core.CallTimeoutException;
import dev.piperpc.core.Endpoint;
import dev.piperpc.core.Params;
import dev.piperpc.core.framing.Framing;
import dev.piperpc.pipe.WorkerCommand;
import dev.piperpc.pipe.WorkerProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Which threads of a real worker process read stdin and run methods: a method that finds the
 * worker idle runs on the thread that read it, reading goes on while methods run, and at most
 * {@code concurrency + 1} threads do it all.
 */
@Timeout(120)
class WorkerThreadsTest {

    private static String request(Object id, String method, String params) {
        return "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"" + method + "\"" + (params == null ? "" : ",\"params\":" + params) + "}";
    }

    @Test
    void aMethodThatFindsTheWorkerIdleRunsOnTheThreadThatReadItWhichHandedReadingOnFirst() {
        try (RawWorker worker = new RawWorker(Framing.NEWLINE, 2)) {
            String readingBefore = null;
            for (int id = 1; id <= 6; id++) {
                worker.send(request(id, "threads", null));
                JsonNode answer = worker.next();
                assertEquals(id, answer.get("id").asInt(), answer.toString());
                String ranOn = answer.get("result").get("ranOn").asText();
                String reading = answer.get("result").get("reading").asText();
                assertNotEquals(ranOn, reading, "another thread reads stdin while a method runs: " + answer);
                if (readingBefore != null) {
                    assertEquals(readingBefore, ranOn, "call " + id + " ran on the thread that was reading stdin when it came");
                }
                readingBefore = reading;
            }
        }
    }

    @Test
    void aSlowMethodDoesNotHoldUpReadingAndAnotherCallIsAnsweredMeanwhile() {
        try (RawWorker worker = new RawWorker(Framing.NEWLINE, 2)) {
            worker.send(request(1, "hold", null));
            worker.send(request(2, "threads", null));
            JsonNode second = worker.next();
            assertEquals(2, second.get("id").asInt(), "answered while the first call still runs: " + second);
            worker.send(request(3, "release", null));
            Set<String> rest = new HashSet<>();
            rest.add(worker.next().get("result").asText());
            rest.add(worker.next().get("result").asText());
            assertEquals(Set.of("held", "released"), rest);
        }
    }

    @Test
    void withOneCallAtATimeAMethodThatAsksTheManagerGetsItsAnswerAndTheCallsBehindItRunAfter() throws InterruptedException {
        try (RawWorker worker = new RawWorker(Framing.NEWLINE, 1)) {
            worker.sendRaw(request(1, "ask", "[\"one slot?\"]") + "\n" + request(2, "echo", "[2,\"behind\"]") + "\n");
            JsonNode question = worker.next();
            assertEquals("answer", question.get("method").asText(), question.toString());
            worker.send("{\"jsonrpc\":\"2.0\",\"id\":" + question.get("id") + ",\"result\":\"yes\"}");
            JsonNode first = worker.next();
            assertEquals(1, first.get("id").asInt(), "the only call slot is the asking method's until it is answered: " + first);
            assertEquals("manager says yes", first.get("result").asText());
            JsonNode second = worker.next();
            assertEquals(2, second.get("id").asInt(), second.toString());
            assertEquals("[2,\"behind\"]", second.get("result").toString());
            worker.closeStdin();
            assertEquals(0, worker.awaitExit(), worker.stderr());
        }
    }

    /** What one call was expected to end with. */
    private enum Outcome { RESULT, CANCELLED, TIMED_OUT }

    /** A call, the outcome it must end with, and how many times it was seen ending. */
    private record Expected(Call<?> call, Outcome outcome, Object result, AtomicInteger ended) {
    }

    /**
     * 64 manager threads, each making 40 calls of every kind at random (sync and async echoes,
     * short sleeps, methods that ask the manager back, calls cancelled at once, calls that time
     * out) against one worker that runs one or four at a time. Every call ends once, with what it
     * had to end with, and nothing hangs.
     */
    @ParameterizedTest
    @ValueSource(ints = {1, 4})
    void sixtyFourManagerThreadsGetEveryCallEndedOnceWithItsOutcome(int concurrency) throws Exception {
        int threads = 64;
        int callsEach = 40;
        long seed = System.nanoTime();
        Endpoint.Builder manager = Endpoint.builder()
                .handler("answer", request -> "re " + request.params(List.class).get(0));
        WorkerCommand command = WorkerCommand.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-Xlog:all=warning:stderr", "-cp", System.getProperty("java.class.path"),
                ServiceUnderTest.class.getName(), "newline", Integer.toString(concurrency));
        try (WorkerProcess worker = WorkerProcess.start("threads-" + concurrency, command, manager)) {
            Endpoint rpc = worker.endpoint();
            ConcurrentLinkedQueue<Expected> calls = new ConcurrentLinkedQueue<>();
            ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
            CountDownLatch done = new CountDownLatch(threads);
            CountDownLatch callbacks = new CountDownLatch(threads * callsEach);
            for (int t = 0; t < threads; t++) {
                int thread = t;
                Thread caller = new Thread(() -> {
                    try {
                        makeCalls(rpc, new Random(seed + thread), thread, callsEach, calls, callbacks);
                    } catch (Throwable e) {
                        failures.add(e);
                    } finally {
                        done.countDown();
                    }
                }, "caller-" + t);
                caller.setDaemon(true);
                caller.start();
            }
            assertTrue(done.await(90, TimeUnit.SECONDS), "callers still waiting after 90 s (seed " + seed + ")");
            if (!failures.isEmpty()) {
                AssertionError error = new AssertionError(failures.size() + " callers failed (seed " + seed + ")", failures.peek());
                failures.stream().skip(1).limit(5).forEach(error::addSuppressed);
                throw error;
            }
            assertEquals(threads * callsEach, calls.size());
            for (Expected expected : calls) {
                assertOutcome(expected, seed);
            }
            assertTrue(callbacks.await(30, TimeUnit.SECONDS), "callbacks still to run: " + callbacks.getCount());
            assertEquals(0, rpc.stats().callsPending());
            long callThreads = rpc.call("callThreads", Params.none(), Long.class);
            assertTrue(callThreads <= concurrency + 1, "call threads of a worker running " + concurrency + " at once: " + callThreads);
            for (Expected expected : calls) {
                assertEquals(1, expected.ended().get(), "ended once: call " + expected.call().id() + " (seed " + seed + ")");
            }
        }
    }

    private static void makeCalls(Endpoint rpc, Random random, int thread, int count, ConcurrentLinkedQueue<Expected> calls,
                                  CountDownLatch callbacks) {
        List<Expected> mine = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int kind = random.nextInt(100);
            Expected expected;
            if (kind < 30) {
                List<Object> echoed = rpc.call("echo", Params.of(thread, i), List.class);
                assertEquals(List.of(thread, i), echoed);
                expected = record(callbacks, rpc.send("echo", Params.of(thread, -i), List.class), Outcome.RESULT, List.of(thread, -i));
            } else if (kind < 50) {
                expected = record(callbacks, rpc.send("echo", Params.of(thread, i), List.class), Outcome.RESULT, List.of(thread, i));
            } else if (kind < 62) {
                long millis = 1 + random.nextInt(3);
                expected = record(callbacks, rpc.send("sleep", Params.of(millis), Long.class), Outcome.RESULT, millis);
            } else if (kind < 72) {
                String question = "q" + thread + "." + i;
                assertEquals("manager says re " + question, rpc.call("ask", Params.of(question), String.class));
                expected = record(callbacks, rpc.send("ask", Params.of(question + "!"), String.class), Outcome.RESULT,
                        "manager says re " + question + "!");
            } else if (kind < 93) {
                expected = record(callbacks, rpc.send("waitForCancel", Params.none(), String.class), Outcome.CANCELLED, null);
                expected.call().cancel();
            } else {
                expected = record(callbacks, rpc.send("waitForCancel", Params.none(), String.class, Duration.ofMillis(20)),
                        Outcome.TIMED_OUT, null);
            }
            mine.add(expected);
            if (random.nextInt(4) == 0) {
                joinQuietly(mine);
            }
        }
        joinQuietly(mine);
        calls.addAll(mine);
    }

    private static Expected record(CountDownLatch callbacks, Call<?> call, Outcome outcome, Object result) {
        AtomicInteger ended = new AtomicInteger();
        call.whenDone((value, error) -> {
            ended.incrementAndGet();
            callbacks.countDown();
        });
        return new Expected(call, outcome, result, ended);
    }

    /** Waits for the calls, whatever they end with; their outcomes are checked later. */
    private static void joinQuietly(List<Expected> calls) {
        for (Expected expected : calls) {
            try {
                expected.call().join(Duration.ofSeconds(60));
            } catch (RuntimeException endedWithAnError) {
                // checked by assertOutcome
            }
        }
    }

    private static void assertOutcome(Expected expected, long seed) {
        Call<?> call = expected.call();
        String which = call.method() + " (id " + call.id() + ", seed " + seed + ")";
        assertTrue(call.isDone(), "not done: " + which);
        try {
            Object result = call.join();
            if (expected.outcome() != Outcome.RESULT) {
                fail(which + " should have ended " + expected.outcome() + " but returned " + result);
            }
            assertEquals(expected.result(), result, which);
        } catch (RuntimeException error) {
            switch (expected.outcome()) {
                case CANCELLED -> assertInstanceOf(CallCancelledException.class, error, which);
                case TIMED_OUT -> assertInstanceOf(CallTimeoutException.class, error, which);
                default -> throw new AssertionError(which + " failed", error);
            }
        }
    }
}
