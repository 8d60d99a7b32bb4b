package dev.piperpc.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command line tool, run as a process. */
@Timeout(180)
class CliTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** A worker that reads every request and answers none, and exits when its stdin ends. */
    static final List<String> SILENT_WORKER = List.of("sh", "-c", "cat > /dev/null");

    private static List<String> withWorker(List<String> cli, List<String> worker) {
        List<String> command = new ArrayList<>(cli);
        command.add("--");
        command.addAll(worker);
        return command;
    }

    private static JsonNode tree(String json) throws Exception {
        return MAPPER.readTree(json);
    }

    @Test
    void callPrintsTheResultAndExitsZero() throws Exception {
        CliProcess.Result result = CliProcess.run(withWorker(CliProcess.cli("call", "subtract", "{\"minuend\":42,\"subtrahend\":23}"),
                CliProcess.specWorker()), "");
        assertEquals(0, result.exitCode(), result.stderr());
        assertEquals("19", result.stdout().strip());

        CliProcess.Result lsp = CliProcess.run(withWorker(CliProcess.cli("call", "--framing", "lsp", "get_data"),
                CliProcess.cli("serve", "spec", "--framing", "lsp")), "");
        assertEquals(0, lsp.exitCode(), lsp.stderr());
        assertEquals(tree("[\"hello\",5]"), tree(lsp.stdout()));
    }

    @Test
    void callReportsErrorsWithDistinctExitCodes() throws Exception {
        CliProcess.Result error = CliProcess.run(withWorker(CliProcess.cli("call", "fail", "[\"no good\"]"), CliProcess.specWorker()), "");
        assertEquals(1, error.exitCode(), error.stderr());
        assertEquals("", error.stdout());
        JsonNode errorObject = tree(error.stderr().lines().filter(line -> line.startsWith("{")).findFirst().orElseThrow());
        assertEquals("no good", errorObject.get("message").asText());

        CliProcess.Result died = CliProcess.run(withWorker(CliProcess.cli("call", "x"), List.of("sh", "-c", "echo going away >&2; exit 5")), "");
        assertEquals(3, died.exitCode(), died.stderr());
        assertTrue(died.stderr().contains("exited with code 5"), died.stderr());

        // A worker that never answers and ignores the end of its stdin too: the tool stops it after its grace.
        CliProcess.Result silent = CliProcess.run(withWorker(CliProcess.cli("call", "--timeout", "500ms", "x"), List.of("sleep", "30")), "");
        assertEquals(4, silent.exitCode(), silent.stderr());
        assertTrue(silent.stderr().contains("within 500ms"), silent.stderr());

        // Bad usage of every kind: CliUsageTest.
        CliProcess.Result usage = CliProcess.run(CliProcess.cli("call", "--wat", "x", "--", "true"), "");
        assertEquals(2, usage.exitCode());
        assertTrue(usage.stderr().contains("unknown option --wat"), usage.stderr());
    }

    @Test
    void sendPrintsResponsesInArrivalOrder() throws Exception {
        Path worker = Path.of("..", "samples", "python", "worker.py").toAbsolutePath().normalize();
        String input = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"after\",\"params\":[2]}\n"
                + "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"add\",\"params\":[1,1]}\n"
                + "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"add\",\"params\":[2,2]}\n";
        CliProcess.Result result = CliProcess.run(withWorker(CliProcess.cli("send"), List.of("python3", worker.toString())), input);
        assertEquals(0, result.exitCode(), result.stderr());
        List<String> lines = result.lines();
        assertEquals(3, lines.size(), result.stdout());
        assertEquals(1, tree(lines.get(2)).get("id").asInt(), "call 1 is answered after the two sent after it: " + lines);
        assertEquals(2, tree(lines.get(2)).get("result").asInt());
    }

    @Test
    void sendPipelinesOverSeveralWorkers() throws Exception {
        String input = String.join("\n",
                "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"sleep\",\"params\":[100]}",
                "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"echo\",\"params\":[2,\"b\"]}",
                "[{\"jsonrpc\":\"2.0\",\"id\":\"a\",\"method\":\"get_data\"},{\"jsonrpc\":\"2.0\",\"method\":\"notify_hello\",\"params\":[7]}]",
                "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"nope\"}",
                "") + "\n";
        CliProcess.Result result = CliProcess.run(withWorker(CliProcess.cli("send", "--workers", "2"), CliProcess.specWorker()), input);
        assertEquals(0, result.exitCode(), result.stderr());
        List<String> lines = result.lines();
        assertEquals(4, lines.size(), result.stdout());
        List<String> ids = new ArrayList<>();
        for (String line : lines) {
            ids.add(tree(line).get("id").asText());
        }
        assertTrue(ids.containsAll(List.of("1", "2", "a", "3")), ids.toString());
        for (String line : lines) {
            JsonNode response = tree(line);
            if (response.get("id").asText().equals("3")) {
                assertEquals(-32601, response.get("error").get("code").asInt());
            }
            if (response.get("id").asText().equals("a")) {
                assertEquals(tree("[\"hello\",5]"), response.get("result"));
            }
        }
    }

    @Test
    void sendAnswersTheWorkersRequestsAndShowsThemWhenAsked() throws Exception {
        Path worker = Path.of("..", "samples", "python", "worker.py").toAbsolutePath().normalize();
        String input = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ask\",\"params\":[\"question\",\"why?\"]}\n"
                + "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"progress\",\"params\":[2]}\n";
        CliProcess.Result result = CliProcess.run(withWorker(CliProcess.cli("send", "--notifications", "--reply", "question=\"42\""),
                List.of("python3", worker.toString())), input);
        assertEquals(0, result.exitCode(), result.stderr());
        String out = result.stdout();
        assertTrue(out.contains("{\"manager said\":\"42\"}"), out);
        assertTrue(out.contains("\"method\":\"question\""), "the worker's request is shown: " + out);
        assertTrue(out.contains("\"method\":\"progress\",\"params\":{\"step\":1}"), "notifications are shown: " + out);
    }

    @Test
    void sendPrintsAHugeNumericIdAsItWasWritten() {
        String input = "{\"jsonrpc\":\"2.0\",\"id\":1e999999999,\"method\":\"echo\",\"params\":[1,\"x\"]}\n";
        CliProcess.Result result = CliProcess.run(withWorker(CliProcess.cli("send"), CliProcess.specWorker()), input);
        assertEquals(0, result.exitCode(), result.stderr());
        List<String> lines = result.lines();
        assertEquals(1, lines.size(), result.stdout());
        String response = lines.get(0);
        assertTrue(response.contains("\"id\":1e999999999,"), response);
        assertTrue(response.contains("\"result\":[1,\"x\"]"), response);
        assertTrue(response.length() < 100, "the id is not written out digit by digit: " + response.length() + " chars");
    }

    @Test
    void sendReportsEveryMissingResponse() {
        String input = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"x\"}\n{\"jsonrpc\":\"2.0\",\"id\":\"two\",\"method\":\"x\"}\nnot json\n";
        CliProcess.Result result = CliProcess.run(withWorker(CliProcess.cli("send", "--timeout", "500ms"), SILENT_WORKER), input);
        assertEquals(1, result.exitCode());
        assertTrue(result.stderr().contains("no response for id 1"), result.stderr());
        assertTrue(result.stderr().contains("no response for id \"two\""), result.stderr());
        assertTrue(result.stderr().contains("line 3 is not a valid JSON-RPC message"), result.stderr());
    }

    @Test
    void serveEchoAnswersWithTheParams() throws Exception {
        CliProcess.Result result = CliProcess.run(CliProcess.cli("serve", "echo"),
                "{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"anything\",\"params\":{\"k\":[1,2]}}\n");
        assertEquals(0, result.exitCode(), result.stderr());
        assertEquals(tree("{\"jsonrpc\":\"2.0\",\"id\":9,\"result\":{\"k\":[1,2]}}"), tree(result.stdout()));
    }

    @Test
    void helpAndUnknownCommands() {
        CliProcess.Result help = CliProcess.run(CliProcess.cli("send", "--help"), "");
        assertEquals(0, help.exitCode());
        assertTrue(help.stdout().startsWith("usage: piperpc send"), help.stdout());
        CliProcess.Result unknown = CliProcess.run(CliProcess.cli("frobnicate"), "");
        assertEquals(2, unknown.exitCode());
        assertTrue(unknown.stderr().contains("unknown command 'frobnicate'"), unknown.stderr());
    }
}
