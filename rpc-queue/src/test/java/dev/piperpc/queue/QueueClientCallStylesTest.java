package dev.piperpc.queue;

import com.fasterxml.jackson.databind.JsonNode;
import com.googlecode.jsonrpc4j.JsonRpcMethod;
import com.googlecode.jsonrpc4j.JsonRpcParam;
import dev.piperpc.core.Batch;
import dev.piperpc.core.Call;
import dev.piperpc.core.CompletionQueue;
import dev.piperpc.core.Endpoint;
import dev.piperpc.core.Params;
import dev.piperpc.core.RpcException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every call style of {@link dev.piperpc.core.Rpc}, over SQS to a responder on the request queue. */
class QueueClientCallStylesTest extends QueueTestBase {

    /** A typed API, annotated as jsonrpc4j services are. */
    interface Calculator {
        @JsonRpcMethod("add")
        int plus(@JsonRpcParam("a") int a, @JsonRpcParam("b") int b);

        CompletableFuture<String> echo(String text);
    }

    @Test
    void sendAndJoinCallAndAnErrorObject() {
        responder();
        QueueClient rpc = client();
        Call<String> echoed = rpc.send("echo", Params.of("héllo"), String.class);
        assertEquals(3, rpc.call("add", Params.of(1, 2), Integer.class));
        assertEquals("héllo", echoed.join());
        RpcException error = assertThrows(RpcException.class, () -> rpc.call("fail", Params.none(), String.class));
        assertEquals(-32000, error.code());
    }

    @Test
    void aCallbackRunsWithTheResult() throws InterruptedException {
        responder();
        QueueClient rpc = client();
        CountDownLatch done = new CountDownLatch(1);
        AtomicReference<Object> seen = new AtomicReference<>();
        rpc.send("echo", Params.of(42), Integer.class).whenDone((result, error) -> {
            seen.set(error == null ? result : error);
            done.countDown();
        });
        assertTrue(done.await(PATIENCE_MILLIS, TimeUnit.MILLISECONDS));
        assertEquals(42, seen.get());
    }

    @Test
    void scatterAndGatherWithACompletionQueue() {
        responder();
        QueueClient rpc = client();
        CompletionQueue<Integer> queue = new CompletionQueue<>();
        for (int i = 0; i < 20; i++) {
            queue.add(rpc.send("add", Params.of(i, 1000), Integer.class));
        }
        Set<Integer> results = new HashSet<>();
        while (queue.outstanding() > 0) {
            results.add(queue.take().join());
        }
        assertEquals(20, results.size());
        for (int i = 0; i < 20; i++) {
            assertTrue(results.contains(i + 1000));
        }
    }

    @Test
    void aBatchTravelsAsOneMessageAndEachCallEndsOnItsOwn() throws InterruptedException {
        TestResponder responder = responder();
        QueueClient rpc = client();
        Batch batch = rpc.batch();
        Call<Integer> sum = batch.add("add", Params.of(1, 2), Integer.class);
        Call<String> echo = batch.add("echo", Params.of("x"), String.class);
        Call<String> failed = batch.add("fail", Params.none(), String.class);
        batch.notify("progress", Params.of(50));
        batch.send();
        assertEquals(3, sum.join());
        assertEquals("x", echo.join());
        assertThrows(RpcException.class, failed::join);
        await(() -> !responder.received().isEmpty(), "the batch arrived");
        List<TestResponder.Received> received = responder.received();
        assertEquals(1, received.size(), "one SQS message");
        JsonNode body = received.get(0).body();
        assertTrue(body.isArray());
        assertEquals(4, body.size());
        assertEquals(rpc.replyQueueUrl(), received.get(0).attribute(QueueWire.REPLY_TO));
    }

    @Test
    void aNotificationArrivesWithoutAReplyQueue() throws InterruptedException {
        TestResponder responder = responder();
        QueueClient rpc = client();
        rpc.notify("log", Params.of("started"));
        await(() -> !responder.received().isEmpty(), "the notification arrived");
        TestResponder.Received received = responder.received().get(0);
        assertEquals("log", received.body().get("method").asText());
        assertTrue(received.body().path("id").isMissingNode());
        assertNull(received.attribute(QueueWire.REPLY_TO));
        assertNull(received.attribute(QueueWire.DEADLINE));
    }

    @Test
    void aTypedProxyCallsByNameAndReturnsFutures() {
        responder();
        QueueClient rpc = client();
        Calculator calculator = rpc.proxy(Calculator.class);
        assertEquals(5, calculator.plus(2, 3));
        assertEquals("hi", calculator.echo("hi").join());
    }

    @Test
    void aRequestCarriesTheReplyQueueAndItsOwnDeadline() throws InterruptedException {
        TestResponder responder = responder();
        QueueClient rpc = client(b -> b.endpoint(Endpoint.builder().defaultTimeout(Duration.ofSeconds(30))));
        long before = System.currentTimeMillis();
        rpc.send("echo", Params.of(1), Integer.class, Duration.ofSeconds(12)).join();
        long after = System.currentTimeMillis();
        await(() -> !responder.received().isEmpty(), "the request arrived");
        TestResponder.Received received = responder.received().get(0);
        assertEquals(rpc.replyQueueUrl(), received.attribute(QueueWire.REPLY_TO));
        long deadline = Long.parseLong(received.attribute(QueueWire.DEADLINE));
        assertTrue(deadline >= before + 11_900 && deadline <= after + 12_100,
                "deadline " + (deadline - before) + " ms after the send, for a 12 s timeout");
    }

    @Test
    void eachMessageCarriesTheTraceContextOfTheThreadThatSentIt() throws Exception {
        TestResponder responder = responder();
        ThreadLocal<String> currentTrace = new ThreadLocal<>();
        QueueClient rpc = client(b -> b.traceContext(currentTrace::get));
        String first = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        String second = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
        currentTrace.set(first);
        rpc.call("echo", Params.of("a"), String.class);
        Thread other = new Thread(() -> {
            currentTrace.set(second);
            rpc.notify("log", Params.of("b"));
        });
        other.start();
        other.join();
        currentTrace.remove();
        rpc.call("echo", Params.of("c"), String.class);
        await(() -> responder.received().size() == 3, "three messages");
        Map<String, String> traceByParam = new HashMap<>();
        for (TestResponder.Received received : responder.received()) {
            traceByParam.put(received.body().get("params").get(0).asText(), String.valueOf(received.attribute(QueueWire.TRACEPARENT)));
        }
        assertEquals(Map.of("a", first, "b", second, "c", "null"), traceByParam);
    }
}
