package dev.piperpc.worker;

import com.fasterxml.jackson.databind.JsonNode;
import dev.piperpc.core.framing.Framing;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A real worker process given what it must not choke on: odd cancellations, oversized frames, floods in and out. */
@Timeout(120)
class WorkerOverloadTest {

    /** An id far beyond any Java number: as a double it is infinite, written out it has a billion digits. */
    private static final String HUGE_ID = "1e999999999";

    private static String request(String idText, String method, String params) {
        return "{\"jsonrpc\":\"2.0\",\"id\":" + idText + ",\"method\":\"" + method + "\"" + (params == null ? "" : ",\"params\":" + params) + "}";
    }

    private static String cancel(String params) {
        return "{\"jsonrpc\":\"2.0\",\"method\":\"$/cancelRequest\"" + (params == null ? "" : ",\"params\":" + params) + "}";
    }

    @Test
    void cancellationsOfHugeStringOrMissingIdsCancelNothingAndTheWorkerGoesOn() throws InterruptedException {
        try (RawWorker worker = new RawWorker(Framing.NEWLINE, 2)) {
            worker.send(request("1", "hold", null));
            worker.send(cancel("{\"id\":1e999}"));
            worker.send(cancel("{\"id\":" + HUGE_ID + "}"));
            worker.send(cancel("{\"id\":\"1\"}"));
            worker.send(cancel(null));

            worker.send(request("2", "echo", "[2,\"after the cancellations\"]"));
            JsonNode echo = worker.next();
            assertEquals(2, echo.get("id").asInt(), echo.toString());
            assertEquals("[2,\"after the cancellations\"]", echo.get("result").toString());

            worker.send(request("3", "release", null));
            Map<Integer, String> results = new HashMap<>();
            for (int i = 0; i < 2; i++) {
                JsonNode answer = worker.next();
                results.put(answer.get("id").asInt(), String.valueOf(answer.get("result")));
            }
            assertEquals(Map.of(1, "\"held\"", 3, "\"released\""), results,
                    "no cancellation named call 1 (the string \"1\" is not the number 1), so it ran to its end");

            worker.closeStdin();
            assertEquals(0, worker.awaitExit(), worker.stderr());
            assertEquals(List.of(), worker.framesLeft());
        }
    }

    @Test
    void aHugeNumericIdIsAnsweredAndCancelledAsWritten() throws InterruptedException {
        try (RawWorker worker = new RawWorker(Framing.NEWLINE, 1)) {
            worker.send(request(HUGE_ID, "echo", "[1,\"x\"]"));
            String answer = worker.nextText();
            assertTrue(answer.contains("\"id\":" + HUGE_ID + ","), answer);
            assertTrue(answer.contains("\"result\":[1,\"x\"]"), answer);

            worker.send(request(HUGE_ID, "waitForCancel", null));
            worker.send(cancel("{\"id\":" + HUGE_ID + "}"));
            String cancelled = worker.nextText();
            assertTrue(cancelled.contains("\"id\":" + HUGE_ID + ","), cancelled);
            assertEquals(-32800, worker.tree(cancelled).get("error").get("code").asInt(), cancelled);

            worker.send(request("2", "echo", "[2,\"y\"]"));
            assertEquals(2, worker.next().get("id").asInt(), "the only call thread was freed by the cancellation");
            worker.closeStdin();
            assertEquals(0, worker.awaitExit(), worker.stderr());
        }
    }

