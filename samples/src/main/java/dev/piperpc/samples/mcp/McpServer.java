package dev.piperpc.samples.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import dev.piperpc.core.Dialect;
import dev.piperpc.core.RequestContext;
import dev.piperpc.core.RpcException;
import dev.piperpc.core.message.ErrorCodes;
import dev.piperpc.worker.Worker;
import dev.piperpc.worker.WorkerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * A Model Context Protocol server on stdio (newline-delimited JSON): a {@link Worker} in the MCP
 * dialect with handlers for {@code initialize}, {@code notifications/initialized}, {@code ping},
 * {@code tools/list} and {@code tools/call}, serving two tools: {@code add}, and {@code count},
 * which takes its time, reports progress when the client asks for it, and stops when the client
 * cancels the call.
 *
 * <p>The methods are handlers that read their params as JSON rather than annotated Java methods:
 * MCP params carry {@code _meta} and gain members from one protocol revision to the next, which
 * the strict binding of named params would refuse.
 */
public final class McpServer {

    private static final Logger log = LoggerFactory.getLogger(McpServer.class);

    /** The revisions this server speaks, newest first: it answers with the client's if it is one, else the newest. */
    static final List<String> PROTOCOL_VERSIONS = List.of("2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05");

    static final List<Map<String, Object>> TOOLS = List.of(
            Map.of("name", "add", "description", "Adds two numbers.",
                    "inputSchema", Map.of("type", "object", "required", List.of("a", "b"),
                            "properties", Map.of("a", Map.of("type", "number"), "b", Map.of("type", "number")))),
            Map.of("name", "count", "description", "Counts from 1 to 'to', one step every 'delayMs' ms (default 100), "
                            + "reporting progress; stops when cancelled.",
                    "inputSchema", Map.of("type", "object", "required", List.of("to"), "properties", Map.of(
                            "to", Map.of("type", "integer", "minimum", 1, "maximum", 10_000),
                            "delayMs", Map.of("type", "integer", "minimum", 0, "maximum", 10_000)))));

    private McpServer() {
    }

    /** Serves MCP on stdin and stdout until stdin ends. */
    public static void main(String[] args) {
        Worker.builder().dialect(Dialect.MCP)
                .handler("initialize", McpServer::initialize)
                .handler("notifications/initialized", request -> null)
                .handler("ping", request -> Map.of())
                .handler("tools/list", request -> Map.of("tools", TOOLS))
                .handler("tools/call", McpServer::callTool)
                .run();
        System.exit(0);
    }

    static Map<String, Object> initialize(RequestContext request) {
        String asked = request.params(JsonNode.class).path("protocolVersion").asText();
        return Map.of("protocolVersion", PROTOCOL_VERSIONS.contains(asked) ? asked : PROTOCOL_VERSIONS.get(0),
                "capabilities", Map.of("tools", Map.of()),
                "serverInfo", Map.of("name", "piperpc-mcp-sample", "version", "0.1.0"));
    }

    static Map<String, Object> callTool(RequestContext request) throws InterruptedException {
        JsonNode params = request.params(JsonNode.class);
        JsonNode arguments = params.path("arguments");
        String name = params.path("name").asText();
        return switch (name) {
            case "add" -> add(arguments.path("a"), arguments.path("b"));
            case "count" -> count(arguments.path("to"), arguments.path("delayMs"));
            default -> throw new RpcException(ErrorCodes.INVALID_PARAMS, "Unknown tool: " + name);
        };
    }

    private static Map<String, Object> add(JsonNode a, JsonNode b) {
        if (!a.isNumber() || !b.isNumber()) {
            return failure("add takes two numbers, a and b");
        }
        BigDecimal sum = a.decimalValue().add(b.decimalValue());
        return text(sum.toString());
    }

    private static Map<String, Object> count(JsonNode toArgument, JsonNode delayArgument) throws InterruptedException {
        long to = toArgument.asLong(0);
        long delayMs = delayArgument.isMissingNode() ? 100 : delayArgument.asLong(-1);
        if (!toArgument.canConvertToExactIntegral() || to < 1 || to > 10_000 || delayMs < 0 || delayMs > 10_000) {
            return failure("count takes 'to' from 1 to 10000 and 'delayMs' from 0 to 10000");
        }
        WorkerContext context = WorkerContext.current();
        for (long i = 1; i <= to; i++) {
            try {
                Thread.sleep(delayMs);
            } catch (InterruptedException cancelled) {
                log.info("count cancelled after {} of {} steps", i - 1, to);
                throw cancelled;
            }
            context.progress(i, to, "counted to " + i);
        }
        return text("counted to " + to);
    }

    private static Map<String, Object> text(String text) {
        return Map.of("content", List.of(Map.of("type", "text", "text", text)));
    }

    /** A tool that ran and failed: MCP reports it in the result, for the model to read. */
    private static Map<String, Object> failure(String message) {
        return Map.of("content", List.of(Map.of("type", "text", "text", message)), "isError", true);
    }
}
