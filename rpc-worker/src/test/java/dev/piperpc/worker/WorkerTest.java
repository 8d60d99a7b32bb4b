package dev.piperpc.worker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.googlecode.jsonrpc4j.JsonRpcClient;
import dev.piperpc.core.framing.Framing;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A real worker process, driven through its stdin and stdout with raw bytes. */
@Timeout(120)
class WorkerTest {

    private static String request(Object id, String method, String params) {
        String idText = id instanceof String text ? "\"" + text + "\"" : String.valueOf(id);
        return "{\"jsonrpc\":\"2.0\",\"id\":" + idText + ",\"method\":\"" + method + "\"" + (params == null ? "" : ",\"params\":" + params) + "}";
    }

    @ParameterizedTest
    @EnumSource(Framing.class)
    void aFastCallOvertakesASlowOneInEveryFraming(Framing framing) {
        try (RawWorker worker = new RawWorker(framing, 4)) {
            worker.send(request(1, "hold", null));
            worker.send(request(2, "echo", "[1,\"ünïcödé ✓\"]"));
            JsonNode first = worker.next();
            assertEquals(2, first.get("id").asInt(), first.toString());
            assertEquals("[1,\"ünïcödé ✓\"]", first.get("result").toString());
            worker.send(request(3, "release", null));
            Set<String> rest = new HashSet<>();
            rest.add(worker.next().get("result").asText());
            rest.add(worker.next().get("result").asText());
            assertEquals(Set.of("held", "released"), rest);
        }
    }

    @Test
    void anAnswerHeldForTheCallsQueuedBehindItIsNotKeptWaitingByASlowOne() {
        try (RawWorker worker = new RawWorker(Framing.NEWLINE, 1)) {
            // One read, one call thread: the echo's answer is held while the calls behind it wait
            // to start, and the first of them then runs until it is cancelled, which happens only
            // after the echo's answer has arrived.
            StringBuilder first = new StringBuilder(request(1, "echo", "[1,\"first\"]")).append('\n');
            for (int id = 2; id <= 7; id++) {
                first.append(request(id, "waitForCancel", null)).append('\n');
            }
            worker.sendRaw(first.toString());
            JsonNode echo = worker.next();
            assertEquals(1, echo.get("id").asInt(), echo.toString());
            for (int id = 2; id <= 7; id++) {
                worker.send("{\"jsonrpc\":\"2.0\",\"method\":\"$/cancelRequest\",\"params\":{\"id\":" + id + "}}");
                JsonNode cancelled = worker.next();
                assertEquals(-32800, cancelled.get("error").get("code").asInt(), cancelled.toString());
            }
            StringBuilder burst = new StringBuilder();
            for (int i = 0; i < 500; i++) {
                burst.append(request(10 + i, "echo", "[" + i + ",\"burst\"]")).append('\n');
            }
            worker.sendRaw(burst.toString());
            Set<Integer> ids = new HashSet<>();
            for (int i = 0; i < 500; i++) {
                ids.add(worker.next().get("id").asInt());
            }
            assertEquals(500, ids.size(), "every call of a burst answered once");
            assertEquals(List.of(), worker.framingErrors(), "frames written whole when answers are written together");
        }
    }

    @Test
    void strayPrintsGoToStderrNotIntoTheProtocol() throws InterruptedException {
        try (RawWorker worker = new RawWorker(Framing.NEWLINE, 4)) {
            worker.send(request(1, "shout", "[\"hi\"]"));
            assertEquals("\"HI\"", worker.next().get("result").toString());
            worker.send(request(2, "echo", "[2,\"b\"]"));
            assertEquals(2, worker.next().get("id").asInt());
            assertEquals(List.of(), worker.framesLeft());
            assertEquals(List.of(), worker.framingErrors(), "nothing but frames on stdout");
            assertTrue(worker.stderr().contains("stray print from user code"), worker.stderr());
        }
    }

