package dev.piperpc.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code piperpc mcp tools}: every tool of an MCP server, as a table or as JSON. */
@Command(name = "tools",
        customSynopsis = "piperpc mcp tools [--json] [--timeout DUR] -- CMD ARGS...",
        description = {
                "list the tools of an MCP server",
                "",
                "Starts CMD as an MCP server on stdio, does the handshake and asks for its tools (tools/list, "
                        + "following nextCursor page after page), then prints them as a table: each tool's name and "
                        + "the start of its description, and under it its parameters, the required ones first, marked *. "
                        + "With --json, prints the JSON array of the tool objects as the server wrote them (all "
                        + "pages), as one line."},
        footerHeading = "%nexit codes:%n",
        footer = {
                "  0  the tools are on stdout",
                "  1  tools/list was answered with an error: the error object is on stderr",
                "  2  bad usage",
                "  3  the server could not start, exited before answering, refused",
                "     initialize or answered what MCP does not say",
                "  4  no answer within the timeout (a tools/list is then cancelled",
                "     with notifications/cancelled)"})
final class McpToolsCommand implements Callable<Integer>, TakesWorkerCommand {

    /** The most pages of tools read: a server whose listing goes on is refused rather than read without end. */
    static final int MAX_PAGES = 100;

    @Option(names = "--json", description = "print the JSON array of the tools instead of a table")
    private boolean json;

    @Option(names = "--timeout", paramLabel = "DUR", defaultValue = "30s",
            description = "how long to wait for each answer (default ${DEFAULT-VALUE}): 500ms, 30s, 2m, 1h or 1d")
    private DurationArgument timeout;

    private final Invocation invocation;

    McpToolsCommand(Invocation invocation) {
        this.invocation = invocation;
    }

    @Override
    public Integer call() {
        return McpCommand.run(invocation, timeout, session -> {
            List<JsonNode> tools = listTools(session);
            if (json) {
                ArrayNode array = McpSession.JSON.createArrayNode().addAll(tools);
                invocation.out().println(McpSession.text(array));
            } else {
                ToolTable.lines(tools).forEach(invocation.out()::println);
            }
            return 0;
        });
    }

    /**
     * Every page of {@code tools/list}, its tools in order.
     *
     * @throws UnavailableException if a page is not a list of tools, or there are more than {@link #MAX_PAGES}
     */
    private static List<JsonNode> listTools(McpSession session) {
        List<JsonNode> tools = new ArrayList<>();
        String cursor = null;
        for (int page = 1; page == 1 || cursor != null; page++) {
            if (page > MAX_PAGES) {
                throw new UnavailableException("the server's tools/list goes on after " + MAX_PAGES + " pages: not read further");
            }
            ObjectNode params = McpSession.JSON.createObjectNode();
            if (cursor != null) {
                params.put("cursor", cursor);
            }
            ObjectNode result = session.request("tools/list", params);
            JsonNode listed = result.path("tools");
            if (!listed.isArray()) {
                throw new UnavailableException("the server's answer to 'tools/list' has no 'tools' array");
            }
            for (JsonNode tool : listed) {
                if (!tool.path("name").isTextual()) {
                    throw new UnavailableException("the server listed a tool without a name: " + McpSession.abbreviate(McpSession.text(tool)));
                }
                tools.add(tool);
            }
            JsonNode next = result.path("nextCursor");
            if (!next.isMissingNode() && !next.isNull() && !next.isTextual()) {
                throw new UnavailableException("the server's nextCursor is not a string: " + McpSession.abbreviate(McpSession.text(next)));
            }
            cursor = next.isTextual() ? next.asText() : null;
        }
        return tools;
    }
}
