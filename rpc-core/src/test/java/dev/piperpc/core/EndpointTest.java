package dev.piperpc.core;

import com.googlecode.jsonrpc4j.JsonRpcMethod;
import com.googlecode.jsonrpc4j.JsonRpcParam;
import dev.piperpc.core.message.ErrorCodes;
import dev.piperpc.core.message.RawJson;
import dev.piperpc.core.transport.InMemoryTransport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(60)
class EndpointTest {

    private final List<Endpoint> endpoints = new ArrayList<>();

    @AfterEach
    void closeAll() {
        endpoints.forEach(Endpoint::closeNow);
    }

    /** A client endpoint and a server endpoint connected in memory. */
    private Endpoint[] connect(Endpoint.Builder client, Endpoint.Builder server) {
        InMemoryTransport.Pair pair = InMemoryTransport.pair();
        Endpoint serverEndpoint = server.connect(pair.right());
        Endpoint clientEndpoint = client.connect(pair.left());
        endpoints.add(clientEndpoint);
        endpoints.add(serverEndpoint);
        return new Endpoint[] {clientEndpoint, serverEndpoint};
    }

    /** A client endpoint whose peer is driven with raw JSON text. */
    private record RawClient(Endpoint rpc, dev.piperpc.core.testing.RawPeer peer) {
    }

    private RawClient clientWithRawPeer() {
        InMemoryTransport.Pair pair = InMemoryTransport.pair();
        dev.piperpc.core.testing.RawPeer peer = new dev.piperpc.core.testing.RawPeer(pair.right());
        Endpoint rpc = Endpoint.builder().connect(pair.left());
        endpoints.add(rpc);
        return new RawClient(rpc, peer);
    }

    private Endpoint clientOf(Endpoint.Builder server) {
        return connect(Endpoint.builder(), server)[0];
    }

    /** A service with methods for the call styles. */
    public static final class Calculator {
        final LinkedBlockingQueue<String> events = new LinkedBlockingQueue<>();
        final CountDownLatch release = new CountDownLatch(1);

        public int add(int a, int b) {
            return a + b;
        }

        public String echo(String text) {
            return text;
        }

        private final Map<String, CountDownLatch> gates = new java.util.concurrent.ConcurrentHashMap<>();

        /** Answers {@code name} once the test has opened the gate of that name. */
        public String gate(String name) throws InterruptedException {
            if (!gateNamed(name).await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("gate " + name + " never opened");
            }
            return name;
        }

        void open(String name) {
            gateNamed(name).countDown();
        }

        private CountDownLatch gateNamed(String name) {
            return gates.computeIfAbsent(name, key -> new CountDownLatch(1));
        }

        public String slow(String text, long millis) throws InterruptedException {
            Thread.sleep(millis);
            return text;
        }

        public String blockUntilCancelled(RequestContext context) {
            events.add("started");
            try {
                release.await();
                return "released";
            } catch (InterruptedException e) {
                events.add("interrupted, cancelled=" + context.isCancelled());
                throw new IllegalStateException("interrupted");
            }
        }

        public void never() throws InterruptedException {
            events.add("never-started");
            new CountDownLatch(1).await();
        }

        public CompletableFuture<String> later(String text) {
            return CompletableFuture.supplyAsync(() -> text.toUpperCase());
        }

        public void log(String line) {
            events.add("log:" + line);
        }
    }

    /** A result Jackson cannot serialize: its getter throws. */
    public static final class Unserializable {
        public String getValue() {
            throw new IllegalStateException("no value today");
        }
    }

    @Test
    void aResultThatCannotBeSerializedIsAnsweredWithAnInternalErrorAlsoInABatch() {
        Endpoint rpc = clientOf(Endpoint.builder()
                .handler("bad", context -> new Unserializable())
                .handler("good", context -> java.util.List.of(1, "two")));
        RpcException single = assertThrows(RpcException.class, () -> rpc.call("bad", Params.none(), Object.class));
        assertEquals(ErrorCodes.INTERNAL_ERROR, single.code());
        assertTrue(single.getMessage().contains("cannot be serialized"), single.getMessage());
        assertEquals(java.util.List.of(1, "two"), rpc.call("good", Params.none(), Object.class), "the connection goes on");

        Batch batch = rpc.batch();
        Call<Object> bad = batch.add("bad", Params.none(), Object.class);
        Call<Object> good = batch.add("good", Params.none(), Object.class);
        batch.send();
        assertEquals(ErrorCodes.INTERNAL_ERROR, assertThrows(RpcException.class, bad::join).code());
        assertEquals(java.util.List.of(1, "two"), good.join());
    }

