package dev.piperpc.core;

import com.fasterxml.jackson.databind.JsonNode;
import dev.piperpc.core.testing.RawPeer;
import dev.piperpc.core.testing.SpecService;
import dev.piperpc.core.transport.InMemoryTransport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static dev.piperpc.core.testing.RawPeer.tree;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every example of section 7 of the JSON-RPC 2.0 specification, sent as raw text to an endpoint
 * serving the specification's methods; the answers must be what the specification shows. Error
 * responses are compared on code and id (the specification lets messages and data vary).
 */
class SpecificationExamplesTest {

    private final SpecService service = new SpecService();
    private Endpoint server;
    private RawPeer client;

    @BeforeEach
    void connect() {
        InMemoryTransport.Pair pair = InMemoryTransport.pair();
        server = Endpoint.builder().service(service).connect(pair.right());
        client = new RawPeer(pair.left());
    }

    @AfterEach
    void close() {
        server.close();
    }

    private void assertAnswer(String request, String expected) {
        client.send(request);
        assertSameResponse(tree(expected), client.nextTree());
    }

    private static void assertSameResponse(JsonNode expected, JsonNode actual) {
        assertEquals("2.0", actual.path("jsonrpc").asText(), actual.toString());
        assertEquals(expected.get("id"), actual.get("id"), actual.toString());
        if (expected.has("result")) {
            assertEquals(expected.get("result"), actual.get("result"), actual.toString());
            assertFalse(actual.has("error"), actual.toString());
        } else {
            assertEquals(expected.path("error").path("code"), actual.path("error").path("code"), actual.toString());
            assertTrue(actual.path("error").path("message").isTextual(), actual.toString());
            assertFalse(actual.has("result"), actual.toString());
        }
    }

    /** Sends a request that must be the very next thing answered, proving nothing was sent before it. */
    private void assertNothingElseWasSent() {
        client.send("{\"jsonrpc\":\"2.0\",\"method\":\"get_data\",\"id\":\"probe\"}");
        assertSameResponse(tree("{\"jsonrpc\":\"2.0\",\"result\":[\"hello\",5],\"id\":\"probe\"}"), client.nextTree());
        assertFalse(client.hasMore());
    }

    private void assertBatchAnswer(String request, String... expected) {
        client.send(request);
        JsonNode answer = client.nextTree();
        assertTrue(answer.isArray(), "a batch is answered with an array: " + answer);
        assertEquals(expected.length, answer.size(), answer.toString());
        Set<Integer> matched = new HashSet<>();
        for (String each : expected) {
            JsonNode wanted = tree(each);
            int found = -1;
            for (int i = 0; i < answer.size() && found < 0; i++) {
                JsonNode candidate = answer.get(i);
                if (!matched.contains(i) && candidate.get("id").equals(wanted.get("id"))
                        && candidate.path("error").path("code").equals(wanted.path("error").path("code"))) {
                    found = i;
                }
            }
            assertTrue(found >= 0, "no response like " + each + " in " + answer);
            matched.add(found);
            assertSameResponse(wanted, answer.get(found));
        }
    }

    @Test
    void positionalParameters() {
        assertAnswer("{\"jsonrpc\": \"2.0\", \"method\": \"subtract\", \"params\": [42, 23], \"id\": 1}",
                "{\"jsonrpc\": \"2.0\", \"result\": 19, \"id\": 1}");
        assertAnswer("{\"jsonrpc\": \"2.0\", \"method\": \"subtract\", \"params\": [23, 42], \"id\": 2}",
                "{\"jsonrpc\": \"2.0\", \"result\": -19, \"id\": 2}");
    }

    @Test
    void namedParameters() {
        assertAnswer("{\"jsonrpc\": \"2.0\", \"method\": \"subtract\", \"params\": {\"subtrahend\": 23, \"minuend\": 42}, \"id\": 3}",
                "{\"jsonrpc\": \"2.0\", \"result\": 19, \"id\": 3}");
        assertAnswer("{\"jsonrpc\": \"2.0\", \"method\": \"subtract\", \"params\": {\"minuend\": 42, \"subtrahend\": 23}, \"id\": 4}",
                "{\"jsonrpc\": \"2.0\", \"result\": 19, \"id\": 4}");
    }