    @Test
    void batchMembersRunConcurrentlyAndAreAnsweredInOneArray() throws InterruptedException {
        try (RawWorker worker = new RawWorker(Framing.NEWLINE, 4)) {
            worker.send("[" + request("a", "meet", "[\"a\"]") + "," + request("b", "meet", "[\"b\"]")
                    + ",{\"jsonrpc\":\"2.0\",\"method\":\"echo\",\"params\":[0,0]}" + "," + request("c", "nope", null) + "]");
            JsonNode answer = worker.next();
            assertTrue(answer.isArray(), answer.toString());
            assertEquals(3, answer.size(), "no response for the notification: " + answer);
            Set<String> ids = new HashSet<>();
            answer.forEach(response -> ids.add(response.get("id").asText()));
            assertEquals(Set.of("a", "b", "c"), ids);
            for (JsonNode response : answer) {
                if (!response.get("id").asText().equals("c")) {
                    assertEquals(response.get("id").asText(), response.get("result").asText(),
                            "the two members met, so they ran together: " + answer);
                }
            }

            worker.send("[{\"jsonrpc\":\"2.0\",\"method\":\"echo\",\"params\":[0,0]},{\"jsonrpc\":\"2.0\",\"method\":\"sleep\",\"params\":[1]}]");
            worker.send(request("probe", "echo", "[0,0]"));
            assertEquals("probe", worker.next().get("id").asText(), "an all-notification batch gets no response");
            assertEquals(List.of(), worker.framesLeft());
        }
    }

    @Test
    void methodsReportProgressAndLogToTheManager() {
        try (RawWorker worker = new RawWorker(Framing.NEWLINE, 4)) {
            worker.send(request(1, "progress", "[3]"));
            for (int i = 0; i < 3; i++) {
                JsonNode progress = worker.next();
                assertEquals("$/progress", progress.get("method").asText());
                assertFalse(progress.has("id"));
                assertEquals("{\"token\":\"job\",\"value\":" + i + "}", RawWorkerTrees.sorted(progress.get("params")));
            }
            JsonNode log = worker.next();
            assertEquals("$/log", log.get("method").asText());
            assertEquals("finished 3 steps", log.get("params").get("message").asText());
            assertEquals("done", worker.next().get("result").asText());
        }
    }

    @Test
    void methodsAskTheManagerAndWaitForItsAnswer() {
        try (RawWorker worker = new RawWorker(Framing.NEWLINE, 4)) {
            worker.send(request(1, "ask", "[\"meaning?\"]"));
            JsonNode question = worker.next();
            assertEquals("answer", question.get("method").asText());
            assertEquals("[\"meaning?\"]", question.get("params").toString());
            worker.send("{\"jsonrpc\":\"2.0\",\"id\":" + question.get("id") + ",\"result\":\"42\"}");
            JsonNode answer = worker.next();
            assertEquals(1, answer.get("id").asInt());
            assertEquals("manager says 42", answer.get("result").asText());
        }
    }

    @Test
    void cancellationInterruptsTheMethodAndAnswersRequestCancelled() {
        try (RawWorker worker = new RawWorker(Framing.NEWLINE, 1)) {
            worker.send(request(7, "waitForCancel", null));
            worker.send("{\"jsonrpc\":\"2.0\",\"method\":\"$/cancelRequest\",\"params\":{\"id\":7}}");
            JsonNode cancelled = worker.next();
            assertEquals(7, cancelled.get("id").asInt());
            assertEquals(-32800, cancelled.get("error").get("code").asInt());
            worker.send(request(8, "echo", "[1,1]"));
            JsonNode next = worker.next();
            assertEquals(8, next.get("id").asInt(), "the only call thread was freed by the interrupt");
        }
    }

