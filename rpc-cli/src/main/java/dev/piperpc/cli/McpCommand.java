package dev.piperpc.cli;

import dev.piperpc.core.CallTimeoutException;
import dev.piperpc.core.Endpoint;
import dev.piperpc.core.RpcException;
import picocli.CommandLine.Command;

import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code piperpc mcp}: the tools of a Model Context Protocol server on stdio, listed or called
 * from the shell ({@link McpToolsCommand}, {@link McpCallCommand}), each over an {@link McpSession}
 * with a server started for it.
 */
@Command(name = "mcp", synopsisSubcommandLabel = "tools|call",
        description = {
                "list or call the tools of an MCP server on stdio",
                "",
                "Starts CMD as a Model Context Protocol server (one JSON text per line on its stdin and stdout), "
                        + "does the handshake (initialize, then notifications/initialized), sends one request and "
                        + "stops the server (its stdin closed, then SIGTERM after 2s)."},
        subcommands = {McpToolsCommand.class, McpCallCommand.class},
        footerHeading = "%n",
        footer = {
                "Exit codes: 0 done; 1 the server answered with an error, or the tool reported one (isError); "
                        + "2 bad usage; 3 the server could not start, exited before answering, or does not speak MCP; "
                        + "4 no answer within the timeout.",
                "",
                "'piperpc mcp COMMAND --help' tells more."})
final class McpCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        throw new UsageException("expected tools or call");
    }

    /** What a command does once the session is open; returns its exit code. */
    @FunctionalInterface
    interface SessionWork {
        int run(McpSession session);
    }

    /**
     * Opens a session with the server after {@code --}, runs {@code work} and closes the session;
     * an error answer is printed on stderr as the error object (exit code 1), no answer in time as
     * one line (exit code 4). A server that cannot be used ends in an {@link UnavailableException}
     * (exit code 3).
     */
    static int run(Invocation invocation, DurationArgument timeout, SessionWork work) {
        List<String> command = invocation.requireWorkerCommand();
        try (McpSession session = McpSession.open(command, Endpoint.builder(), timeout)) {
            return work.run(session);
        } catch (RpcException e) {
            invocation.err().println(CallCommand.errorJson(e.error()));
            return 1;
        } catch (CallTimeoutException e) {
            invocation.err().println("piperpc: " + e.getMessage());
            return 4;
        }
    }
}
