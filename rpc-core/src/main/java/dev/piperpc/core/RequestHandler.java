package dev.piperpc.core;

/**
 * Handles incoming requests and notifications for one method name. Runs on the endpoint's
 * executor, never on the transport's I/O thread.
 */
@FunctionalInterface
public interface RequestHandler {
    /**
     * Handles one request or notification.
     *
     * @return the result (serialized with the endpoint's mapper; a {@link java.util.concurrent.CompletionStage}
     *         is answered when it completes); ignored for notifications
     * @throws RpcException to answer with that error object; any other exception is answered with
     *                      code -32000, its message, and its class name in {@code data}
     */
    Object handle(RequestContext request) throws Exception;
}