    @Test
    void badInputGetsTheSpecifiedErrorsAndTheWorkerGoesOn() throws InterruptedException {
        try (RawWorker worker = new RawWorker(Framing.NEWLINE, 4)) {
            worker.sendRaw("{this is not json\n");
            JsonNode parseError = worker.next();
            assertEquals(-32700, parseError.get("error").get("code").asInt());
            assertTrue(parseError.get("id").isNull());

            worker.send(request(1, "nope", null));
            assertEquals(-32601, worker.next().get("error").get("code").asInt());

            worker.send(request(2, "subtract", "{\"minuend\":\"many\",\"subtrahend\":1}"));
            JsonNode badParams = worker.next().get("error");
            assertEquals(-32602, badParams.get("code").asInt());
            assertTrue(badParams.get("data").asText().contains("param 'minuend'"), badParams.toString());

            worker.send(request(3, "fail", "[\"it broke\"]"));
            JsonNode failure = worker.next().get("error");
            assertEquals("it broke", failure.get("message").asText());
            assertEquals("java.lang.IllegalStateException", failure.get("data").get("exceptionTypeName").asText());
            assertFalse(failure.toString().contains("\\tat "), "no stack trace: " + failure);

            worker.send(request(4, "subtract", "{\"subtrahend\":23,\"minuend\":42}"));
            assertEquals(19, worker.next().get("result").asInt());
            worker.closeStdin();
            assertEquals(0, worker.awaitExit());
        }
    }

    @Test
    void anErrorIsAnsweredThenEndsTheProcess() throws InterruptedException {
        try (RawWorker worker = new RawWorker(Framing.NEWLINE, 4)) {
            worker.send(request(1, "oom", null));
            JsonNode answer = worker.next();
            assertEquals(1, answer.get("id").asInt());
            assertEquals(-32603, answer.get("error").get("code").asInt());
            assertEquals(Worker.FATAL_EXIT_CODE, worker.awaitExit());
        }
    }

    @Test
    void endOfStdinFinishesRunningCallsThenExitsZero() throws InterruptedException {
        try (RawWorker worker = new RawWorker(Framing.NEWLINE, 4)) {
            worker.send(request(1, "sleep", "[500]"));
            worker.send(request(2, "sleep", "[300]"));
            Thread.sleep(100);
            worker.closeStdin();
            Set<Integer> answered = new HashSet<>();
            answered.add(worker.next().get("id").asInt());
            answered.add(worker.next().get("id").asInt());
            assertEquals(Set.of(1, 2), answered);
            assertEquals(0, worker.awaitExit());
        }
    }

    @Test
    void sigtermFinishesRunningCallsWithinTheGracePeriod() throws InterruptedException {
        try (RawWorker worker = new RawWorker(Framing.NEWLINE, 4)) {
            worker.send(request(2, "announceThenSleep", "[500]"));
            assertEquals("sleeping", worker.next().get("params").get("message").asText());
            worker.process.toHandle().destroy();
            JsonNode answer = worker.next();
            assertEquals(2, answer.get("id").asInt());
            assertEquals(500, answer.get("result").asInt());
            assertEquals(143, worker.awaitExit());
        }
    }

    @Test
    void jsonrpc4jsOwnStreamClientCallsAPiperpcWorker() throws Throwable {
        ProcessBuilder builder = new ProcessBuilder(java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), ServiceUnderTest.class.getName(), "stream", "4");
        builder.redirectError(ProcessBuilder.Redirect.DISCARD);
        Process process = builder.start();
        try {
            JsonRpcClient client = new JsonRpcClient(new ObjectMapper());
            Integer positional = client.invokeAndReadResponse("subtract", new Object[] {42, 23}, Integer.class,
                    process.getOutputStream(), process.getInputStream());
            assertEquals(19, positional);
            Integer named = client.invokeAndReadResponse("subtract", Map.of("subtrahend", 23, "minuend", 42), Integer.class,
                    process.getOutputStream(), process.getInputStream());
            assertEquals(19, named);
            @SuppressWarnings("unchecked")
            List<Object> echoed = client.invokeAndReadResponse("echo", new Object[] {"a", 2}, List.class,
                    process.getOutputStream(), process.getInputStream());
            assertEquals(List.of("a", 2), echoed);
        } finally {
            process.destroyForcibly();
        }
    }
}
