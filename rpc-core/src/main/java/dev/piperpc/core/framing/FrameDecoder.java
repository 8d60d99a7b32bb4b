package dev.piperpc.core.framing;

/**
 * Splits a byte stream into frames, incrementally: bytes may be fed in pieces of any size, a piece
 * may hold several frames or part of one, and multi-byte UTF-8 characters may be split between
 * pieces. A frame above the maximum size is reported as a {@link FrameTooLargeException} without
 * being buffered whole, and decoding resumes at the next frame.
 *
 * <p>An instance serves one stream and is not thread-safe.
 */
public interface FrameDecoder {

    /** Feeds {@code length} bytes starting at {@code offset}; whole frames and errors go to {@code handler}. */
    void decode(byte[] bytes, int offset, int length, FrameHandler handler);

    /** Tells the decoder that the stream ended; a frame left incomplete is reported. */
    void endOfInput(FrameHandler handler);
}
