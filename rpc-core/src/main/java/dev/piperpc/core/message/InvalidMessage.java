package dev.piperpc.core.message;

import java.util.Objects;

/**
 * A JSON text that is not a valid JSON-RPC message, with the error that a peer answers it with.
 *
 * @param id               the id, where one could be read from it, else {@link Id#NULL}
 * @param error            the error: parse error ({@code -32700}) or invalid request ({@code -32600})
 * @param looksLikeResponse whether it had a {@code result} or {@code error} member: such a message
 *                         is never answered, since answering responses could loop between peers
 */
public record InvalidMessage(Id id, ErrorObject error, boolean looksLikeResponse) implements Message {
    /** Checks the parts. */
    public InvalidMessage {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(error, "error");
    }

    /** The error response a peer sends for it. */
    public Response toResponse() {
        return Response.failure(id, error);
    }
}
