package dev.piperpc.core.message;

import java.util.Objects;

/**
 * A response: either a result or an error, for the request with the same id.
 *
 * @param id     the id of the request answered ({@link Id#NULL} if it could not be read)
 * @param result the result, or {@code null} for an error response
 * @param error  the error, or {@code null} for a successful response
 */
public record Response(Id id, RawJson result, ErrorObject error) implements Message {
    /** Checks that exactly one of result and error is present. */
    public Response {
        Objects.requireNonNull(id, "id");
        if ((result == null) == (error == null)) {
            throw new IllegalArgumentException("a response has exactly one of result and error");
        }
    }

    /** A successful response. */
    public static Response success(Id id, RawJson result) {
        return new Response(id, Objects.requireNonNull(result, "result"), null);
    }

    /** An error response. */
    public static Response failure(Id id, ErrorObject error) {
        return new Response(id, null, Objects.requireNonNull(error, "error"));
    }

    /** Whether this response carries an error. */
    public boolean isError() {
        return error != null;
    }
}
