package dev.piperpc.queue;

import dev.piperpc.core.PiperpcException;

/**
 * A message could not be put on its queue, so the peer never saw it: it is too big for SQS, or SQS
 * refused it (or could not be reached) after a few attempts. A call ends with this error at once
 * rather than waiting for its timeout; the message says which of these happened.
 */
public final class QueueSendException extends PiperpcException {
    /** An exception with a message. */
    public QueueSendException(String message) {
        super(message);
    }

    /** An exception with a message and the error SQS or its client reported. */
    public QueueSendException(String message, Throwable cause) {
        super(message, cause);
    }
}
