package dev.piperpc.core.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.piperpc.core.RpcException;
import dev.piperpc.core.message.ErrorCodes;
import dev.piperpc.core.message.ErrorObject;
import dev.piperpc.core.message.RawJson;

import java.lang.reflect.InvocationTargetException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Turns what a handler threw into the error object its caller receives. */
public final class ErrorMapping {

    private ErrorMapping() {
    }

    /** Strips the wrappers that futures and reflection put around the real exception. */
    public static Throwable unwrap(Throwable error) {
        Throwable current = error;
        while ((current instanceof CompletionException || current instanceof ExecutionException
                || current instanceof InvocationTargetException) && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }

    /**
     * The error object for {@code error}: an {@link RpcException}'s own, else code -32000 with the
     * exception's message and, in {@code data}, its class name and message (the shape jsonrpc4j uses,
     * so its clients can rethrow it).
     */
    public static ErrorObject toError(Throwable error, ObjectMapper mapper) {
        Throwable cause = unwrap(error);
        if (cause instanceof RpcException rpc) {
            return rpc.error();
        }
        String message = cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
        Map<String, String> data = new LinkedHashMap<>();
        data.put("exceptionTypeName", cause.getClass().getName());
        data.put("message", cause.getMessage());
        return new ErrorObject(ErrorCodes.APPLICATION_ERROR, message, toRaw(data, mapper));
    }

    /** {@code value} serialized as raw JSON. */
    public static RawJson toRaw(Object value, ObjectMapper mapper) {
        try {
            byte[] bytes = mapper.writeValueAsBytes(value);
            return TrustedJson.wrap(bytes, 0, bytes.length);
        } catch (Exception e) {
            throw new IllegalArgumentException("cannot serialize " + value.getClass().getName() + ": " + e.getMessage(), e);
        }
    }
}
