package dev.piperpc.core.framing;

import dev.piperpc.core.PiperpcException;

/** Bytes on a connection that do not form a valid frame. The decoder skips them and goes on. */
public class FramingException extends PiperpcException {
    /** An exception with a message. */
    public FramingException(String message) {
        super(message);
    }
}
