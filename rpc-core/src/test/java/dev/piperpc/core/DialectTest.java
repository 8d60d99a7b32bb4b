package dev.piperpc.core;

import com.fasterxml.jackson.databind.JsonNode;
import dev.piperpc.core.message.ErrorCodes;
import dev.piperpc.core.testing.RawPeer;
import dev.piperpc.core.transport.InMemoryTransport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Cancellation in both dialects, with the peer driven as raw JSON text. */
@Timeout(60)
class DialectTest {

    private final List<Endpoint> endpoints = new ArrayList<>();

    @AfterEach
    void closeAll() {
        endpoints.forEach(Endpoint::closeNow);
    }

    private record Connected(Endpoint rpc, RawPeer peer) {
    }

    private Connected connect(Endpoint.Builder builder) {
        InMemoryTransport.Pair pair = InMemoryTransport.pair();
        RawPeer peer = new RawPeer(pair.right());
        Endpoint rpc = builder.connect(pair.left());
        endpoints.add(rpc);
        return new Connected(rpc, peer);
    }

    /** A method that runs until it is cancelled, saying so. */
    public static final class Blocking {
        final LinkedBlockingQueue<String> events = new LinkedBlockingQueue<>();

        public String block(RequestContext context) {
            events.add("started " + context.id());
            try {
                new CountDownLatch(1).await(30, TimeUnit.SECONDS);
                return "not cancelled";
            } catch (InterruptedException e) {
                events.add("interrupted " + context.id() + ", cancelled=" + context.isCancelled());
                return "after the cancellation";
            }
        }

        public int add(int a, int b) {
            return a + b;
        }
    }

    private static void assertCancellation(JsonNode sent, String method, String params) {
        assertFalse(sent.has("id"), "a notification: " + sent);
        assertEquals(method, sent.get("method").asText(), sent.toString());
        assertEquals(RawPeer.tree(params), sent.get("params"), sent.toString());
    }

    @Test
    void anLspEndpointCancelsWithCancelRequest() {
        Connected connected = connect(Endpoint.builder());
        assertEquals(Dialect.LSP, connected.rpc().dialect(), "the default");
        Call<String> call = connected.rpc().send("block", Params.none(), String.class);
        assertEquals(call.id().asLong(), connected.peer().nextTree().get("id").asLong());
        assertTrue(call.cancel());
        assertCancellation(connected.peer().nextTree(), "$/cancelRequest", "{\"id\":" + call.id() + "}");
    }

