package dev.piperpc.core;

/**
 * The names of the protocol's own methods, shared by managers and workers: the dialect of LSP,
 * which piperpc speaks by default.
 */
public final class ProtocolMethods {

    /** The notification that asks a peer to cancel a request: {@code {"id": <id>}}. */
    public static final String CANCEL_REQUEST = "$/cancelRequest";

    /** A worker's progress report: {@code {"token": ..., "value": ...}}. */
    public static final String PROGRESS = "$/progress";

    /** A worker's log message: {@code {"message": ...}}. */
    public static final String LOG = "$/log";

    private ProtocolMethods() {
    }
}
