package dev.piperpc.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code piperpc send} as a protocol session, against Python peers written for the tests that act
 * as a language server and an MCP server would: handshakes, the user's ids on the wire, the user's
 * cancellations, --wait, answering the server's requests from stdin, and no restarts.
 */
@Timeout(120)
class CliSessionTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private Path log() {
        return dir.resolve("server.log");
    }

    private List<String> server(String script) throws URISyntaxException {
        Path path = Path.of(CliSessionTest.class.getResource("/session/" + script).toURI());
        return List.of("python3", path.toString(), log().toString());
    }

    private CliProcess.Result send(String stdin, List<String> options, String script) throws Exception {
        List<String> args = new ArrayList<>(List.of("send"));
        args.addAll(options);
        args.add("--");
        args.addAll(server(script));
        return CliProcess.run(CliProcess.cli(args.toArray(String[]::new)), stdin);
    }

    private List<String> logLines() throws Exception {
        return Files.readAllLines(log());
    }

    private static JsonNode byId(CliProcess.Result result, String id) throws Exception {
        for (String line : result.lines()) {
            JsonNode node = JSON.readTree(line);
            if (!node.has("method") && id.equals(node.get("id").toString())) {
                return node;
            }
        }
        throw new AssertionError("no response for id " + id + " in " + result.stdout() + result.stderr());
    }

    @Test
    void anLspSessionInitializesFirstKeepsTheUsersIdsAndCancelsWhatTheUserCancels() throws Exception {
        CliProcess.Result result = send("""
                {"jsonrpc":"2.0","id":7,"method":"slow"}
                {"jsonrpc":"2.0","method":"$/cancelRequest","params":{"id":7}}
                {"jsonrpc":"2.0","id":"eight","method":"echo","params":["x"]}
                """, List.of("--lsp=" + dir), "fake_lsp.py");
        assertEquals(0, result.exitCode(), result.stderr());
        JsonNode initialized = byId(result, "\"piperpc-initialize\"");
        assertEquals(dir.toUri().toString().replaceAll("/$", ""), initialized.get("result").get("root").asText());
        assertEquals(-32800, byId(result, "7").get("error").get("code").asInt(), "the user's cancel reached id 7");
        assertEquals("[\"x\"]", byId(result, "\"eight\"").get("result").toString());
        List<String> log = logLines();
        assertEquals(List.of("start", "recv initialize \"piperpc-initialize\"", "answer \"piperpc-initialize\"", "recv initialized null",
                "recv slow 7"), log.subList(0, 5), "initialize answered before anything else; the user's id on the wire");
        assertTrue(log.contains("cancel 7") && log.contains("recv echo \"eight\""), log.toString());
        assertEquals(List.of("recv shutdown \"piperpc-shutdown\"", "answer \"piperpc-shutdown\"", "recv exit null", "exit 0"),
                log.subList(log.size() - 4, log.size()), "shutdown and exit once every answer came");
    }

    @Test
    void withWaitEachLineWaitsForTheAnswersOfTheLinesBefore() throws Exception {
        CliProcess.Result result = send("""
                {"jsonrpc":"2.0","id":1,"method":"echo","params":["slowly"]}
                {"jsonrpc":"2.0","id":2,"method":"echo","params":["b"]}
                """, List.of("--lsp", "--wait"), "fake_lsp.py");
        assertEquals(0, result.exitCode(), result.stderr());
        List<String> log = logLines();
        assertTrue(log.indexOf("answer 1") < log.indexOf("recv echo 2"), "the second line went after the first was answered: " + log);
        assertEquals(List.of("1", "2"), result.lines().stream().skip(1).map(line -> readId(line)).toList());
    }

    @Test
    void aServerRequestIsPrintedAndAnsweredByAResponseLineTypedWithItsId() throws Exception {
        List<String> args = new ArrayList<>(List.of("send", "--lsp"));
        args.add("--");
        args.addAll(server("fake_lsp.py"));
        Process process = CliProcess.start(CliProcess.cli(args.toArray(String[]::new)), Map.of());
        CompletableFuture<String> errors = CompletableFuture.supplyAsync(() -> readQuietly(process.getErrorStream()));
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
             OutputStream in = process.getOutputStream()) {
            in.write("{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"ask\"}\n".getBytes(StandardCharsets.UTF_8));
            in.flush();
            String line;
            JsonNode serverRequest = null;
            while (serverRequest == null && (line = out.readLine()) != null) {
                JsonNode node = JSON.readTree(line);
                if (node.has("method")) {
                    serverRequest = node;
                }
            }
            assertTrue(serverRequest != null, "the server's request was printed");
            assertEquals("workspace/configuration", serverRequest.get("method").asText());
            in.write(("{\"jsonrpc\":\"2.0\",\"id\":" + serverRequest.get("id") + ",\"result\":[{\"tabSize\":4}]}\n")
                    .getBytes(StandardCharsets.UTF_8));
            in.flush();
            in.close();
            JsonNode answer = JSON.readTree(out.readLine());
            assertEquals(3, answer.get("id").asInt(), answer.toString());
            assertEquals("[{\"tabSize\":4}]", answer.get("result").get("client said").toString(), "the typed answer reached the server");
            assertTrue(process.waitFor(60, TimeUnit.SECONDS));
            assertEquals(0, process.exitValue(), errors.join());
        } finally {
            process.destroyForcibly();
        }
    }

    @Test
    void aServerThatExitsIsReportedAndNotRestarted() throws Exception {
        CliProcess.Result result = send("""
                {"jsonrpc":"2.0","id":1,"method":"echo","params":["a"]}
                {"jsonrpc":"2.0","id":2,"method":"crash"}
                """, List.of("--lsp", "--wait"), "fake_lsp.py");
        assertEquals(1, result.exitCode(), result.stderr());
        assertTrue(result.stderr().contains("exited with code 3"), result.stderr());
        assertTrue(result.stderr().contains("no response for id 2"), result.stderr());
        assertEquals(1, logLines().stream().filter("start"::equals).count(), "started once: " + logLines());
        assertFalse(result.stderr().contains("Exception"), result.stderr());
    }

    @Test
    void withSeveralWorkersTheSessionGoesOnUntilTheLastHasExited() throws Exception {
        Path worker = Files.writeString(dir.resolve("crashing.py"), String.join("\n",
                "import json, sys",
                "for line in sys.stdin:",
                "    message = json.loads(line)",
                "    if message['method'] == 'crash':",
                "        sys.exit(3)",
                "    sys.stdout.write(json.dumps({'jsonrpc': '2.0', 'id': message['id'], 'result': message.get('params')}) + '\\n')",
                "    sys.stdout.flush()",
                ""));
        CliProcess.Result result = CliProcess.run(CliProcess.cli("send", "--workers", "2", "--wait", "--", "python3", worker.toString()), """
                {"jsonrpc":"2.0","id":1,"method":"crash"}
                {"jsonrpc":"2.0","id":2,"method":"echo","params":["b"]}
                {"jsonrpc":"2.0","id":3,"method":"echo","params":["c"]}
                """);
        assertEquals(1, result.exitCode(), result.stderr());
        assertEquals("[\"b\"]", byId(result, "2").get("result").toString(), "the other worker went on: " + result.stderr());
        assertEquals("[\"c\"]", byId(result, "3").get("result").toString());
        assertTrue(result.stderr().contains("no response for id 1"), result.stderr());
        assertEquals(1, result.stderr().lines().filter(line -> line.contains("exited with code 3; not restarted")).count(),
                "one exit, reported once: " + result.stderr());
    }

    @Test
    void aSecondRequestWithTheIdOfOneInFlightIsRefused() throws Exception {
        CliProcess.Result result = send("""
                {"jsonrpc":"2.0","id":5,"method":"slow"}
                {"jsonrpc":"2.0","id":5,"method":"echo","params":["again"]}
                {"jsonrpc":"2.0","method":"$/cancelRequest","params":{"id":5}}
                """, List.of("--lsp"), "fake_lsp.py");
        assertEquals(1, result.exitCode(), result.stderr());
        assertTrue(result.stderr().contains("could not send id 5") && result.stderr().contains("in flight"), result.stderr());
        assertEquals(-32800, byId(result, "5").get("error").get("code").asInt());
    }

    @Test
    void anMcpSessionInitializesAndTheUsersCancellationNamesItsId() throws Exception {
        CliProcess.Result result = send("""
                {"jsonrpc":"2.0","id":5,"method":"tools/call","params":{"name":"wait"}}
                {"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":5,"reason":"enough"}}
                {"jsonrpc":"2.0","id":6,"method":"tools/call","params":{"name":"echo","arguments":{"a":1}}}
                """, List.of("--mcp", "--timeout", "3s"), "fake_mcp.py");
        assertEquals(JSON.readTree("{\"a\":1}"), JSON.readTree(byId(result, "6").get("result").get("content").get(0).get("text").asText()));
        List<String> log = logLines();
        assertEquals(List.of("recv initialize \"piperpc-initialize\"", "recv notifications/initialized null"), log.subList(0, 2));
        assertTrue(log.contains("cancelled 5"), "the server saw the user's cancellation of id 5: " + log);
        // MCP does not answer a cancelled request: its caller is told there was no answer.
        assertEquals(1, result.exitCode(), result.stderr());
        assertTrue(result.stderr().contains("no response for id 5"), result.stderr());
    }

    @Test
    void aResponseLineThatAnswersNothingIsReported() throws Exception {
        CliProcess.Result result = send("{\"jsonrpc\":\"2.0\",\"id\":99,\"result\":1}\n", List.of("--mcp"), "fake_mcp.py");
        assertEquals(1, result.exitCode());
        assertTrue(result.stderr().contains("line 1 answers id 99, but no request of the server's"), result.stderr());
    }

    private static String readId(String line) {
        try {
            return JSON.readTree(line).get("id").toString();
        } catch (Exception e) {
            throw new AssertionError(line, e);
        }
    }

    private static String readQuietly(java.io.InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            return "";
        }
    }
}
