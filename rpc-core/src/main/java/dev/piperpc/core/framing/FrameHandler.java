package dev.piperpc.core.framing;

/** Receives what a {@link FrameDecoder} finds in the bytes it is fed. */
public interface FrameHandler {
    /** A whole frame: one JSON text, in a new array the handler owns. */
    void onFrame(byte[] frame);

    /** Bytes that did not form a valid frame; decoding goes on after them. */
    void onError(FramingException error);
}
