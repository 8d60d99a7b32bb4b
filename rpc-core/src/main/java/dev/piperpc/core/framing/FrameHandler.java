package dev.piperpc.core.framing;

/** Receives what a {@link FrameDecoder} finds in the bytes it is fed. */
public interface FrameHandler {
    /** A whole frame: one JSON text, in a new array the handler owns. */
    void onFrame(byte[] frame);

    /**
     * The bytes left when the input ended without a delimiter after them: a last frame, or one
     * cut short by the end of the stream (a peer killed while writing). By default a frame.
     */
    default void onLastFrame(byte[] frame) {
        onFrame(frame);
    }

    /** Bytes that did not form a valid frame; decoding goes on after them. */
    void onError(FramingException error);
}
