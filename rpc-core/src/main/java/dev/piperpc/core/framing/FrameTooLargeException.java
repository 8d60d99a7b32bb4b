package dev.piperpc.core.framing;

/** A frame longer than the decoder's maximum; it was skipped without being buffered whole. */
public final class FrameTooLargeException extends FramingException {

    private final long maxFrameSize;

    /** An exception for a frame above {@code maxFrameSize} bytes. */
    public FrameTooLargeException(String detail, long maxFrameSize) {
        super(detail + " exceeds the maximum frame size of " + maxFrameSize + " bytes; the frame was skipped");
        this.maxFrameSize = maxFrameSize;
    }

    /** The maximum that was exceeded, in bytes. */
    public long maxFrameSize() {
        return maxFrameSize;
    }
}
