package dev.piperpc.core.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Bytes looked at eight at a time: a little-endian word of a byte array, and the test that flags
 * its zero bytes (a word xor a word of the wanted byte is zero where that byte is). Stateless.
 */
public final class ByteWords {

    /** The high bit of every byte. */
    public static final long HIGH_BITS = 0x8080808080808080L;
    private static final long ONES = 0x0101010101010101L;
    private static final VarHandle WORDS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private ByteWords() {
    }

    /** The eight bytes of {@code bytes} from {@code at}, the first in the lowest byte. */
    public static long word(byte[] bytes, int at) {
        return (long) WORDS.get(bytes, at);
    }

    /**
     * The high bit of each byte of {@code word} that is zero, up to and including the lowest
     * (higher ones may be spurious): non-zero exactly when a byte is zero.
     */
    public static long zeroBytes(long word) {
        return (word - ONES) & ~word & HIGH_BITS;
    }
}
