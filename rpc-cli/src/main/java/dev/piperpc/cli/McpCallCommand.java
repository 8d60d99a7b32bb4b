package dev.piperpc.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.util.concurrent.Callable;

/** {@code piperpc mcp call}: one tool of an MCP server, called with its arguments, and what it returned. */
@Command(name = "call",
        customSynopsis = "piperpc mcp call [--json] [--timeout DUR] TOOL [ARGS_JSON] -- CMD ARGS...",
        description = {
                "call a tool of an MCP server",
                "",
                "Starts CMD as an MCP server on stdio, does the handshake, calls TOOL with the arguments ARGS_JSON "
                        + "(tools/call) and prints the content of the result: each text item as its text, each "
                        + "other item (image, audio, resource...) as one line of JSON. With --json, prints the whole "
                        + "result (content, isError, structuredContent, _meta) as one line of JSON instead.",
                "",
                "A tool that reports an error (isError: true) has its content printed on stderr instead, or with "
                        + "--json its result on stdout as always, and the exit code is 1."},
        footerHeading = "%nexit codes:%n",
        footer = {
                "  0  the tool's content is on stdout",
                "  1  the tool reported an error (isError): its content is on stderr;",
                "     or tools/call was answered with an error: the error object is on",
                "     stderr",
                "  2  bad usage: no TOOL, ARGS_JSON not a JSON object, no CMD",
                "  3  the server could not start, exited before answering, refused",
                "     initialize or answered what MCP does not say",
                "  4  no answer within the timeout: the tools/call was cancelled",
                "     (notifications/cancelled)"})
final class McpCallCommand implements Callable<Integer>, TakesWorkerCommand {

    @Parameters(index = "0", paramLabel = "TOOL", description = "the name of the tool")
    private String tool;

    @Parameters(index = "1", arity = "0..1", paramLabel = "ARGS_JSON", description = "its arguments: a JSON object (default {})")
    private String argumentsJson;

    @Option(names = "--json", description = "print the whole result as one line of JSON")
    private boolean json;

    @Option(names = "--timeout", paramLabel = "DUR", defaultValue = "30s",
            description = "how long to wait for each answer (default ${DEFAULT-VALUE}): 500ms, 30s, 2m, 1h or 1d")
    private DurationArgument timeout;

    private final Invocation invocation;

    McpCallCommand(Invocation invocation) {
        this.invocation = invocation;
    }

    @Override
    public Integer call() {
        ObjectNode params = McpSession.JSON.createObjectNode().put("name", tool);
        params.set("arguments", arguments(argumentsJson));
        return McpCommand.run(invocation, timeout, session -> {
            ObjectNode result = session.request("tools/call", params);
            JsonNode isError = result.path("isError");
            boolean failed = isError.isBoolean() && isError.booleanValue();
            if (json) {
                invocation.out().println(McpSession.text(result));
            } else {
                printContent(result.path("content"), failed ? invocation.err() : invocation.out());
            }
            if (failed) {
                invocation.err().println("piperpc: the tool '" + tool + "' reported an error (isError)");
                return 1;
            }
            return 0;
        });
    }

    /** Each text item as its text, any other item as one line of JSON. */
    private static void printContent(JsonNode content, PrintStream to) {
        if (!content.isMissingNode() && !content.isArray()) {
            throw new UnavailableException("the server's answer to 'tools/call' has a 'content' that is not an array: "
                    + McpSession.abbreviate(McpSession.text(content)));
        }
        for (JsonNode item : content) {
            JsonNode text = item.path("text");
            if (item.path("type").asText().equals("text") && text.isTextual()) {
                to.println(text.asText());
            } else {
                to.println(McpSession.text(item));
            }
        }
    }

    /**
     * ARGS_JSON as an object, {@code {}} when it is left out.
     *
     * @throws UsageException if it is not one JSON object
     */
    private static ObjectNode arguments(String json) {
        if (json == null) {
            return McpSession.JSON.createObjectNode();
        }
        JsonNode parsed;
        try {
            parsed = McpSession.JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new UsageException("ARGS_JSON is not JSON: " + e.getOriginalMessage().replaceAll("\\s*\\R\\s*", " ")
                    + (e.getLocation() == null ? "" : " (at character " + (e.getLocation().getCharOffset() + 1) + ")"));
        }
        if (!(parsed instanceof ObjectNode object)) {
            throw new UsageException("ARGS_JSON must be a JSON object, not '" + McpSession.abbreviate(json.strip()) + "'");
        }
        return object;
    }
}
