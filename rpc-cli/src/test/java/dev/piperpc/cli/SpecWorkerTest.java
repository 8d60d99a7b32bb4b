package dev.piperpc.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.piperpc.core.Endpoint;
import dev.piperpc.core.Params;
import dev.piperpc.core.RpcException;
import dev.piperpc.core.message.ErrorCodes;
import dev.piperpc.core.message.RawJson;
import dev.piperpc.pipe.WorkerCommand;
import dev.piperpc.pipe.WorkerProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The spec worker as a real process, driven by a manager and by the specification's own examples. */
@Timeout(60)
class SpecWorkerTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    static WorkerCommand specWorker(String framing) {
        return WorkerCommand.of(specWorkerCommand(framing)).withFraming(dev.piperpc.core.framing.Framing.parse(framing));
    }

    private static List<String> specWorkerCommand(String framing) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return List.of(java, "-cp", System.getProperty("java.class.path"), SpecWorker.class.getName(), framing);
    }

    @Test
    void answersTheSpecificationsMethods() {
        for (String framing : List.of("newline", "lsp")) {
            try (WorkerProcess worker = WorkerProcess.start("spec", specWorker(framing), Endpoint.builder())) {
                Endpoint rpc = worker.endpoint();
                assertEquals(19, rpc.call("subtract", Params.of(42, 23), Integer.class));
                assertEquals(19, rpc.call("subtract", Params.named(Map.of("subtrahend", 23, "minuend", 42)), Integer.class));
                assertEquals(7, rpc.call("sum", Params.of(1, 2, 4), Integer.class));
                assertEquals(List.of("hello", 5), rpc.call("get_data", Params.none(), Object.class));
                assertEquals(List.of(1, "x"), rpc.call("echo", Params.of(1, "x"), Object.class));
                assertEquals(10L, rpc.call("sleep", Params.of(10), Long.class));
                rpc.notify("notify_hello", Params.of(7));
                RpcException error = assertThrows(RpcException.class, () -> rpc.call("fail", Params.of("on purpose"), Object.class));
                assertEquals("on purpose", error.error().message());
            }
        }
    }

    @Test
    void sumAddsAnyNumberOfNumbersAndEchoReturnsAnyNumberOfParams() {
        try (WorkerProcess worker = WorkerProcess.start("spec", specWorker("newline"), Endpoint.builder())) {
            Endpoint rpc = worker.endpoint();
            assertEquals("0", rpc.call("sum", Params.of(), RawJson.class).toString());
            assertEquals("5", rpc.call("sum", Params.of(5), RawJson.class).toString());
            assertEquals("15", rpc.call("sum", Params.of(1, 2, 3, 4, 5), RawJson.class).toString());
            assertEquals("0.3", rpc.call("sum", Params.raw(RawJson.parse("[0.1,0.2]")), RawJson.class).toString());
            assertEquals("-1.5", rpc.call("sum", Params.raw(RawJson.parse("[1,-2.5]")), RawJson.class).toString());
            assertEquals("[]", rpc.call("echo", Params.of(), RawJson.class).toString());
            assertEquals("[\"one\"]", rpc.call("echo", Params.of("one"), RawJson.class).toString());
            assertEquals("[1,[2],{\"three\":3},null]", rpc.call("echo", Params.raw(RawJson.parse("[1,[2],{\"three\":3},null]")),
                    RawJson.class).toString());

            RpcException notANumber = assertThrows(RpcException.class, () -> rpc.call("sum", Params.of(1, "two"), Object.class));
            assertEquals(ErrorCodes.INVALID_PARAMS, notANumber.error().code());
            assertTrue(notANumber.error().data().toString().contains("param #2 of 'numbers...' (java.math.BigDecimal)"),
                    notANumber.error().toString());
            RpcException foobar = assertThrows(RpcException.class, () -> rpc.call("foobar", Params.none(), Object.class));
            assertEquals(ErrorCodes.METHOD_NOT_FOUND, foobar.error().code());
        }
    }

    /**
     * The examples of section 7 of the specification that call the spec worker's methods, written
     * as raw lines to the process; stdin then ends, so every answer it will ever write is read.
     * Errors are compared on code and id (the specification lets messages and data vary).
     */
    @Test
    void answersTheSpecificationsExamplesAsTheSpecificationShows() throws Exception {
        List<String> requests = List.of(
                "{\"jsonrpc\": \"2.0\", \"method\": \"subtract\", \"params\": [42, 23], \"id\": 1}",
                "{\"jsonrpc\": \"2.0\", \"method\": \"subtract\", \"params\": [23, 42], \"id\": 2}",
                "{\"jsonrpc\": \"2.0\", \"method\": \"subtract\", \"params\": {\"subtrahend\": 23, \"minuend\": 42}, \"id\": 3}",
                "{\"jsonrpc\": \"2.0\", \"method\": \"subtract\", \"params\": {\"minuend\": 42, \"subtrahend\": 23}, \"id\": 4}",
                "{\"jsonrpc\": \"2.0\", \"method\": \"update\", \"params\": [1,2,3,4,5]}",
                "{\"jsonrpc\": \"2.0\", \"method\": \"foobar\"}",
                "{\"jsonrpc\": \"2.0\", \"method\": \"foobar\", \"id\": \"1\"}",
                "[{\"jsonrpc\": \"2.0\", \"method\": \"sum\", \"params\": [1,2,4], \"id\": \"1\"},"
                        + "{\"jsonrpc\": \"2.0\", \"method\": \"notify_hello\", \"params\": [7]},"
                        + "{\"jsonrpc\": \"2.0\", \"method\": \"subtract\", \"params\": [42,23], \"id\": \"2\"},"
                        + "{\"foo\": \"boo\"},"
                        + "{\"jsonrpc\": \"2.0\", \"method\": \"foo.get\", \"params\": {\"name\": \"myself\"}, \"id\": \"5\"},"
                        + "{\"jsonrpc\": \"2.0\", \"method\": \"get_data\", \"id\": \"9\"}]",
                "[{\"jsonrpc\": \"2.0\", \"method\": \"notify_sum\", \"params\": [1,2,4]},"
                        + "{\"jsonrpc\": \"2.0\", \"method\": \"notify_hello\", \"params\": [7]}]");
        List<JsonNode> answers = runWithInput(requests);

        List<String> singles = new ArrayList<>();
        JsonNode batch = null;
        for (JsonNode answer : answers) {
            if (answer.isArray()) {
                assertEquals(null, batch, "one batch answered, the all-notification batch not at all: " + answers);
                batch = answer;
            } else {
                singles.add(summary(answer));
            }
        }
        assertEquals(List.of("1=19", "2=-19", "3=19", "4=19", "\"1\"=error -32601").stream().sorted().toList(),
                singles.stream().sorted().toList(), "no answer to the notifications update and foobar: " + answers);
        assertTrue(batch != null, "the batch is answered: " + answers);
        List<String> members = new ArrayList<>();
        batch.forEach(member -> members.add(summary(member)));
        assertEquals(List.of("\"1\"=7", "\"2\"=19", "null=error -32600", "\"5\"=error -32601", "\"9\"=[\"hello\",5]").stream().sorted().toList(),
                members.stream().sorted().toList());
    }

    private static String summary(JsonNode response) {
        assertEquals("2.0", response.path("jsonrpc").asText(), response.toString());
        return response.get("id") + "=" + (response.has("error") ? "error " + response.get("error").get("code") : response.get("result"));
    }

    /** Runs the spec worker with {@code lines} as its whole stdin and returns what it wrote on stdout, line by line. */
    private static List<JsonNode> runWithInput(List<String> lines) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(specWorkerCommand("newline")).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try (OutputStream stdin = process.getOutputStream()) {
            stdin.write((String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "the worker exits once stdin ended");
        assertEquals(0, process.exitValue());
        List<JsonNode> answers = new ArrayList<>();
        for (String line : output.lines().toList()) {
            answers.add(MAPPER.readTree(line));
        }
        return answers;
    }
}