    @ParameterizedTest
    @EnumSource(Framing.class)
    void anOversizedRequestIsRefusedUnderItsIdWhenItComesFirstElseUnderNull(Framing framing) throws InterruptedException {
        try (RawWorker worker = new RawWorker(framing, 2, RawWorker.options().set("maxFrameSize", 1024))) {
            String big = "\"" + "z".repeat(4000) + "\"";
            worker.send(request("41", "echo", "[1," + big + "]"));
            JsonNode idFirst = worker.next();
            assertEquals(41, idFirst.get("id").asInt(), idFirst.toString());
            assertEquals(-32600, idFirst.get("error").get("code").asInt(), idFirst.toString());

            worker.send("{\"jsonrpc\":\"2.0\",\"method\":\"echo\",\"params\":[1," + big + "],\"id\":42}");
            JsonNode idLast = worker.next();
            assertTrue(idLast.get("id").isNull(), "the id was beyond the first bytes: " + idLast);
            assertEquals(-32600, idLast.get("error").get("code").asInt(), idLast.toString());

            worker.send(request("43", "echo", "[43,\"small\"]"));
            JsonNode small = worker.next();
            assertEquals(43, small.get("id").asInt(), small.toString());
            assertEquals("[43,\"small\"]", small.get("result").toString());
            worker.closeStdin();
            assertEquals(0, worker.awaitExit(), worker.stderr());
        }
    }

    /**
     * 600,000 echo requests (about 40 MB) written as fast as the pipe takes them to a worker with a
     * 48 MB heap, while at first nobody reads the answers. Each request waiting in the worker costs
     * some hundreds of bytes (its frame, the parsed request and params, its registration for
     * cancellation, its task): a worker that read on without bound while it cannot answer would
     * hold them all and run out of memory long before 600,000 (with the bound lifted, it does so
     * at about 120,000). A bounded one stops reading, and the writer waits in its write.
     */
    @Test
    void aManagerThatSendsFasterThanTheWorkerAnswersIsSlowedDownNotBuffered() throws Exception {
        int total = 600_000;
        int perWrite = 200;
        try (RawWorker worker = new RawWorker(Framing.NEWLINE, 2,
                RawWorker.options().jvm("-Xmx48m").set("maxQueuedBytes", 64 * 1024).holdStdout())) {
            AtomicLong written = new AtomicLong();
            AtomicLong largestGap = new AtomicLong();
            CompletableFuture<Void> writer = onThreadOfItsOwn(() -> {
                StringBuilder chunk = new StringBuilder(perWrite * 80);
                for (int first = 0; first < total; first += perWrite) {
                    chunk.setLength(0);
                    for (int id = first; id < first + perWrite; id++) {
                        chunk.append("{\"jsonrpc\":\"2.0\",\"id\":").append(id).append(",\"method\":\"echo\",\"params\":[")
                                .append(id).append(",\"x\"]}\n");
                    }
                    worker.sendRaw(chunk.toString());
                    written.set(first + perWrite);
                    largestGap.accumulateAndGet(first + perWrite - worker.framesRead(), Math::max);
                }
            });

            // Between the last request written and the last response read lie only bounded
            // buffers: two pipes and the worker's read buffer (64 KiB each: ~1,000 requests or
            // ~1,300 responses each), its inbound queue (1,024 requests waiting, 64 handed to the
            // call threads), its 64 KiB output bound and its 64 KiB write buffer: under 8,000 in all.
            long bound = 20_000;
            long writtenUnanswered = awaitNoProgress(written, writer);
            assertTrue(writtenUnanswered < bound, "the writer went on while no answer was read: " + writtenUnanswered);

            worker.readStdout();
            BitSet answered = new BitSet(total);
            for (int i = 0; i < total; i++) {
                String response = worker.nextText();
                int id = numberAfter(response, "\"id\":");
                assertTrue(response.contains("\"result\":[" + id + ",\"x\"]"), response);
                assertFalse(answered.get(id), "answered twice: " + id);
                answered.set(id);
            }
            writer.get(30, TimeUnit.SECONDS);
            assertEquals(total, answered.cardinality());
            assertTrue(largestGap.get() < bound, "requests written and not yet answered at one time: " + largestGap.get());

            worker.closeStdin();
            assertEquals(0, worker.awaitExit(), worker.stderr());
            assertEquals(List.of(), worker.framingErrors());
        }
    }

    private static CompletableFuture<Void> onThreadOfItsOwn(Runnable body) {
        return CompletableFuture.runAsync(body, runnable -> {
            Thread thread = new Thread(runnable, "test-writer");
            thread.setDaemon(true);
            thread.start();
        });
    }

