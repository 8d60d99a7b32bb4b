package dev.piperpc.cli;

import dev.piperpc.core.Call;
import dev.piperpc.core.Dialect;
import dev.piperpc.core.Params;
import dev.piperpc.core.Rpc;
import dev.piperpc.core.message.Id;
import dev.piperpc.core.message.RawJson;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.ResourceBundle;

/**
 * The opening (and closing) of a protocol session that {@code send} does for its user.
 * {@link #lsp(Path)}: {@code initialize} with a workspace root and plain client capabilities, then
 * {@code initialized}; at the end {@code shutdown}, then {@code exit}. {@link #mcp()}:
 * {@code initialize} with the protocol version and no client capabilities, then
 * {@code notifications/initialized}; at the end the server's stdin is closed. Its requests carry
 * string ids of their own ({@code "piperpc-initialize"}, {@code "piperpc-shutdown"}), which never
 * clash with the user's numbers.
 */
final class Handshake {

    /** The id of the {@code initialize} request. */
    static final Id INITIALIZE_ID = Id.of("piperpc-initialize");
    /** The id of LSP's {@code shutdown} request. */
    static final Id SHUTDOWN_ID = Id.of("piperpc-shutdown");
    /** The MCP revision the {@code initialize} request asks for. */
    static final String MCP_PROTOCOL_VERSION = "2025-06-18";

    private final Dialect dialect;
    private final Map<String, Object> initializeParams;
    private final String initialized;

    private Handshake(Dialect dialect, Map<String, Object> initializeParams, String initialized) {
        this.dialect = dialect;
        this.initializeParams = initializeParams;
        this.initialized = initialized;
    }

    /** A language server's session, on the workspace at {@code root}. */
    static Handshake lsp(Path root) {
        Path workspace = root.toAbsolutePath().normalize();
        String uri = workspace.toUri().toString().replaceAll("/$", "");
        Map<String, Object> capabilities = Map.of(
                "general", Map.of("positionEncodings", List.of("utf-16")),
                "workspace", Map.of("workspaceFolders", true),
                "textDocument", Map.of(
                        "synchronization", Map.of("didSave", true),
                        "hover", Map.of("contentFormat", List.of("markdown", "plaintext")),
                        "completion", Map.of("completionItem", Map.of("snippetSupport", false)),
                        "definition", Map.of(),
                        "references", Map.of(),
                        "documentSymbol", Map.of("hierarchicalDocumentSymbolSupport", true),
                        "publishDiagnostics", Map.of("relatedInformation", true)));
        String name = workspace.getFileName() == null ? uri : workspace.getFileName().toString();
        return new Handshake(Dialect.LSP, Map.of(
                "processId", ProcessHandle.current().pid(),
                "clientInfo", clientInfo(),
                "rootUri", uri,
                "rootPath", workspace.toString(),
                "workspaceFolders", List.of(Map.of("uri", uri, "name", name)),
                "capabilities", capabilities), "initialized");
    }

    /** An MCP server's session. */
    static Handshake mcp() {
        return new Handshake(Dialect.MCP, mcpInitializeParams(), "notifications/initialized");
    }

    /** The params of MCP's {@code initialize}: the protocol version, no client capabilities, who we are. */
    static Map<String, Object> mcpInitializeParams() {
        return Map.of("protocolVersion", MCP_PROTOCOL_VERSION, "capabilities", Map.of(), "clientInfo", clientInfo());
    }

    /** The dialect of the session's cancellations and progress. */
    Dialect dialect() {
        return dialect;
    }

    /** Sends {@code initialize}; once it has its answer, {@link #initialized} follows. */
    Call<RawJson> initialize(Rpc rpc, Duration timeout) {
        return rpc.send(INITIALIZE_ID, "initialize", Params.named(initializeParams), RawJson.class, timeout);
    }

    /** Tells the server that its {@code initialize} answer was received. */
    void initialized(Rpc rpc) {
        rpc.notify(initialized, Params.named(Map.of()));
    }

    /**
     * Ends the session the protocol's way before the server's stdin is closed: LSP's
     * {@code shutdown} (waited for at most {@code timeout}) and {@code exit}; nothing for MCP.
     *
     * @return {@code null}, or why the server did not take the {@code shutdown}
     */
    String close(Rpc rpc, Duration timeout) {
        if (dialect != Dialect.LSP) {
            return null;
        }
        String problem = null;
        try {
            rpc.send(SHUTDOWN_ID, "shutdown", Params.none(), RawJson.class, timeout).join();
        } catch (RuntimeException e) {
            problem = e.getMessage();
        }
        try {
            rpc.notify("exit", Params.none());
        } catch (RuntimeException e) {
            problem = problem == null ? e.getMessage() : problem;
        }
        return problem;
    }

    private static Map<String, Object> clientInfo() {
        return Map.of("name", "piperpc", "version", ResourceBundle.getBundle("dev.piperpc.cli.version").getString("piperpc.version"));
    }
}
