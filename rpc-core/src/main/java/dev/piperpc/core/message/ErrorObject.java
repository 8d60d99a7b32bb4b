package dev.piperpc.core.message;

import java.util.Objects;

/**
 * The error member of a failed {@link Response}.
 *
 * @param code    the error code (see {@link ErrorCodes})
 * @param message a short description
 * @param data    more information, or {@code null}
 */
public record ErrorObject(int code, String message, RawJson data) {
    /** Checks the parts. */
    public ErrorObject {
        Objects.requireNonNull(message, "message");
    }

    /** An error without data. */
    public static ErrorObject of(int code, String message) {
        return new ErrorObject(code, message, null);
    }

    @Override
    public String toString() {
        return "error " + code + ": " + message + (data == null ? "" : " " + data);
    }
}