    @Test
    void notifications() throws InterruptedException {
        client.send("{\"jsonrpc\": \"2.0\", \"method\": \"update\", \"params\": [1,2,3,4,5]}");
        client.send("{\"jsonrpc\": \"2.0\", \"method\": \"foobar\"}");
        assertNothingElseWasSent();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (service.notifications.size() < 2 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertEquals(Set.of("update:[1, 2, 3, 4, 5]", "foobar"), Set.copyOf(service.notifications));
    }

    @Test
    void nonExistentMethod() {
        assertAnswer("{\"jsonrpc\": \"2.0\", \"method\": \"foobar\", \"id\": \"1\"}".replace("foobar", "no_such_method"),
                "{\"jsonrpc\": \"2.0\", \"error\": {\"code\": -32601, \"message\": \"Method not found\"}, \"id\": \"1\"}");
    }

    @Test
    void invalidJson() {
        assertAnswer("{\"jsonrpc\": \"2.0\", \"method\": \"foobar, \"params\": \"bar\", \"baz]",
                "{\"jsonrpc\": \"2.0\", \"error\": {\"code\": -32700, \"message\": \"Parse error\"}, \"id\": null}");
    }

    @Test
    void invalidRequestObject() {
        assertAnswer("{\"jsonrpc\": \"2.0\", \"method\": 1, \"params\": \"bar\"}",
                "{\"jsonrpc\": \"2.0\", \"error\": {\"code\": -32600, \"message\": \"Invalid Request\"}, \"id\": null}");
    }

    @Test
    void batchWithInvalidJson() {
        assertAnswer("[\n  {\"jsonrpc\": \"2.0\", \"method\": \"sum\", \"params\": [1,2,4], \"id\": \"1\"},\n  {\"jsonrpc\": \"2.0\", \"method\"\n]",
                "{\"jsonrpc\": \"2.0\", \"error\": {\"code\": -32700, \"message\": \"Parse error\"}, \"id\": null}");
    }

    @Test
    void emptyArray() {
        assertAnswer("[]", "{\"jsonrpc\": \"2.0\", \"error\": {\"code\": -32600, \"message\": \"Invalid Request\"}, \"id\": null}");
    }

    @Test
    void invalidBatchOfOne() {
        assertBatchAnswer("[1]", "{\"jsonrpc\": \"2.0\", \"error\": {\"code\": -32600, \"message\": \"Invalid Request\"}, \"id\": null}");
    }

    @Test
    void invalidBatch() {
        String invalid = "{\"jsonrpc\": \"2.0\", \"error\": {\"code\": -32600, \"message\": \"Invalid Request\"}, \"id\": null}";
        assertBatchAnswer("[1,2,3]", invalid, invalid, invalid);
    }

    @Test
    void batch() {
        assertBatchAnswer("""
                [
                    {"jsonrpc": "2.0", "method": "sum", "params": [1,2,4], "id": "1"},
                    {"jsonrpc": "2.0", "method": "notify_hello", "params": [7]},
                    {"jsonrpc": "2.0", "method": "subtract", "params": [42,23], "id": "2"},
                    {"foo": "boo"},
                    {"jsonrpc": "2.0", "method": "foo.get", "params": {"name": "myself"}, "id": "5"},
                    {"jsonrpc": "2.0", "method": "get_data", "id": "9"}
                ]""",
                "{\"jsonrpc\": \"2.0\", \"result\": 7, \"id\": \"1\"}",
                "{\"jsonrpc\": \"2.0\", \"result\": 19, \"id\": \"2\"}",
                "{\"jsonrpc\": \"2.0\", \"error\": {\"code\": -32600, \"message\": \"Invalid Request\"}, \"id\": null}",
                "{\"jsonrpc\": \"2.0\", \"error\": {\"code\": -32601, \"message\": \"Method not found\"}, \"id\": \"5\"}",
                "{\"jsonrpc\": \"2.0\", \"result\": [\"hello\", 5], \"id\": \"9\"}");
    }

    @Test
    void batchOfNotificationsOnly() throws InterruptedException {
        client.send("""
                [
                    {"jsonrpc": "2.0", "method": "notify_sum", "params": [1,2,4]},
                    {"jsonrpc": "2.0", "method": "notify_hello", "params": [7]}
                ]""");
        assertNothingElseWasSent();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (service.notifications.size() < 2 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertEquals(Set.of("notify_sum:7", "notify_hello:7"), Set.copyOf(service.notifications));
    }

    @Test
    void errorMessagesUseTheSpecificationsWording() {
        client.send("{\"jsonrpc\": \"2.0\", \"method\": \"nope\", \"id\": 1}");
        assertEquals("Method not found", client.nextTree().path("error").path("message").asText());
        client.send("{\"jsonrpc\": \"2.0\", \"method\": \"subtract\", \"params\": [\"x\", 1], \"id\": 2}");
        JsonNode invalidParams = client.nextTree();
        assertEquals(-32602, invalidParams.path("error").path("code").asInt());
        assertTrue(invalidParams.path("error").path("data").asText().contains("param 'minuend' (int)"), invalidParams.toString());
        assertFalse(client.hasMore());
    }
}
