package dev.piperpc.core.framing;

/** A frame longer than the decoder's maximum; it was skipped without being buffered whole. */
public final class FrameTooLargeException extends FramingException {

    /** How many leading bytes of a skipped frame are kept, to tell which message it was. */
    public static final int PREFIX_LENGTH = 256;

    private final long maxFrameSize;
    private final byte[] prefix;

    /** An exception for a frame above {@code maxFrameSize} bytes, with its first bytes. */
    public FrameTooLargeException(String detail, long maxFrameSize, byte[] prefix) {
        super(detail + " exceeds the maximum frame size of " + maxFrameSize + " bytes; the frame was skipped");
        this.maxFrameSize = maxFrameSize;
        this.prefix = prefix.clone();
    }

    /** The first bytes of the skipped frame (at most {@link #PREFIX_LENGTH}), to tell which message it was. */
    public byte[] prefix() {
        return prefix.clone();
    }

    /** The first bytes of {@code [offset, end)} after {@code head}, up to {@link #PREFIX_LENGTH} in all. */
    static byte[] prefixOf(byte[] head, int headLength, byte[] bytes, int offset, int end) {
        int fromHead = Math.min(headLength, PREFIX_LENGTH);
        int fromBytes = Math.max(0, Math.min(end - offset, PREFIX_LENGTH - fromHead));
        byte[] prefix = new byte[fromHead + fromBytes];
        System.arraycopy(head, 0, prefix, 0, fromHead);
        System.arraycopy(bytes, offset, prefix, fromHead, fromBytes);
        return prefix;
    }

    /** The maximum that was exceeded, in bytes. */
    public long maxFrameSize() {
        return maxFrameSize;
    }
}
