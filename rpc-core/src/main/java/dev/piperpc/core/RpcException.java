package dev.piperpc.core;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.piperpc.core.message.ErrorObject;
import dev.piperpc.core.message.RawJson;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A JSON-RPC error object. A call ends with it when the peer answers with an error; a handler
 * throws it to answer with a chosen code, message and data.
 */
public class RpcException extends PiperpcException {

    private final transient ErrorObject error;

    /** An exception carrying {@code error}. */
    public RpcException(ErrorObject error) {
        super(error.message() + " (code " + error.code() + (error.data() == null ? "" : ", data " + abbreviate(error.data())) + ")");
        this.error = error;
    }

    /** An exception carrying an error with no data. */
    public RpcException(int code, String message) {
        this(ErrorObject.of(code, message));
    }

    /** An exception carrying an error with data given as raw JSON. */
    public RpcException(int code, String message, RawJson data) {
        this(new ErrorObject(code, message, data));
    }

    private static String abbreviate(RawJson data) {
        String text = data.toString();
        return text.length() <= 300 ? text : text.substring(0, 300) + "...";
    }

    /** The error object. */
    public ErrorObject error() {
        return error;
    }

    /** The error code. */
    public int code() {
        return error.code();
    }

    /** The error data bound to {@code type}, or {@code null} if there is none. */
    public <T> T data(ObjectMapper mapper, Class<T> type) {
        if (error.data() == null) {
            return null;
        }
        try {
            return error.data().bind(mapper, type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