    /**
     * What {@code count} reached once it stopped growing for half a second, or when {@code done}
     * finished. An observation, not an ordering: a count held by a bound stops for good, and one
     * that merely paused makes no bound assertion fail.
     */
    private static long awaitNoProgress(AtomicLong count, CompletableFuture<?> done) throws InterruptedException {
        long last = count.get();
        long quietSince = System.nanoTime();
        while (!done.isDone() && System.nanoTime() - quietSince < TimeUnit.MILLISECONDS.toNanos(500)) {
            Thread.sleep(10);
            long now = count.get();
            if (now != last) {
                last = now;
                quietSince = System.nanoTime();
            }
        }
        return count.get();
    }

    /**
     * Two methods send 50,000 progress notifications of 2 KB each, 200 MB in all, from a worker
     * with a 48 MB heap while nobody reads its stdout. One of them at a time writes and waits in
     * its write for the pipe; a worker that let the other queue its frames without bound would run
     * out of memory. A bounded one makes it wait until the manager reads again.
     */
    @Test
    void methodsThatNotifyFasterThanTheManagerReadsWaitForItAndLoseNothing() throws Exception {
        int each = 50_000;
        try (RawWorker worker = new RawWorker(Framing.NEWLINE, 3,
                RawWorker.options().jvm("-Xmx48m").set("maxQueuedBytes", 64 * 1024).holdStdout())) {
            worker.send(request("1", "flood", "[\"a\"," + each + ",2000]"));
            worker.send(request("2", "flood", "[\"b\"," + each + ",2000]"));
            worker.send(request("3", "floodStalled", "[500]"));
            // The floods stall once the pipe, the write buffer and the 64 KiB output bound are
            // full: about 100 notifications. Stalled far below 100,000 means they wait for us.
            String stalled = worker.awaitStderrLine("floods stalled after");
            int sentBeforeReading = numberAfter(stalled, "after ");
            assertTrue(sentBeforeReading < 1_000, stalled);

            worker.readStdout();
            Map<String, Integer> nextOf = new HashMap<>(Map.of("a", 0, "b", 0));
            Map<Integer, JsonNode> responses = new HashMap<>();
            while (responses.size() < 3) {
                JsonNode frame = worker.next();
                if (frame.has("id")) {
                    responses.put(frame.get("id").asInt(), frame.get("result"));
                    continue;
                }
                assertEquals("$/progress", frame.get("method").asText(), frame.toString());
                String token = frame.get("params").get("token").asText();
                int expected = nextOf.get(token);
                assertEquals(expected, frame.get("params").get("value").get("i").asInt(), "each flood's notifications in order, none lost");
                nextOf.put(token, expected + 1);
            }
            assertEquals(Map.of("a", each, "b", each), nextOf, "every notification arrived before the floods' answers");
            assertEquals("\"flooded\"", responses.get(1).toString());
            assertEquals("\"flooded\"", responses.get(2).toString());
            assertEquals(sentBeforeReading, responses.get(3).asInt());
            worker.closeStdin();
            assertEquals(0, worker.awaitExit(), worker.stderr());
        }
    }

    /** Even reporting the error needs memory, which a full heap does not have: the worker must end all the same. */
    @Test
    void aWorkerWhoseHeapIsFullExitsWithTheFatalCodeInsteadOfHanging() throws InterruptedException {
        try (RawWorker worker = new RawWorker(Framing.NEWLINE, 2, RawWorker.options().jvm("-Xmx32m"))) {
            worker.send(request("1", "exhaustMemory", null));
            assertEquals(Worker.FATAL_EXIT_CODE, worker.awaitExit(), worker.stderr());
        }
    }

    /** The decimal number that follows {@code key} in {@code text}. */
    private static int numberAfter(String text, String key) {
        int start = text.indexOf(key);
        assertTrue(start >= 0, "no " + key + " in " + text);
        start += key.length();
        int end = start;
        while (end < text.length() && Character.isDigit(text.charAt(end))) {
            end++;
        }
        return Integer.parseInt(text.substring(start, end));
    }
}
