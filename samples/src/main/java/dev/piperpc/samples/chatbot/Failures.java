package dev.piperpc.samples.chatbot;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.piperpc.core.BackpressureException;
import dev.piperpc.core.CallTimeoutException;
import dev.piperpc.core.ConnectionClosedException;
import dev.piperpc.core.RpcException;
import dev.piperpc.core.message.ErrorCodes;
import dev.piperpc.pipe.WorkerExitedException;
import dev.piperpc.pipe.WorkerPipeClosedException;

import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.Map;
import java.util.concurrent.CompletionException;

/**
 * Why a job failed, as a sentence for the person at the terminal rather than the JSON-RPC error
 * object or the exception it came as: {@code the worker stopped while running it}, {@code no such
 * file: /tmp/x}.
 */
final class Failures {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Failures() {
    }

    /** Why {@code error} ended a job. */
    static String sentence(Throwable error) {
        Throwable cause = error;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof ConnectionClosedException closed) {
            return closed.getCause() instanceof WorkerExitedException || closed.getCause() instanceof WorkerPipeClosedException
                    ? "the worker stopped while running it"
                    : "the connection to the workers closed (" + closed.getMessage() + ")";
        }
        if (cause instanceof CallTimeoutException) {
            return "no answer came in time";
        }
        if (cause instanceof BackpressureException) {
            return "the workers are busy with as many jobs as they take; try again later";
        }
        if (cause instanceof RpcException rpc) {
            return fromWorker(rpc);
        }
        return cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
    }

    /** A worker's error answer: the exception it threw, named in the error's data, says what went wrong. */
    private static String fromWorker(RpcException error) {
        String message = error.error().message();
        if (error.code() == ErrorCodes.METHOD_NOT_FOUND) {
            return "the worker does not know how to do that";
        }
        if (error.code() == ErrorCodes.INVALID_PARAMS) {
            return "the worker refused the arguments: " + message;
        }
        String type = exceptionType(error);
        if (type.equals(NoSuchFileException.class.getName())) {
            return "no such file: " + message;
        }
        if (type.equals(AccessDeniedException.class.getName())) {
            return "permission denied: " + message;
        }
        if (type.equals(NotDirectoryException.class.getName())) {
            return "not a directory: " + message;
        }
        return message;
    }

    /** The class name of the exception a worker's error came from, or "" if the error does not say. */
    private static String exceptionType(RpcException error) {
        try {
            Map<?, ?> data = error.data(JSON, Map.class);
            Object type = data == null ? null : data.get("exceptionTypeName");
            return type == null ? "" : type.toString();
        } catch (UncheckedIOException | IllegalArgumentException notAnObject) {
            return "";
        }
    }
}
