package dev.piperpc.core.message;

/** The error codes that JSON-RPC 2.0 (and, for cancellation, LSP) define. */
public final class ErrorCodes {
    /** Invalid JSON was received. */
    public static final int PARSE_ERROR = -32700;
    /** The JSON sent is not a valid request object. */
    public static final int INVALID_REQUEST = -32600;
    /** The method does not exist or is not available. */
    public static final int METHOD_NOT_FOUND = -32601;
    /** Invalid method parameters. */
    public static final int INVALID_PARAMS = -32602;
    /** Internal JSON-RPC error. */
    public static final int INTERNAL_ERROR = -32603;
    /** An exception thrown by application code (the first code of the server error range). */
    public static final int APPLICATION_ERROR = -32000;
    /** The request was cancelled by the caller ({@code $/cancelRequest}; MCP's {@code notifications/cancelled} is not answered). */
    public static final int REQUEST_CANCELLED = -32800;

    private ErrorCodes() {
    }

    /** The standard message for a code, as the specification spells it. */
    public static String standardMessage(int code) {
        return switch (code) {
            case PARSE_ERROR -> "Parse error";
            case INVALID_REQUEST -> "Invalid Request";
            case METHOD_NOT_FOUND -> "Method not found";
            case INVALID_PARAMS -> "Invalid params";
            case INTERNAL_ERROR -> "Internal error";
            case REQUEST_CANCELLED -> "Request cancelled";
            default -> "Server error";
        };
    }
}