    @Test
    void sendJoinReturnsTheResult() {
        Endpoint rpc = clientOf(Endpoint.builder().service(new Calculator()));
        Call<Integer> call = rpc.send("add", Params.of(2, 3), Integer.class);
        assertEquals(5, call.join());
        assertTrue(call.isDone());
        assertEquals(5, call.join(Duration.ofSeconds(1)), "join again returns the same result");
    }

    @Test
    void synchronousCall() {
        Endpoint rpc = clientOf(Endpoint.builder().service(new Calculator()));
        assertEquals("hi", rpc.call("echo", Params.of("hi"), String.class));
        assertEquals("{\"x\":[1]}", rpc.call("echo", Params.of("{\"x\":[1]}"), String.class));
    }

    @Test
    void rawResultsAreNotBound() {
        Endpoint rpc = clientOf(Endpoint.builder().service(new Calculator()));
        RawJson raw = rpc.call("echo", Params.of("a\"b"), RawJson.class);
        assertEquals("\"a\\\"b\"", raw.toString());
        assertNull(rpc.call("add", Params.of(1, 1), Void.class));
    }

    @Test
    void callbacksRunOffTheTransportThread() throws InterruptedException {
        Endpoint rpc = clientOf(Endpoint.builder().service(new Calculator()));
        LinkedBlockingQueue<String> seen = new LinkedBlockingQueue<>();
        rpc.send("add", Params.of(20, 22), Integer.class)
                .whenDone((result, error) -> seen.add(result + " " + error + " " + Thread.currentThread().getName()));
        rpc.send("nope", Params.none(), Integer.class)
                .whenDone((result, error) -> seen.add(result + " " + ((RpcException) error).code()));
        List<String> results = List.of(seen.poll(10, TimeUnit.SECONDS), seen.poll(10, TimeUnit.SECONDS));
        assertTrue(results.contains("null -32601"), results.toString());
        String success = results.stream().filter(text -> text.startsWith("42 null ")).findFirst().orElseThrow();
        assertFalse(success.contains("delivery"), "callback ran on the transport thread: " + success);
    }

    @Test
    void completableFutureStyle() {
        Endpoint rpc = clientOf(Endpoint.builder().service(new Calculator()));
        CompletableFuture<Integer> future = rpc.send("add", Params.of(1, 2), Integer.class).toCompletableFuture();
        assertEquals(6, future.thenApply(sum -> sum * 2).join());
    }

