package dev.piperpc.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code piperpc mcp tools} and {@code piperpc mcp call}, run as processes against an MCP server
 * written for the tests ({@code mcp_server.py}, Python's standard library), which records every
 * message it receives.
 */
@Timeout(180)
class CliMcpTest {

    private static final Path SERVER = Path.of("src", "test", "resources", "mcp_server.py").toAbsolutePath();
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /** The command line of the test server, recording what it receives in {@link #record()}. */
    private List<String> server(String... options) {
        List<String> command = new ArrayList<>(List.of("python3", SERVER.toString(), "--record", record().toString()));
        command.addAll(List.of(options));
        return command;
    }

    private Path record() {
        return dir.resolve("received.jsonl");
    }

    /** The messages the server received, in order. */
    private List<JsonNode> received() throws IOException {
        List<JsonNode> messages = new ArrayList<>();
        for (String line : Files.readAllLines(record())) {
            messages.add(JSON.readTree(line));
        }
        return messages;
    }

    /** {@code piperpc mcp ARGS... -- SERVER...}. */
    private static CliProcess.Result mcp(List<String> server, String... args) {
        List<String> command = new ArrayList<>(List.of("mcp"));
        command.addAll(List.of(args));
        command.add("--");
        command.addAll(server);
        return CliProcess.run(CliProcess.cli(command.toArray(String[]::new)), "");
    }

    private static JsonNode tree(String json) throws IOException {
        return JSON.readTree(json);
    }

    @Test
    void toolsShakesHandsAndPrintsEveryPageAsATableOfAtMostAHundredColumns() throws Exception {
        CliProcess.Result result = mcp(server(), "tools");

        assertEquals(0, result.exitCode(), result.stderr());
        assertEquals("", result.stderr());
        assertEquals(List.of(
                "TOOL      DESCRIPTION",
                "          PARAMETERS (* required)",
                "add       Adds two numbers.",
                "          a*: number, b*: number",
                "describe  Describes itself at length: [31m every kind of content item a tool can return, which is...",
                "          limit*: integer, tags: string[], note: string|null",
                "fail      Always fails.",
                "          (none)",
                "hang      Never answers.",
                "          (none)"), result.lines());
        for (String line : result.lines()) {
            assertTrue(line.codePointCount(0, line.length()) <= 100, "at most 100 columns: " + line);
            assertFalse(line.chars().anyMatch(Character::isISOControl), "no control characters: " + line);
        }

        List<JsonNode> received = received();
        assertEquals(4, received.size(), received.toString());
        assertEquals("initialize", received.get(0).path("method").asText());
        assertEquals(tree("{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"piperpc\",\"version\":\""
                + System.getProperty("piperpc.version") + "\"}}"), received.get(0).path("params"));
        assertEquals("notifications/initialized", received.get(1).path("method").asText());
        assertFalse(received.get(1).has("id"), "a notification");
        assertEquals("tools/list", received.get(2).path("method").asText());
        assertFalse(received.get(2).path("params").has("cursor"));
        assertEquals("tools/list", received.get(3).path("method").asText());
        assertEquals("page-2", received.get(3).path("params").path("cursor").asText());
    }

    @Test
    void toolsWithJsonPrintsTheToolsOfEveryPageAsTheServerWroteThem() throws Exception {
        CliProcess.Result result = mcp(server(), "tools", "--json");

        assertEquals(0, result.exitCode(), result.stderr());
        assertEquals(1, result.lines().size(), "one line: " + result.stdout());
        JsonNode tools = tree(result.stdout());
        List<String> names = new ArrayList<>();
        tools.forEach(tool -> names.add(tool.path("name").asText()));
        assertEquals(List.of("add", "describe", "fail", "hang"), names);
        assertEquals(tree("{\"type\":\"object\",\"required\":[\"a\",\"b\"],\"properties\":{\"a\":{\"type\":\"number\"},"
                + "\"b\":{\"type\":\"number\"}}}"), tools.get(0).path("inputSchema"));
        assertTrue(result.stdout().contains("\"minimum\":0.5"), result.stdout());
        String description = tools.get(1).path("description").asText();
        assertTrue(description.startsWith("Describes itself at length:\u001b[31m") && description.endsWith("\nSecond paragraph."),
                "unchanged: " + description);
    }

    @Test
    void callPrintsTheTextOfTheResultAndAnswersTheServersPing() throws Exception {
        CliProcess.Result result = mcp(server(), "call", "add", "{\"a\":2,\"b\":3}");

        assertEquals(0, result.exitCode(), result.stderr());
        assertEquals("5\n", result.stdout());
        List<JsonNode> received = received();
        JsonNode call = received.get(2);
        assertEquals("tools/call", call.path("method").asText());
        assertEquals(tree("{\"name\":\"add\",\"arguments\":{\"a\":2,\"b\":3}}"), call.path("params"));
        assertEquals(tree("{\"jsonrpc\":\"2.0\",\"id\":\"ping-" + call.path("id") + "\",\"result\":{}}"), received.get(3),
                "the server's ping was answered, and only then did it answer the call");
    }

    @Test
    void callPrintsOtherContentAsJsonLinesAndWithJsonTheWholeResult() throws Exception {
        CliProcess.Result result = mcp(server(), "call", "describe");

        assertEquals(0, result.exitCode(), result.stderr());
        List<String> lines = result.lines();
        assertEquals(4, lines.size(), result.stdout());
        assertEquals(List.of("three items:", "this text has two lines"), lines.subList(0, 2));
        assertEquals(tree("{\"type\":\"image\",\"data\":\"iVBORw0KGgo=\",\"mimeType\":\"image/png\"}"), tree(lines.get(2)));
        assertEquals(tree("{\"type\":\"resource\",\"resource\":{\"uri\":\"file:///notes.txt\",\"mimeType\":\"text/plain\","
                + "\"text\":\"notes\"}}"), tree(lines.get(3)));

        CliProcess.Result json = mcp(server(), "call", "--json", "describe");
        assertEquals(0, json.exitCode(), json.stderr());
        assertEquals(1, json.lines().size(), json.stdout());
        JsonNode whole = tree(json.stdout());
        assertEquals(3, whole.path("content").size(), json.stdout());
        assertEquals("three items:\nthis text has two lines", whole.path("content").get(0).path("text").asText());
    }

    @Test
    void aToolThatReportsAnErrorHasItsContentOnStderrAndExitsOne() throws Exception {
        CliProcess.Result result = mcp(server(), "call", "fail");

        assertEquals(1, result.exitCode(), result.stderr());
        assertEquals("", result.stdout());
        assertEquals(List.of("it failed, as it always does", "piperpc: the tool 'fail' reported an error (isError)"),
                result.stderr().lines().toList());

        CliProcess.Result json = mcp(server(), "call", "fail", "--json");
        assertEquals(1, json.exitCode(), json.stderr());
        assertEquals(tree("{\"content\":[{\"type\":\"text\",\"text\":\"it failed, as it always does\"}],\"isError\":true}"),
                tree(json.stdout()));
    }

    @Test
    void anErrorAnswerIsPrintedOnStderrAsCallPrintsItAndExitsOne() throws Exception {
        CliProcess.Result result = mcp(server(), "call", "nope");

        assertEquals(1, result.exitCode(), result.stderr());
        assertEquals("", result.stdout());
        assertEquals(List.of("{\"code\":-32602,\"message\":\"Unknown tool: nope\"}"), result.stderr().lines().toList());
    }

    @Test
    void argumentsThatAreNotAJsonObjectAreBadUsageAndStartNoServer() {
        for (String arguments : List.of("[1,2]", "{\"a\":", "{} {}", "42")) {
            CliProcess.Result result = mcp(server(), "call", "add", arguments);
            assertEquals(2, result.exitCode(), arguments + ": " + result.stderr());
            assertTrue(result.stderr().startsWith("piperpc: ARGS_JSON "), result.stderr());
            assertFalse(result.stderr().contains("Exception"), result.stderr());
        }
        assertFalse(Files.exists(record()), "the server was never started");
    }

    @Test
    void aServerThatExitsAtOnceOrCannotStartExitsThree() {
        CliProcess.Result exited = mcp(List.of("python3", "-c", "import sys; sys.stderr.write('no config\\n'); sys.exit(7)"), "tools");
        assertEquals(3, exited.exitCode(), exited.stderr());
        assertEquals("", exited.stdout());
        String reported = exited.stderr().lines().filter(line -> line.startsWith("piperpc: ")).findFirst().orElseThrow();
        assertTrue(reported.startsWith("piperpc: the server exited before answering 'initialize': ")
                && reported.contains("exited with code 7") && reported.contains("no config"), exited.stderr());

        CliProcess.Result missing = mcp(List.of(dir.resolve("no-such-server").toString()), "call", "add");
        assertEquals(3, missing.exitCode(), missing.stderr());
        assertTrue(missing.stderr().startsWith("piperpc: cannot start the server: "), missing.stderr());
    }

    @Test
    void aServerThatRefusesInitializeIsToldNothingMoreAndExitsThree() throws Exception {
        CliProcess.Result result = mcp(server("--refuse-initialize"), "tools");

        assertEquals(3, result.exitCode(), result.stderr());
        assertEquals("", result.stdout());
        assertEquals(List.of("piperpc: the server refused 'initialize': {\"code\":-32602,\"message\":\"Unsupported protocol version\","
                + "\"data\":{\"supported\":[\"1999-01-01\"]}}"), result.stderr().lines().toList());
        List<JsonNode> received = received();
        assertEquals(1, received.size(), received.toString());
        assertEquals("initialize", received.get(0).path("method").asText());
    }

    @Test
    void noAnswerWithinTheTimeoutCancelsTheToolCallAndExitsFour() throws Exception {
        CliProcess.Result result = mcp(server(), "call", "--timeout", "500ms", "hang");

        assertEquals(4, result.exitCode(), result.stderr());
        assertEquals("", result.stdout());
        assertEquals(List.of("piperpc: no answer to 'tools/call' within 500ms (--timeout); the request was cancelled"),
                result.stderr().lines().toList());
        List<JsonNode> received = received();
        assertEquals(4, received.size(), received.toString());
        JsonNode call = received.get(2);
        assertEquals("tools/call", call.path("method").asText());
        JsonNode cancel = received.get(3);
        assertEquals("notifications/cancelled", cancel.path("method").asText());
        assertEquals(call.path("id"), cancel.path("params").path("requestId"));
    }

    @Test
    void initializeUnansweredWithinTheTimeoutExitsFourAndIsNeverCancelled() throws Exception {
        CliProcess.Result result = mcp(server("--ignore-initialize"), "tools", "--timeout=500ms");

        assertEquals(4, result.exitCode(), result.stderr());
        assertEquals(List.of("piperpc: the server did not answer 'initialize' within 500ms (--timeout)"),
                result.stderr().lines().toList());
        List<JsonNode> received = received();
        assertEquals(1, received.size(), "initialize alone, never cancelled (MCP forbids it): " + received);
        assertEquals("initialize", received.get(0).path("method").asText());
    }
}