    @Test
    void anMcpEndpointCancelsAndTimesOutWithNotificationsCancelledAndAReason() {
        Connected connected = connect(Endpoint.builder().dialect(Dialect.MCP));
        AtomicInteger ends = new AtomicInteger();
        Call<String> cancelled = connected.rpc().send("block", Params.none(), String.class).whenDone((result, error) -> ends.incrementAndGet());
        connected.peer().next();
        assertTrue(cancelled.cancel());
        assertFalse(cancelled.cancel(), "a call ends once");
        assertCancellation(connected.peer().nextTree(), "notifications/cancelled",
                "{\"requestId\":" + cancelled.id() + ",\"reason\":\"cancelled by the caller\"}");
        assertThrows(CallCancelledException.class, cancelled::join);

        Call<String> timedOut = connected.rpc().send("block", Params.none(), String.class, Duration.ofMillis(100));
        connected.peer().next();
        assertCancellation(connected.peer().nextTree(), "notifications/cancelled",
                "{\"requestId\":" + timedOut.id() + ",\"reason\":\"no response within 100 ms\"}");
        assertThrows(CallTimeoutException.class, timedOut::join);

        // A peer that answers all the same: the answer is ignored, the calls stay ended as they were.
        connected.peer().send("{\"jsonrpc\":\"2.0\",\"id\":" + cancelled.id() + ",\"result\":\"late\"}");
        Call<Integer> probe = connected.rpc().send("add", Params.of(1, 2), Integer.class);
        connected.peer().next();
        connected.peer().send("{\"jsonrpc\":\"2.0\",\"id\":" + probe.id() + ",\"result\":3}");
        assertEquals(3, probe.join());
        assertThrows(CallCancelledException.class, cancelled::join);
        assertEquals(1, connected.rpc().stats().unknownResponses());
        assertEquals(1, ends.get(), "the cancelled call's callback ran once");
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void bothCancellationsAreObeyedWhateverTheDialect(Dialect dialect) throws InterruptedException {
        Blocking service = new Blocking();
        Connected connected = connect(Endpoint.builder().dialect(dialect).service(service));
        RawPeer peer = connected.peer();

        peer.send("{\"jsonrpc\":\"2.0\",\"id\":\"lsp\",\"method\":\"block\"}");
        assertEquals("started \"lsp\"", service.events.poll(10, TimeUnit.SECONDS));
        peer.send("{\"jsonrpc\":\"2.0\",\"method\":\"$/cancelRequest\",\"params\":{\"id\":\"lsp\"}}");
        JsonNode answer = peer.nextTree();
        assertEquals("lsp", answer.get("id").asText(), answer.toString());
        assertEquals(ErrorCodes.REQUEST_CANCELLED, answer.path("error").path("code").asInt(), "LSP answers a cancelled request");
        assertEquals("interrupted \"lsp\", cancelled=true", service.events.poll(10, TimeUnit.SECONDS));

        peer.send("{\"jsonrpc\":\"2.0\",\"id\":12345678901234567890,\"method\":\"block\"}");
        assertEquals("started 12345678901234567890", service.events.poll(10, TimeUnit.SECONDS));
        peer.send("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/cancelled\",\"params\":{\"requestId\":12345678901234567890,\"reason\":\"enough\"}}");
        assertEquals("interrupted 12345678901234567890, cancelled=true", service.events.poll(10, TimeUnit.SECONDS));
        peer.send("{\"jsonrpc\":\"2.0\",\"id\":\"probe\",\"method\":\"add\",\"params\":[1,2]}");
        JsonNode probe = peer.nextTree();
        assertEquals("probe", probe.get("id").asText(), "MCP leaves a cancelled request unanswered: " + probe);
        assertEquals(0, connected.rpc().stats().requestsRunning(), "nothing is left running");
    }

    @Test
    void aBatchMemberCancelledTheMcpWayIsStillAnsweredSoTheBatchAnswerIsWhole() throws InterruptedException {
        Blocking service = new Blocking();
        Connected connected = connect(Endpoint.builder().dialect(Dialect.MCP).service(service));
        connected.peer().send("[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"block\"},{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"add\",\"params\":[2,3]}]");
        assertEquals("started 1", service.events.poll(10, TimeUnit.SECONDS));
        connected.peer().send("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/cancelled\",\"params\":{\"requestId\":1}}");
        JsonNode batch = connected.peer().nextTree();
        assertTrue(batch.isArray() && batch.size() == 2, batch.toString());
        assertEquals(ErrorCodes.REQUEST_CANCELLED, batch.get(0).path("error").path("code").asInt(), batch.toString());
        assertEquals(5, batch.get(1).get("result").asInt(), batch.toString());
    }

    @Test
    void cancellationsNamingNoRunningRequestAreIgnored() {
        Connected connected = connect(Endpoint.builder().service(new Blocking()));
        RawPeer peer = connected.peer();
        peer.send("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/cancelled\",\"params\":{\"requestId\":99}}");
        peer.send("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/cancelled\",\"params\":{\"id\":1}}");
        peer.send("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/cancelled\",\"params\":[1]}");
        peer.send("{\"jsonrpc\":\"2.0\",\"method\":\"$/cancelRequest\"}");
        peer.send("{\"jsonrpc\":\"2.0\",\"id\":\"probe\",\"method\":\"add\",\"params\":[1,2]}");
        JsonNode probe = peer.nextTree();
        assertEquals("probe", probe.get("id").asText(), probe.toString());
        assertEquals(3, probe.get("result").asInt());
        assertEquals(0, connected.rpc().stats().invalidMessages());
    }
}