    @Test
    void scatterGatherKeepsRequestOrder() {
        Endpoint rpc = clientOf(Endpoint.builder().service(new Calculator()));
        List<Call<String>> calls = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            calls.add(rpc.send("slow", Params.of("r" + i, (10 - i) * 20L), String.class));
        }
        List<String> results = Call.joinAll(calls);
        assertEquals(List.of("r0", "r1", "r2", "r3", "r4", "r5", "r6", "r7", "r8", "r9"), results);
    }

    @Test
    void scatterGatherReportsTheFirstFailureInRequestOrder() {
        Endpoint rpc = clientOf(Endpoint.builder().service(new Calculator()));
        List<Call<Integer>> calls = List.of(
                rpc.send("add", Params.of(1, 1), Integer.class),
                rpc.send("missing", Params.none(), Integer.class),
                rpc.send("add", Params.of("x", 1), Integer.class));
        RpcException error = assertThrows(RpcException.class, () -> Call.joinAll(calls));
        assertEquals(ErrorCodes.METHOD_NOT_FOUND, error.code());
        assertTrue(calls.stream().allMatch(Call::isDone), "waits for every call before reporting");
    }

    @Test
    void batchSendsOneArrayAndEachCallEndsOnItsOwn() {
        Endpoint rpc = clientOf(Endpoint.builder().service(new Calculator()));
        Batch batch = rpc.batch();
        Call<Integer> sum = batch.add("add", Params.of(1, 2), Integer.class);
        Call<String> echo = batch.add("echo", Params.of("b"), String.class);
        Call<Integer> missing = batch.add("missing", Params.none(), Integer.class);
        batch.notify("log", Params.of("from batch"));
        batch.send();
        assertEquals(3, sum.join());
        assertEquals("b", echo.join());
        assertEquals(ErrorCodes.METHOD_NOT_FOUND, assertThrows(RpcException.class, missing::join).code());
        assertThrows(IllegalStateException.class, batch::send, "a batch is sent once");
        assertThrows(IllegalStateException.class, () -> rpc.batch().send(), "an empty batch is refused");
    }

    @Test
    void batchGoesOutAsASingleFrame() {
        RawClient client = clientWithRawPeer();
        Endpoint rpc = client.rpc();
        dev.piperpc.core.testing.RawPeer peer = client.peer();
        Batch batch = rpc.batch();
        Call<Integer> first = batch.add("a", Params.of(1), Integer.class);
        Call<Integer> second = batch.add("b", Params.none(), Integer.class);
        batch.notify("c", Params.named(Map.of("k", "v")));
        batch.send();
        var frame = peer.nextTree();
        assertTrue(frame.isArray());
        assertEquals(3, frame.size());
        assertEquals("{\"k\":\"v\"}", frame.get(2).get("params").toString());
        assertFalse(frame.get(2).has("id"));
        peer.send("[{\"jsonrpc\":\"2.0\",\"id\":" + second.id() + ",\"result\":2},{\"jsonrpc\":\"2.0\",\"id\":" + first.id() + ",\"result\":1}]");
        assertEquals(1, first.join());
        assertEquals(2, second.join());
    }

    @Test
    void completionQueueHandsOutCallsInArrivalOrder() {
        Calculator service = new Calculator();
        Endpoint rpc = clientOf(Endpoint.builder().service(service));
        CompletionQueue<String> queue = new CompletionQueue<>();
        queue.add(rpc.send("gate", Params.of("first sent"), String.class));
        queue.add(rpc.send("gate", Params.of("second sent"), String.class));
        queue.add(rpc.send("gate", Params.of("third sent"), String.class));
        List<String> order = new ArrayList<>();
        for (String name : List.of("third sent", "first sent", "second sent")) {
            service.open(name);
            order.add(queue.take().join());
        }
        assertEquals(List.of("third sent", "first sent", "second sent"), order);
        assertThrows(IllegalStateException.class, queue::take, "take with nothing outstanding would wait forever");
    }

    @Test
    void notificationsGoBothWaysAndPeersCallEachOther() throws InterruptedException {
        Calculator clientSide = new Calculator();
        Calculator serverSide = new Calculator();
        Endpoint[] pair = connect(Endpoint.builder().service(clientSide), Endpoint.builder().service(serverSide));
        pair[0].notify("log", Params.of("to server"));
        pair[1].notify("log", Params.of("to client"));
        assertEquals("log:to server", serverSide.events.poll(10, TimeUnit.SECONDS));
        assertEquals("log:to client", clientSide.events.poll(10, TimeUnit.SECONDS));
        assertEquals(7, pair[1].call("add", Params.of(3, 4), Integer.class), "the server calls the client");
    }

    @Test
    void aHandlerCanCallItsPeerBackWhileAnswering() {
        Endpoint.Builder server = Endpoint.builder().handler("ask", request ->
                "client says " + request.endpoint().call("echo", Params.of("pong"), String.class));
        Endpoint[] pair = connect(Endpoint.builder().service(new Calculator()), server);
        assertEquals("client says pong", pair[0].call("ask", Params.none(), String.class));
    }

    @Test
    void idSpacesAreSeparate() throws Exception {
        CountDownLatch bothSent = new CountDownLatch(2);
        Endpoint.Builder handler = Endpoint.builder().handler("who", request -> {
            bothSent.await(10, TimeUnit.SECONDS);
            return "answered by " + request.endpoint();
        });
        Endpoint[] pair = connect(Endpoint.builder().handler("who", request -> {
            bothSent.await(10, TimeUnit.SECONDS);
            return "answered by " + request.endpoint();
        }), handler);
        Call<String> fromClient = pair[0].send("who", Params.none(), String.class);
        bothSent.countDown();
        Call<String> fromServer = pair[1].send("who", Params.none(), String.class);
        bothSent.countDown();
        assertEquals(fromClient.id(), fromServer.id(), "both sides use id 1");
        assertEquals("answered by Endpoint[in-memory-right]", fromClient.join());
        assertEquals("answered by Endpoint[in-memory-left]", fromServer.join());
    }

    @Test
    void typedProxies() {
        Endpoint rpc = clientOf(Endpoint.builder().service(new Calculator()).service(new Named()));
        CalculatorApi api = rpc.proxy(CalculatorApi.class);
        assertEquals(9, api.add(4, 5));
        assertEquals("LOUD", api.later("loud").join());
        assertEquals("Hello, Ada!", api.greet("Ada", "Hello"));
        assertTrue(api.toString().contains("CalculatorApi"));
        RpcException error = assertThrows(RpcException.class, api::missing);
        assertEquals(ErrorCodes.METHOD_NOT_FOUND, error.code());
    }

    /** The client's view of the services. */
    public interface CalculatorApi {
        int add(int a, int b);

        CompletableFuture<String> later(String text);

        @JsonRpcMethod("greeting")
        String greet(@JsonRpcParam("name") String name, @JsonRpcParam("salutation") String salutation);

        void missing();
    }

    /** A service whose one method takes named params only. */
    public static final class Named {
        @JsonRpcMethod("greeting")
        public String greet(@JsonRpcParam("salutation") String salutation, @JsonRpcParam("name") String name) {
            return salutation + ", " + name + "!";
        }
    }

    @Test
    void timeoutEndsTheCallAndTellsThePeer() throws InterruptedException {
        Calculator service = new Calculator();
        LinkedBlockingQueue<String> cancels = new LinkedBlockingQueue<>();
        Endpoint rpc = clientOf(Endpoint.builder().service(service));
        long start = System.nanoTime();
        Call<Void> call = rpc.send("never", Params.none(), Void.class, Duration.ofMillis(200));
        CallTimeoutException error = assertThrows(CallTimeoutException.class, call::join);
        long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(elapsedMillis >= 190, "ended after " + elapsedMillis + " ms");
        assertTrue(error.getMessage().contains("'never'") && error.getMessage().contains("PT0.2S"), error.getMessage());
        assertEquals("never-started", service.events.poll(10, TimeUnit.SECONDS));
        assertEquals(0, rpc.stats().callsPending());
        assertEquals(2, rpc.call("add", Params.of(1, 1), Integer.class), "the connection goes on");
        cancels.clear();
    }

    @Test
    void joinWithAWaitLeavesTheCallPending() {
        Calculator service = new Calculator();
        Endpoint rpc = clientOf(Endpoint.builder().service(service));
        Call<String> call = rpc.send("gate", Params.of("done"), String.class);
        assertThrows(JoinTimeoutException.class, () -> call.join(Duration.ofMillis(20)), "the wait ran out, not the call");
        assertFalse(call.isDone());
        service.open("done");
        assertEquals("done", call.join());
    }

    @Test
    void cancelFailsLocallyAndInterruptsThePeersHandler() throws InterruptedException {
        Calculator service = new Calculator();
        Endpoint rpc = clientOf(Endpoint.builder().service(service));
        Call<String> call = rpc.send("blockUntilCancelled", Params.none(), String.class);
        assertEquals("started", service.events.poll(10, TimeUnit.SECONDS));
        assertTrue(call.cancel());
        assertFalse(call.cancel(), "a call ends once");
        assertInstanceOf(CallCancelledException.class, assertThrows(PiperpcException.class, call::join));
        assertEquals("interrupted, cancelled=true", service.events.poll(10, TimeUnit.SECONDS));
        assertEquals(3, rpc.call("add", Params.of(1, 2), Integer.class));
    }

    @Test
    void aPeerThatIsCancelledAnswersRequestCancelled() {
        Calculator service = new Calculator();
        InMemoryTransport.Pair pair = InMemoryTransport.pair();
        endpoints.add(Endpoint.builder().service(service).connect(pair.right()));
        dev.piperpc.core.testing.RawPeer peer = new dev.piperpc.core.testing.RawPeer(pair.left());
        peer.send("{\"jsonrpc\":\"2.0\",\"id\":\"job\",\"method\":\"blockUntilCancelled\"}");
        peer.send("{\"jsonrpc\":\"2.0\",\"method\":\"$/cancelRequest\",\"params\":{\"id\":\"job\"}}");
        var answer = peer.nextTree();
        assertEquals("job", answer.get("id").asText());
        assertEquals(ErrorCodes.REQUEST_CANCELLED, answer.path("error").path("code").asInt());
    }

    @Test
    void cancellingTheFutureCancelsTheCall() throws InterruptedException {
        Calculator service = new Calculator();
        Endpoint rpc = clientOf(Endpoint.builder().service(service));
        Call<String> call = rpc.send("blockUntilCancelled", Params.none(), String.class);
        assertEquals("started", service.events.poll(10, TimeUnit.SECONDS));
        call.toCompletableFuture().cancel(true);
        assertThrows(CallCancelledException.class, call::join);
    }

    @Test
    void closeTakesNoNewCallsAndLetsPendingOnesFinish() throws Exception {
        Calculator service = new Calculator();
        Endpoint[] pair = connect(Endpoint.builder().closeGrace(Duration.ofSeconds(20)), Endpoint.builder().service(service));
        Endpoint rpc = pair[0];
        Call<String> pending = rpc.send("gate", Params.of("finished"), String.class);
        CompletableFuture<Long> closed = CompletableFuture.supplyAsync(() -> {
            long start = System.nanoTime();
            rpc.close();
            return System.nanoTime() - start;
        });
        ConnectionClosedException refused = null;
        for (int i = 0; i < 2_000 && refused == null; i++) {
            try {
                rpc.send("add", Params.of(1, 2), Integer.class).join();
                Thread.sleep(5);
            } catch (ConnectionClosedException e) {
                refused = e;
            }
        }
        assertNotNull(refused, "new calls are refused while closing");
        assertTrue(refused.getMessage().contains("closing"), refused.getMessage());
        assertFalse(closed.isDone(), "close waits for the pending call");
        service.open("finished");
        assertEquals("finished", pending.join(), "the pending call finished normally");
        assertTrue(closed.get(10, TimeUnit.SECONDS) < TimeUnit.SECONDS.toNanos(15), "close returned once nothing was pending");
        assertTrue(rpc.isClosed());
    }

    @Test
    void closeEndsWhatIsLeftWhenItsGraceRunsOut() {
        Calculator service = new Calculator();
        Endpoint[] pair = connect(Endpoint.builder().closeGrace(Duration.ofMillis(200)), Endpoint.builder().service(service));
        Call<String> stuck = pair[0].send("blockUntilCancelled", Params.none(), String.class, Duration.ofMinutes(5));
        long start = System.nanoTime();
        pair[0].close();
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5), "close waited its grace, not the call's timeout");
        assertThrows(ConnectionClosedException.class, stuck::join);
    }

    @Test
    void closeNowFailsEveryPendingCallAtOnce() throws InterruptedException {
        Calculator service = new Calculator();
        Endpoint[] pair = connect(Endpoint.builder(), Endpoint.builder().service(service));
        Endpoint rpc = pair[0];
        List<Call<String>> calls = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            calls.add(rpc.send("blockUntilCancelled", Params.none(), String.class, Duration.ofMinutes(5)));
        }
        for (int i = 0; i < 5; i++) {
            assertEquals("started", service.events.poll(10, TimeUnit.SECONDS));
        }
        long start = System.nanoTime();
        pair[1].closeNow();
        for (Call<String> call : calls) {
            ConnectionClosedException error = assertThrows(ConnectionClosedException.class, call::join);
            assertTrue(error.getMessage().contains("in-memory-left is closed"), error.getMessage());
        }
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5), "failed at once, not by timeout");
        assertTrue(rpc.isClosed());
        Call<Integer> late = rpc.send("add", Params.of(1, 2), Integer.class);
        assertThrows(ConnectionClosedException.class, late::join);
        assertThrows(ConnectionClosedException.class, () -> rpc.notify("log", Params.of("x")));
    }

    @Test
    void unserializableParamsAreRefusedAtSend() {
        Endpoint rpc = clientOf(Endpoint.builder().service(new Calculator()));
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> rpc.send("echo", Params.of(new Object()), String.class));
        assertTrue(error.getMessage().contains("cannot serialize the params of 'echo'"), error.getMessage());
        assertEquals(0, rpc.stats().callsPending());
    }

    @Test
    void aResultOfTheWrongTypeIsAProtocolError() {
        Endpoint rpc = clientOf(Endpoint.builder().service(new Calculator()));
        ProtocolException error = assertThrows(ProtocolException.class, () -> rpc.call("echo", Params.of("abc"), Integer.class));
        assertTrue(error.getMessage().contains("does not fit java.lang.Integer: Cannot deserialize"), error.getMessage());
    }

    @Test
    void responsesWithUnknownIdsAreCountedAndIgnored() {
        RawClient client = clientWithRawPeer();
        Endpoint rpc = client.rpc();
        dev.piperpc.core.testing.RawPeer peer = client.peer();
        Call<Integer> call = rpc.send("x", Params.none(), Integer.class);
        peer.next();
        peer.send("{\"jsonrpc\":\"2.0\",\"id\":999,\"result\":1}");
        peer.send("{\"jsonrpc\":\"2.0\",\"id\":\"abc\",\"result\":1}");
        peer.send("{\"jsonrpc\":\"2.0\",\"id\":" + call.id() + ",\"result\":7}");
        assertEquals(7, call.join());
        assertEquals(2, rpc.stats().unknownResponses());
    }

    @Test
    void aMalformedResponseFailsItsCallClearly() {
        RawClient client = clientWithRawPeer();
        Endpoint rpc = client.rpc();
        dev.piperpc.core.testing.RawPeer peer = client.peer();
        Call<Integer> call = rpc.send("x", Params.none(), Integer.class);
        peer.next();
        peer.send("{\"jsonrpc\":\"2.0\",\"id\":" + call.id() + ",\"result\":1,\"error\":{\"code\":1,\"message\":\"m\"}}");
        ProtocolException error = assertThrows(ProtocolException.class, call::join);
        assertTrue(error.getMessage().contains("malformed response"), error.getMessage());
        assertFalse(peer.hasMore(), "a response is never answered");
    }

    @Test
    void hundredThousandCallsAnsweredInRandomOrderEachGetTheirOwnResult() {
        int total = 100_000;
        int window = 1_000;
        InMemoryTransport.Pair second = InMemoryTransport.pair();
        Random random = new Random(7);
        ShufflingEchoPeer echo = new ShufflingEchoPeer(second.right(), window, total, random);
        Endpoint rpc = Endpoint.builder().defaultTimeout(Duration.ofMinutes(2)).connect(second.left());
        endpoints.add(rpc);
        List<Call<Long>> calls = new ArrayList<>(total);
        for (int i = 0; i < total; i++) {
            calls.add(rpc.send("double", Params.of((long) i), Long.class));
        }
        for (int i = 0; i < total; i++) {
            assertEquals(2L * i, calls.get(i).join(), "call " + i);
        }
        assertTrue(echo.outOfOrder() > total / 3, "responses really came out of order: " + echo.outOfOrder());
        assertEquals(0, rpc.stats().callsPending());
        assertNotEquals(0, rpc.stats().callsSent());
    }

    /** A raw peer that answers "double" requests in shuffled windows. */
    static final class ShufflingEchoPeer {
        private final InMemoryTransport transport;
        private final int window;
        private final int total;
        private int seen;
        private final Random random;
        private final List<long[]> held = new ArrayList<>();
        private int outOfOrder;
        private long lastSentId = -1;

        ShufflingEchoPeer(InMemoryTransport transport, int window, int total, Random random) {
            this.transport = transport;
            this.window = window;
            this.total = total;
            this.random = random;
            transport.start(new dev.piperpc.core.transport.Transport.Listener() {
                @Override
                public void onMessage(byte[] json) {
                    var tree = dev.piperpc.core.testing.RawPeer.tree(new String(json, java.nio.charset.StandardCharsets.UTF_8));
                    hold(tree.get("id").asLong(), tree.get("params").get(0).asLong());
                }

                @Override
                public void onError(Exception error) {
                }

                @Override
                public void onClosed(Throwable cause) {
                }
            });
        }

        private synchronized void hold(long id, long value) {
            held.add(new long[] {id, value});
            seen++;
            if (held.size() == window || seen == total) {
                release();
            }
        }

        private void release() {
            Collections.shuffle(held, random);
            for (long[] entry : held) {
                if (entry[0] < lastSentId) {
                    outOfOrder++;
                }
                lastSentId = entry[0];
                transport.send(("{\"jsonrpc\":\"2.0\",\"id\":" + entry[0] + ",\"result\":" + (2 * entry[1]) + "}")
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
            held.clear();
        }

        synchronized int outOfOrder() {
            return outOfOrder;
        }
    }
}
