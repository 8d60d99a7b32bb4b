package dev.piperpc.core;

import com.fasterxml.jackson.databind.JsonNode;
import dev.piperpc.core.internal.DefaultExecutor;
import dev.piperpc.core.testing.RawPeer;
import dev.piperpc.core.transport.InMemoryTransport;
import dev.piperpc.core.transport.Transport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What an endpoint bounds, and how it reports a full queue, over the in-memory transport. */
@Timeout(60)
class EndpointBoundsTest {

    private Endpoint endpoint;
    private RawPeer peer;

    @AfterEach
    void close() {
        if (endpoint != null) {
            endpoint.closeNow();
        }
    }

    private void connect(Endpoint.Builder builder) {
        InMemoryTransport.Pair pair = InMemoryTransport.pair();
        endpoint = builder.connect(pair.left());
        peer = new RawPeer(pair.right());
    }

    private static void await(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 10 s: " + what);
            }
            Thread.sleep(2);
        }
    }

    @Test
    void readingPausesWhileTooManyMessagesWaitAndResumesBelowHalf() throws InterruptedException {
        CountDownLatch release = new CountDownLatch(1);
        connect(Endpoint.builder().maxConcurrentRequests(1).maxQueuedIncoming(4).handler("hold", request -> {
            release.await();
            return request.params(List.class).get(0);
        }));
        for (int i = 1; i <= 10; i++) {
            peer.send("{\"jsonrpc\":\"2.0\",\"id\":" + i + ",\"method\":\"hold\",\"params\":[" + i + "]}");
        }
        await(() -> endpoint.stats().incomingWaiting() == 4, "four requests wait");
        EndpointStats paused = endpoint.stats();
        assertEquals(1, paused.readPauses());
        assertEquals(5, paused.requestsReceived(), "one runs, four wait, the rest are not read");
        release.countDown();
        for (int i = 1; i <= 10; i++) {
            JsonNode response = peer.nextTree();
            assertEquals(i, response.get("id").asInt(), "answered in order: one at a time");
            assertEquals(i, response.get("result").asInt());
        }
        assertEquals(0, endpoint.stats().incomingWaiting());
    }

    @Test
    void anExecutorThatRefusesDoesNotStopLaterMessages() throws InterruptedException {
        AtomicInteger executions = new AtomicInteger();
        Executor refusesTwice = task -> {
            if (executions.incrementAndGet() <= 2) {
                throw new RejectedExecutionException("no room");
            }
            DefaultExecutor.instance().execute(task);
        };
        List<Object> notes = new CopyOnWriteArrayList<>();
        connect(Endpoint.builder().executor(refusesTwice).handler("note", request -> {
            notes.add(request.params(List.class).get(0));
            return null;
        }).handler("echo", request -> request.params(List.class).get(0)));
        peer.send("{\"jsonrpc\":\"2.0\",\"method\":\"note\",\"params\":[1]}");
        peer.send("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"echo\",\"params\":[\"refused\"]}");
        peer.send("{\"jsonrpc\":\"2.0\",\"method\":\"note\",\"params\":[2]}");
        peer.send("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"echo\",\"params\":[\"run\"]}");
        JsonNode refused = peer.nextTree();
        assertEquals(1, refused.get("id").asInt());
        assertEquals(-32603, refused.get("error").get("code").asInt());
        assertTrue(refused.get("error").get("data").asText().contains("no room"), refused.toString());
        JsonNode run = peer.nextTree();
        assertEquals(2, run.get("id").asInt());
        assertEquals("run", run.get("result").asText());
        await(() -> notes.equals(List.of(2)), "the notification after the refused one was handled");
    }

    @Test
    void cancellationsNamingIdsOfAnySizeAreHandled() {
        connect(Endpoint.builder().handler("wait", request -> {
            Thread.sleep(60_000);
            return "not cancelled";
        }).handler("echo", request -> request.params(List.class).get(0)));
        peer.send("{\"jsonrpc\":\"2.0\",\"id\":1e999,\"method\":\"wait\"}");
        peer.send("{\"jsonrpc\":\"2.0\",\"method\":\"$/cancelRequest\",\"params\":{\"id\":1e999999999}}");
        peer.send("{\"jsonrpc\":\"2.0\",\"method\":\"$/cancelRequest\",\"params\":{\"id\":[1]}}");
        peer.send("{\"jsonrpc\":\"2.0\",\"method\":\"$/cancelRequest\",\"params\":[1]}");
        peer.send("{\"jsonrpc\":\"2.0\",\"method\":\"$/cancelRequest\",\"params\":{\"id\":10e998}}");
        String cancelled = peer.next();
        assertTrue(cancelled.contains("\"id\":1e999"), "the id is written as it came: " + cancelled);
        assertTrue(cancelled.contains("-32800"), cancelled);
        peer.send("{\"jsonrpc\":\"2.0\",\"id\":1e999999999,\"method\":\"echo\",\"params\":[\"still here\"]}");
        String echoed = peer.next();
        assertTrue(echoed.contains("\"id\":1e999999999") && echoed.contains("still here"), echoed);
    }

    @Test
    void aFullQueueIsReportedByThrowingAndACancelThatCannotBeSentStillEndsTheCall() throws InterruptedException {
        RefusingTransport transport = new RefusingTransport();
        endpoint = Endpoint.builder().connect(transport);
        Call<Object> cancelled = endpoint.send("work", Params.of(1), Object.class);

        transport.full = true;
        BackpressureException refused = assertThrows(BackpressureException.class,
                () -> endpoint.send("work", Params.of(2), Object.class));
        assertTrue(refused.getMessage().contains("full"), refused.getMessage());
        assertThrows(BackpressureException.class, () -> endpoint.notify("note", Params.of(3)));
        Batch batch = endpoint.batch();
        Call<Object> inBatch = batch.add("work", Params.of(4), Object.class);
        assertThrows(BackpressureException.class, batch::send);
        assertThrows(BackpressureException.class, inBatch::join, "a batch call that could not be sent ends with the refusal");
        assertEquals(1, endpoint.stats().callsPending(), "refused calls are not left pending");

        assertTrue(cancelled.cancel(), "cancel never throws, even when the cancellation cannot be sent");
        assertThrows(CallCancelledException.class, cancelled::join);

        transport.full = false;
        Call<Object> timesOut = endpoint.send("work", Params.of(5), Object.class, Duration.ofMillis(50));
        transport.full = true;
        assertThrows(CallTimeoutException.class, timesOut::join, "a timeout whose cancellation cannot be sent ends the call");
        // The cancellation is tried right after the call ended (by the thread that ended it).
        await(() -> endpoint.stats().cancelsNotSent() == 2, "both cancellations were tried and counted");
        assertEquals(0, endpoint.stats().callsPending());
    }

    /** A transport that refuses everything with the contract's exceptions once told it is full. */
    private static final class RefusingTransport implements Transport {
        volatile boolean full;

        @Override
        public void start(Listener listener) {
        }

        @Override
        public void send(byte[] json) {
            if (full) {
                throw new BackpressureException("the queue is full");
            }
        }

        @Override
        public void sendControl(byte[] json) {
            throw new BackpressureException("even the hard limit is reached");
        }

        @Override
        public boolean isWritable() {
            return !full;
        }

        @Override
        public void setReading(boolean reading) {
        }

        @Override
        public void close() {
        }

        @Override
        public String name() {
            return "refusing";
        }
    }
}
