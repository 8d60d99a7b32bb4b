package dev.piperpc.core.message;

import java.util.Objects;

/**
 * A request: a call that expects a {@link Response} with the same id.
 *
 * @param id     the id the response will carry
 * @param method the method name
 * @param params the params (a JSON array or object), or {@code null} when the request has none
 */
public record Request(Id id, String method, RawJson params) implements Message {
    /** Checks the parts. */
    public Request {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(method, "method");
        Notification.checkParams(params);
    }
}
