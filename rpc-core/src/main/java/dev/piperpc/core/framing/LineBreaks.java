package dev.piperpc.core.framing;

import dev.piperpc.core.internal.ByteWords;

/**
 * Finds line ends in bytes eight at a time: each word is compared with a word of the wanted byte,
 * and a zero byte in the difference flags it (the lowest flagged byte is exact).
 */
final class LineBreaks {

    private static final long NEWLINES = 0x0A0A0A0A0A0A0A0AL;
    private static final long RETURNS = 0x0D0D0D0D0D0D0D0DL;

    private LineBreaks() {
    }

    /** The index of the first {@code '\n'} in {@code bytes[from, end)}, or -1. */
    static int indexOfNewline(byte[] bytes, int from, int end) {
        int i = from;
        for (; i + Long.BYTES <= end; i += Long.BYTES) {
            long found = ByteWords.zeroBytes(ByteWords.word(bytes, i) ^ NEWLINES);
            if (found != 0) {
                return i + (Long.numberOfTrailingZeros(found) >>> 3);
            }
        }
        for (; i < end; i++) {
            if (bytes[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /** The index of the first {@code '\n'} or {@code '\r'} in {@code bytes[from, end)}, or -1. */
    static int indexOfLineBreak(byte[] bytes, int from, int end) {
        int i = from;
        for (; i + Long.BYTES <= end; i += Long.BYTES) {
            long word = ByteWords.word(bytes, i);
            long found = ByteWords.zeroBytes(word ^ NEWLINES) | ByteWords.zeroBytes(word ^ RETURNS);
            if (found != 0) {
                return i + (Long.numberOfTrailingZeros(found) >>> 3);
            }
        }
        for (; i < end; i++) {
            if (bytes[i] == '\n' || bytes[i] == '\r') {
                return i;
            }
        }
        return -1;
    }
}
