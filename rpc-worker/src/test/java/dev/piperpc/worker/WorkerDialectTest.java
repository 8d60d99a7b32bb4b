package dev.piperpc.worker;

import com.fasterxml.jackson.databind.JsonNode;
import dev.piperpc.core.framing.Framing;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A worker process's progress and log reports, in each dialect, read as raw lines. */
@Timeout(120)
class WorkerDialectTest {

    /** The frames up to and including the answer to {@code id}. */
    private static List<JsonNode> untilAnswer(RawWorker worker, String id) {
        List<JsonNode> frames = new ArrayList<>();
        while (true) {
            JsonNode frame = worker.next();
            frames.add(frame);
            if (frame.has("id") && frame.get("id").toString().equals(id)) {
                return frames;
            }
        }
    }

    @Test
    void anMcpWorkerReportsProgressUnderTheRequestsProgressTokenAndLogsAsMcpMessages() {
        try (RawWorker worker = new RawWorker(Framing.NEWLINE, 2, RawWorker.options().set("dialect", "MCP"))) {
            worker.send("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"report\",\"params\":{\"steps\":2,\"_meta\":{\"progressToken\":\"tok-1\"}}}");
            assertEquals(List.of(
                    "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/progress\",\"params\":{\"progressToken\":\"tok-1\",\"progress\":1,\"total\":2,\"message\":\"step 1\"}}",
                    "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/progress\",\"params\":{\"progressToken\":\"tok-1\",\"progress\":2,\"total\":2,\"message\":\"step 2\"}}",
                    "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/progress\",\"params\":{\"progressToken\":\"tok-1\",\"progress\":3}}",
                    "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/message\",\"params\":{\"level\":\"info\",\"data\":\"reported 2 steps\"}}",
                    "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":2}"),
                    untilAnswer(worker, "1").stream().map(JsonNode::toString).toList());

            worker.send("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"report\",\"params\":{\"_meta\":{\"progressToken\":98765432109876543210},\"steps\":1}}");
            List<JsonNode> numericToken = untilAnswer(worker, "2");
            assertEquals("98765432109876543210", numericToken.get(0).get("params").get("progressToken").toString(), numericToken.toString());
            assertEquals(4, numericToken.size(), numericToken.toString());

            worker.send("{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"report\",\"params\":{\"steps\":3}}");
            assertEquals(List.of(
                    "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/message\",\"params\":{\"level\":\"info\",\"data\":\"reported 3 steps\"}}",
                    "{\"jsonrpc\":\"2.0\",\"id\":3,\"result\":3}"),
                    untilAnswer(worker, "3").stream().map(JsonNode::toString).toList(), "no progressToken, no progress");
        }
    }

    @Test
    void anLspWorkerReportsProgressUnderTheRequestsIdAndLogsAsBefore() {
        try (RawWorker worker = new RawWorker(Framing.NEWLINE, 2)) {
            worker.send("{\"jsonrpc\":\"2.0\",\"id\":\"r\",\"method\":\"report\",\"params\":{\"steps\":1,\"_meta\":{\"progressToken\":\"ignored\"}}}");
            assertEquals(List.of(
                    "{\"jsonrpc\":\"2.0\",\"method\":\"$/progress\",\"params\":{\"token\":\"r\",\"value\":{\"progress\":1,\"total\":1,\"message\":\"step 1\"}}}",
                    "{\"jsonrpc\":\"2.0\",\"method\":\"$/progress\",\"params\":{\"token\":\"r\",\"value\":{\"progress\":2}}}",
                    "{\"jsonrpc\":\"2.0\",\"method\":\"$/log\",\"params\":{\"message\":\"reported 1 steps\"}}",
                    "{\"jsonrpc\":\"2.0\",\"id\":\"r\",\"result\":1}"),
                    untilAnswer(worker, "\"r\"").stream().map(JsonNode::toString).toList());
        }
    }
}
