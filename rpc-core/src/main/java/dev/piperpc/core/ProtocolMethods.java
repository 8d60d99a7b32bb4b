package dev.piperpc.core;

/**
 * The names of the protocol's own methods, shared by managers and workers: those of the LSP
 * dialect, which piperpc speaks by default, and those of the MCP dialect (see {@link Dialect}).
 */
public final class ProtocolMethods {

    /** LSP: the notification that asks a peer to cancel a request, {@code {"id": <id>}}; answered with -32800. */
    public static final String CANCEL_REQUEST = "$/cancelRequest";

    /** LSP: a worker's progress report, {@code {"token": ..., "value": ...}}. */
    public static final String PROGRESS = "$/progress";

    /** LSP: a worker's log message, {@code {"message": ...}}. */
    public static final String LOG = "$/log";

    /**
     * MCP: the notification that asks a peer to cancel a request, {@code {"requestId": <id>,
     * "reason"?: ...}}; the request is then not answered.
     */
    public static final String MCP_CANCELLED = "notifications/cancelled";

    /**
     * MCP: a progress report, {@code {"progressToken": ..., "progress": n, "total"?: n,
     * "message"?: ...}}, under the {@code progressToken} of the request's {@code params._meta}.
     */
    public static final String MCP_PROGRESS = "notifications/progress";

    /** MCP: a log message, {@code {"level": ..., "logger"?: ..., "data": ...}}. */
    public static final String MCP_LOG = "notifications/message";

    private ProtocolMethods() {
    }
}
