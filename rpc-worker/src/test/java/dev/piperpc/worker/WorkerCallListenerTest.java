package dev.piperpc.worker;

import com.fasterxml.jackson.databind.JsonNode;
import dev.piperpc.core.framing.Framing;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** A worker process with a call listener: each request its methods handle is reported started, and ended once with its outcome. */
@Timeout(120)
class WorkerCallListenerTest {

    private static String request(int id, String method, String params) {
        return "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"" + method + "\",\"params\":" + params + "}";
    }

    @Test
    void requestsAreReportedWithTheirOutcomes() throws InterruptedException {
        try (RawWorker worker = new RawWorker(Framing.NEWLINE, 4, RawWorker.options().set("callListener", "stderr"))) {
            worker.send(request(1, "echo", "[1,2]"));
            assertEquals("[1,2]", worker.next().get("result").toString());
            worker.awaitStderrLine("request ended: echo 1 RESULT");

            worker.send(request(2, "fail", "[\"on purpose\"]"));
            JsonNode failed = worker.next();
            assertEquals(-32000, failed.get("error").get("code").asInt(), failed.toString());
            worker.awaitStderrLine("request ended: fail 2 ERROR -32000");

            worker.send(request(3, "waitForCancel", "[]"));
            worker.awaitStderrLine("request started: waitForCancel 3");
            worker.send("{\"jsonrpc\":\"2.0\",\"method\":\"$/cancelRequest\",\"params\":{\"id\":3}}");
            assertEquals(-32800, worker.next().get("error").get("code").asInt());
            worker.awaitStderrLine("request ended: waitForCancel 3 CANCELLED");

            // A notification handled by a method: reported with no id.
            worker.send("{\"jsonrpc\":\"2.0\",\"method\":\"echo\",\"params\":[3,4]}");
            worker.awaitStderrLine("request ended: echo null RESULT");

            // A method that does not exist is answered, and not reported: a peer cannot make up names.
            worker.send(request(4, "noSuchMethod", "[]"));
            assertEquals(-32601, worker.next().get("error").get("code").asInt());
            worker.send(request(5, "subtract", "{\"minuend\":5,\"subtrahend\":3}"));
            assertEquals(2, worker.next().get("result").asInt());
            worker.awaitStderrLine("request ended: subtract 5 RESULT");

            worker.closeStdin();
            assertEquals(0, worker.awaitExit());
            List<String> lines = worker.stderr().lines().toList();
            long started = lines.stream().filter(line -> line.startsWith("request started: ")).count();
            List<String> ended = lines.stream().filter(line -> line.startsWith("request ended: ")).toList();
            assertEquals(5, started, worker.stderr());
            assertEquals(5, ended.size(), worker.stderr());
            assertEquals(5, ended.stream().distinct().count(), "each request ended once: " + ended);
            assertFalse(worker.stderr().contains("noSuchMethod"), worker.stderr());
            assertFalse(worker.stderr().contains("negative duration"), worker.stderr());
        }
    }
}
