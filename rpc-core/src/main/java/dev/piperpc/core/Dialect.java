package dev.piperpc.core;

/**
 * How a connection speaks of what JSON-RPC 2.0 leaves to the protocols built on it: cancelling a
 * request, reporting its progress, logging. The Language Server Protocol and the Model Context
 * Protocol say the same things with different methods; a connection sends in its dialect
 * ({@link Endpoint.Builder#dialect}) and, whatever its dialect, obeys both cancellations.
 *
 * <table>
 *   <caption>What each dialect sends</caption>
 *   <tr><th></th><th>{@link #LSP}</th><th>{@link #MCP}</th></tr>
 *   <tr><td>a call cancelled or timed out</td>
 *       <td>{@value ProtocolMethods#CANCEL_REQUEST} {@code {"id": <id>}}</td>
 *       <td>{@value ProtocolMethods#MCP_CANCELLED} {@code {"requestId": <id>, "reason": ...}}</td></tr>
 *   <tr><td>a request's progress</td>
 *       <td>{@value ProtocolMethods#PROGRESS} {@code {"token": ..., "value": ...}}</td>
 *       <td>{@value ProtocolMethods#MCP_PROGRESS} {@code {"progressToken": <the request's
 *           params._meta.progressToken>, "progress": n, "total"?: n, "message"?: ...}}</td></tr>
 *   <tr><td>a log line</td>
 *       <td>{@value ProtocolMethods#LOG} {@code {"message": ...}}</td>
 *       <td>{@value ProtocolMethods#MCP_LOG} {@code {"level": "info", "data": ...}}</td></tr>
 * </table>
 *
 * <p>A request cancelled with {@value ProtocolMethods#CANCEL_REQUEST} is answered with -32800, as
 * LSP asks; one cancelled with {@value ProtocolMethods#MCP_CANCELLED} is not answered at all, as MCP
 * asks (a member of a batch still is, so that the batch's answer is whole).
 */
public enum Dialect {

    /** The Language Server Protocol's, and piperpc's default. */
    LSP,

    /** The Model Context Protocol's. */
    MCP
}
