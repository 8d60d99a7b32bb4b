package dev.piperpc.core.framing;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Finds line ends in bytes eight at a time: each word is compared with a word of the wanted byte,
 * and a zero byte in the difference flags it (the lowest flagged byte is exact).
 */
final class LineBreaks {

    private static final VarHandle WORDS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long NEWLINES = 0x0A0A0A0A0A0A0A0AL;
    private static final long RETURNS = 0x0D0D0D0D0D0D0D0DL;
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGH_BITS = 0x8080808080808080L;

    private LineBreaks() {
    }

    /** The index of the first {@code '\n'} in {@code bytes[from, end)}, or -1. */
    static int indexOfNewline(byte[] bytes, int from, int end) {
        int i = from;
        for (; i + Long.BYTES <= end; i += Long.BYTES) {
            long found = zeroBytes((long) WORDS.get(bytes, i) ^ NEWLINES);
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
            long word = (long) WORDS.get(bytes, i);
            long found = zeroBytes(word ^ NEWLINES) | zeroBytes(word ^ RETURNS);
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

    /** The high bit of each byte of {@code word} that is zero, up to and including the lowest (higher ones may be spurious). */
    private static long zeroBytes(long word) {
        return (word - ONES) & ~word & HIGH_BITS;
    }
}
