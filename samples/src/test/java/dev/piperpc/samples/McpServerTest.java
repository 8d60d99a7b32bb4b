package dev.piperpc.samples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.piperpc.samples.mcp.McpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The MCP sample server as a real process, driven as an MCP client drives it over stdio: JSON
 * lines written to its stdin, JSON lines read from its stdout.
 */
@Timeout(60)
class McpServerTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Process server;
    private OutputStream stdin;
    private final LinkedBlockingQueue<JsonNode> stdout = new LinkedBlockingQueue<>();
    private final LinkedBlockingQueue<String> stderr = new LinkedBlockingQueue<>();

    @BeforeEach
    void start() throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        server = new ProcessBuilder(java, "-Xlog:all=warning:stderr", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                McpServer.class.getName()).start();
        stdin = server.getOutputStream();
        daemon(() -> readLines(server.getInputStream(), line -> stdout.add(tree(line))));
        daemon(() -> readLines(server.getErrorStream(), stderr::add));
    }

    @AfterEach
    void stop() throws InterruptedException {
        server.destroyForcibly();
        server.waitFor(10, TimeUnit.SECONDS);
    }

    private static void daemon(Runnable body) {
        Thread thread = new Thread(body);
        thread.setDaemon(true);
        thread.start();
    }

    private static void readLines(java.io.InputStream in, java.util.function.Consumer<String> sink) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                sink.accept(line);
            }
        } catch (IOException ended) {
            // the process ended
        }
    }

    private static JsonNode tree(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON on stdout: " + json, e);
        }
    }

    private void send(String json) {
        try {
            stdin.write((json + "\n").getBytes(StandardCharsets.UTF_8));
            stdin.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void request(Object id, String method, String params) {
        send("{\"jsonrpc\":\"2.0\",\"id\":" + MAPPER.valueToTree(id) + ",\"method\":\"" + method + "\",\"params\":" + params + "}");
    }

    private JsonNode next() throws InterruptedException {
        JsonNode line = stdout.poll(20, TimeUnit.SECONDS);
        if (line == null) {
            throw new AssertionError("nothing on stdout within 20 s; stderr: " + stderr);
        }
        return line;
    }

    /** What the server wrote up to and including the response with {@code id}. */
    private List<JsonNode> untilResponse(Object id) throws InterruptedException {
        JsonNode wanted = MAPPER.valueToTree(id);
        List<JsonNode> lines = new ArrayList<>();
        while (true) {
            JsonNode line = next();
            lines.add(line);
            if (wanted.equals(line.get("id")) && !line.has("method")) {
                return lines;
            }
        }
    }

    private JsonNode response(Object id) throws InterruptedException {
        List<JsonNode> lines = untilResponse(id);
        return lines.get(lines.size() - 1);
    }

    /** {@code actual} is {@code expected}, member order aside. */
    private static void assertLines(List<String> expected, List<JsonNode> actual, String message) {
        assertEquals(expected.stream().map(McpServerTest::tree).toList(), actual, message);
    }

    private void handshake() throws InterruptedException {
        request(0, "initialize", "{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"test\",\"version\":\"1\"}}");
        assertEquals("2025-06-18", response(0).path("result").path("protocolVersion").asText());
        send("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
    }

    private String awaitStderr(String text) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            String line = stderr.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (line != null && line.contains(text)) {
                return line;
            }
        }
        throw new AssertionError("no '" + text + "' on stderr within 20 s");
    }

    @Test
    void answersTheHandshakeListsItsToolsAndCallsThem() throws InterruptedException {
        request(0, "initialize", "{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"test\",\"version\":\"1\"}}");
        JsonNode initialized = response(0).get("result");
        assertEquals("2025-06-18", initialized.get("protocolVersion").asText(), "the client's revision, which it speaks");
        assertEquals("{}", initialized.get("capabilities").get("tools").toString());
        assertEquals("piperpc-mcp-sample", initialized.get("serverInfo").get("name").asText());
        send("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
        request("again", "initialize", "{\"protocolVersion\":\"1999-01-01\",\"capabilities\":{}}");
        assertEquals("2025-11-25", response("again").get("result").get("protocolVersion").asText(), "else its newest");

        request(1, "ping", "{}");
        assertLines(List.of("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}"), untilResponse(1),
                "nothing answered the initialized notification");
        request(2, "tools/list", "{}");
        List<String> names = new ArrayList<>();
        response(2).get("result").get("tools").forEach(tool -> names.add(tool.get("name").asText()));
        assertEquals(List.of("add", "count"), names);

        request(3, "tools/call", "{\"name\":\"add\",\"arguments\":{\"a\":2,\"b\":3.5}}");
        assertEquals(tree("{\"content\":[{\"type\":\"text\",\"text\":\"5.5\"}]}"), response(3).get("result"));
        request(4, "tools/call", "{\"name\":\"add\",\"arguments\":{\"a\":\"two\"}}");
        assertTrue(response(4).get("result").get("isError").asBoolean(), "a tool that failed says so in its result");
        request(5, "tools/call", "{\"name\":\"subtract\",\"arguments\":{}}");
        assertEquals(-32602, response(5).get("error").get("code").asInt(), "an unknown tool is a protocol error");
        request(6, "resources/list", "{}");
        assertEquals(-32601, response(6).get("error").get("code").asInt());
    }

    @Test
    void progressNotificationsCarryTheRequestsProgressToken() throws InterruptedException {
        handshake();
        request(1, "tools/call", "{\"name\":\"count\",\"arguments\":{\"to\":3,\"delayMs\":0},\"_meta\":{\"progressToken\":\"tok-1\"}}");
        assertLines(List.of(
                "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/progress\",\"params\":{\"progressToken\":\"tok-1\",\"progress\":1,\"total\":3,\"message\":\"counted to 1\"}}",
                "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/progress\",\"params\":{\"progressToken\":\"tok-1\",\"progress\":2,\"total\":3,\"message\":\"counted to 2\"}}",
                "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/progress\",\"params\":{\"progressToken\":\"tok-1\",\"progress\":3,\"total\":3,\"message\":\"counted to 3\"}}",
                "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"content\":[{\"type\":\"text\",\"text\":\"counted to 3\"}]}}"),
                untilResponse(1), "progress under the request's token, then the result");

        request(2, "tools/call", "{\"_meta\":{\"progressToken\":17},\"name\":\"count\",\"arguments\":{\"to\":2,\"delayMs\":0}}");
        List<JsonNode> numeric = untilResponse(2);
        assertEquals(3, numeric.size(), numeric.toString());
        for (JsonNode progress : numeric.subList(0, 2)) {
            assertEquals("17", progress.get("params").get("progressToken").toString(), progress.toString());
        }

        request(3, "tools/call", "{\"name\":\"count\",\"arguments\":{\"to\":3,\"delayMs\":0}}");
        List<JsonNode> none = untilResponse(3);
        assertEquals(1, none.size(), "no progressToken, no progress: " + none);
    }

    @Test
    void aRunningToolStopsOnNotificationsCancelledAndIsNotAnswered() throws InterruptedException {
        handshake();
        request(7, "tools/call", "{\"name\":\"count\",\"arguments\":{\"to\":1000,\"delayMs\":20},\"_meta\":{\"progressToken\":\"c\"}}");
        assertEquals("notifications/progress", next().get("method").asText(), "the tool is running");
        send("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/cancelled\",\"params\":{\"requestId\":7,\"reason\":\"enough\"}}");
        assertTrue(awaitStderr("count cancelled after").contains("of 1000 steps"));

        request(8, "ping", "{}");
        List<JsonNode> rest = untilResponse(8);
        for (JsonNode line : rest.subList(0, rest.size() - 1)) {
            assertEquals("notifications/progress", line.path("method").asText(), "only progress already under way: " + rest);
        }
        request(9, "tools/call", "{\"name\":\"add\",\"arguments\":{\"a\":1,\"b\":1}}");
        assertLines(List.of("{\"jsonrpc\":\"2.0\",\"id\":9,\"result\":{\"content\":[{\"type\":\"text\",\"text\":\"2\"}]}}"),
                untilResponse(9), "the cancelled call is never answered; the server goes on");
    }

    @Test
    void aRunningToolStopsOnCancelRequestAndIsAnsweredRequestCancelled() throws InterruptedException {
        handshake();
        request("job", "tools/call", "{\"name\":\"count\",\"arguments\":{\"to\":1000,\"delayMs\":20},\"_meta\":{\"progressToken\":\"c\"}}");
        assertEquals("notifications/progress", next().get("method").asText(), "the tool is running");
        send("{\"jsonrpc\":\"2.0\",\"method\":\"$/cancelRequest\",\"params\":{\"id\":\"job\"}}");
        JsonNode cancelled = response("job");
        assertEquals(-32800, cancelled.get("error").get("code").asInt(), cancelled.toString());
        assertTrue(awaitStderr("count cancelled after").contains("of 1000 steps"));
        request(9, "ping", "{}");
        JsonNode ping = response(9);
        assertFalse(ping.has("error"), ping.toString());
    }
}
