package dev.piperpc.core.message;

import java.util.Objects;

/**
 * A notification: a request without an id, to which no response is sent.
 *
 * @param method the method name
 * @param params the params (a JSON array or object), or {@code null} when it has none
 */
public record Notification(String method, RawJson params) implements Message {
    /** Checks the parts. */
    public Notification {
        Objects.requireNonNull(method, "method");
        checkParams(params);
    }

    static void checkParams(RawJson params) {
        if (params != null && !params.isArray() && !params.isObject()) {
            throw new IllegalArgumentException("params must be a JSON array or object, not " + params);
        }
    }
}
