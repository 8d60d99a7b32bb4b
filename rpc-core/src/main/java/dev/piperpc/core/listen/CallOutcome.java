package dev.piperpc.core.listen;

import dev.piperpc.core.message.ErrorObject;

/**
 * How a call or an incoming request ended.
 *
 * @param kind    which of the ways it ended
 * @param error   for {@link Kind#ERROR}, the error object the peer (or, for an incoming request,
 *                the handler) answered with; else {@code null}
 * @param message a short description: the error's message for {@link Kind#ERROR}, the local
 *                reason for the other failures, {@code null} for {@link Kind#RESULT}
 */
public record CallOutcome(Kind kind, ErrorObject error, String message) {

    /** The call ended with a result. */
    public static final CallOutcome RESULT = new CallOutcome(Kind.RESULT, null, null);

    /** The ways a call ends. Each call ends exactly one way, once. */
    public enum Kind {
        /** A result. */
        RESULT,
        /** A JSON-RPC error object: {@link CallOutcome#error()} has its code and message. */
        ERROR,
        /** No response within the call's timeout. */
        TIMEOUT,
        /**
         * Cancelled: an outbound call by its caller, an incoming request by the peer's
         * cancellation.
         */
        CANCELLED,
        /** The connection closed (or was closing) before the call ended: the peer exited, say. */
        CONNECTION_CLOSED,
        /** Refused for backpressure: the queue to the peer was full, and nothing was sent. */
        REFUSED,
        /**
         * Any other local failure: a malformed or oversized response, a message the transport
         * could not deliver.
         */
        FAILED
    }

    /** Checks the parts. */
    public CallOutcome {
        if (kind == null) {
            throw new IllegalArgumentException("kind is required");
        }
        if ((kind == Kind.ERROR) != (error != null)) {
            throw new IllegalArgumentException("an error object goes with ERROR, and only with it");
        }
    }

    /** An {@link Kind#ERROR} outcome with {@code error}. */
    public static CallOutcome error(ErrorObject error) {
        return new CallOutcome(Kind.ERROR, error, error.message());
    }

    /** A local failure of {@code kind} (anything but {@link Kind#RESULT} and {@link Kind#ERROR}), saying why. */
    public static CallOutcome failure(Kind kind, String message) {
        if (kind == Kind.RESULT || kind == Kind.ERROR) {
            throw new IllegalArgumentException(kind + " is not a local failure");
        }
        return new CallOutcome(kind, null, message);
    }
}
