package dev.piperpc.core;

import com.fasterxml.jackson.databind.JsonNode;
import dev.piperpc.core.message.Id;
import dev.piperpc.core.message.RawJson;
import dev.piperpc.core.testing.RawPeer;
import dev.piperpc.core.transport.InMemoryTransport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Calls sent under ids their caller chose, with the peer driven as raw JSON text. */
@Timeout(60)
class ChosenIdTest {

    private static final Duration LONG = Duration.ofSeconds(30);

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

    @Test
    void theCallersIdGoesOnTheWireAndItsAnswerEndsTheCall() {
        Connected c = connect(Endpoint.builder());
        Call<RawJson> text = c.rpc().send(Id.of("init-1"), "initialize", Params.none(), RawJson.class, LONG);
        Call<RawJson> number = c.rpc().send(Id.of(42), "echo", Params.of("x"), RawJson.class, LONG);
        assertEquals(RawPeer.tree("{\"jsonrpc\":\"2.0\",\"id\":\"init-1\",\"method\":\"initialize\"}"), c.peer().nextTree());
        assertEquals(RawPeer.tree("{\"jsonrpc\":\"2.0\",\"id\":42,\"method\":\"echo\",\"params\":[\"x\"]}"), c.peer().nextTree());
        c.peer().send("{\"jsonrpc\":\"2.0\",\"id\":42,\"result\":\"x\"}");
        c.peer().send("{\"jsonrpc\":\"2.0\",\"id\":\"init-1\",\"result\":{\"capabilities\":{}}}");
        assertEquals("\"x\"", number.join().toString());
        assertEquals("{\"capabilities\":{}}", text.join().toString());
        assertEquals(Id.of("init-1"), text.id());
    }

    @Test
    void anIdInFlightIsRefusedUntilItsCallEnds() {
        Connected c = connect(Endpoint.builder());
        Call<RawJson> first = c.rpc().send(Id.of("a"), "work", Params.none(), RawJson.class, LONG);
        c.peer().nextTree();
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> c.rpc().send(Id.of("a"), "work", Params.none(), RawJson.class, LONG));
        assertTrue(refused.getMessage().contains("\"a\""), refused.getMessage());
        assertFalse(c.peer().hasMore(), "nothing was sent for the refused call");
        assertFalse(first.isDone(), "the first call is untouched");
        c.peer().send("{\"jsonrpc\":\"2.0\",\"id\":\"a\",\"result\":1}");
        assertEquals("1", first.join().toString());
        Call<RawJson> again = c.rpc().send(Id.of("a"), "work", Params.none(), RawJson.class, LONG);
        assertEquals("a", c.peer().nextTree().get("id").asText(), "free again once the first ended");
        c.peer().send("{\"jsonrpc\":\"2.0\",\"id\":\"a\",\"result\":2}");
        assertEquals("2", again.join().toString());
    }

    @Test
    void numericIdsNeverClashWithTheEndpointsOwn() {
        Connected c = connect(Endpoint.builder());
        Call<RawJson> generated = c.rpc().send("work", Params.none(), RawJson.class, LONG);
        long taken = c.peer().nextTree().get("id").asLong();
        assertThrows(IllegalStateException.class, () -> c.rpc().send(Id.of(taken), "work", Params.none(), RawJson.class, LONG),
                "the endpoint's own id in flight");
        Call<RawJson> chosen = c.rpc().send(Id.of(taken + 1), "work", Params.none(), RawJson.class, LONG);
        c.peer().nextTree();
        Call<RawJson> next = c.rpc().send("work", Params.none(), RawJson.class, LONG);
        assertNotEquals(taken + 1, c.peer().nextTree().get("id").asLong(), "the endpoint skips an id its caller holds");
        c.peer().send("{\"jsonrpc\":\"2.0\",\"id\":" + (taken + 1) + ",\"result\":\"chosen\"}");
        c.peer().send("{\"jsonrpc\":\"2.0\",\"id\":" + taken + ",\"result\":\"generated\"}");
        c.peer().send("{\"jsonrpc\":\"2.0\",\"id\":" + next.id().asLong() + ",\"result\":\"next\"}");
        assertEquals("\"chosen\"", chosen.join().toString());
        assertEquals("\"generated\"", generated.join().toString());
        assertEquals("\"next\"", next.join().toString());
    }

    @Test
    void cancellingSendsTheCallersIdInEitherDialect() {
        Connected lsp = connect(Endpoint.builder());
        Call<RawJson> call = lsp.rpc().send(Id.of("q-7"), "work", Params.none(), RawJson.class, LONG);
        lsp.peer().nextTree();
        assertTrue(call.cancel());
        assertEquals(RawPeer.tree("{\"jsonrpc\":\"2.0\",\"method\":\"$/cancelRequest\",\"params\":{\"id\":\"q-7\"}}"),
                lsp.peer().nextTree());

        Connected mcp = connect(Endpoint.builder().dialect(Dialect.MCP));
        Call<RawJson> tool = mcp.rpc().send(Id.of(9), "tools/call", Params.none(), RawJson.class, Duration.ofMillis(200));
        mcp.peer().nextTree();
        assertThrows(CallTimeoutException.class, tool::join);
        JsonNode cancelled = mcp.peer().nextTree();
        assertEquals(ProtocolMethods.MCP_CANCELLED, cancelled.get("method").asText());
        assertEquals(9, cancelled.get("params").get("requestId").asInt(), cancelled.toString());
        mcp.peer().send("{\"jsonrpc\":\"2.0\",\"id\":9,\"result\":\"late\"}");
        assertEquals(1, waitForUnknown(mcp.rpc()), "a late answer to a timed-out chosen id is ignored");
    }

    @Test
    void theNullIdIsRefused() {
        Connected c = connect(Endpoint.builder());
        assertThrows(IllegalArgumentException.class, () -> c.rpc().send(Id.NULL, "work", Params.none(), RawJson.class, LONG));
    }

    private static long waitForUnknown(Endpoint rpc) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (rpc.stats().unknownResponses() == 0 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        return rpc.stats().unknownResponses();
    }
}
