package dev.piperpc.core.internal;

import java.io.OutputStream;
import java.util.Arrays;

/** A growable byte array that is written as an {@link OutputStream} and read without copying. */
public final class ByteSink extends OutputStream {

    private byte[] buffer;
    private int size;

    /** A sink with the given initial capacity. */
    public ByteSink(int initialCapacity) {
        buffer = new byte[Math.max(16, initialCapacity)];
    }

    @Override
    public void write(int b) {
        ensureRoom(1);
        buffer[size++] = (byte) b;
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
        ensureRoom(length);
        System.arraycopy(bytes, offset, buffer, size, length);
        size += length;
    }

    /** Makes room for {@code extra} more bytes. */
    public void ensureRoom(int extra) {
        long needed = (long) size + extra;
        if (needed > buffer.length) {
            if (needed > Integer.MAX_VALUE - 16) {
                throw new OutOfMemoryError("byte sink over 2 GiB");
            }
            buffer = Arrays.copyOf(buffer, (int) Math.max(needed, Math.min(Integer.MAX_VALUE - 16L, buffer.length * 2L)));
        }
    }

    /** The backing array; valid up to {@link #size()}. */
    public byte[] array() {
        return buffer;
    }

    /** Number of bytes written since the last {@link #reset()}. */
    public int size() {
        return size;
    }

    /** Forgets the content, keeping the capacity. */
    public void reset() {
        size = 0;
    }

    /** Drops the first {@code count} bytes, moving the rest to the front. */
    public void discardFront(int count) {
        System.arraycopy(buffer, count, buffer, 0, size - count);
        size -= count;
    }

    /** A copy of the content. */
    public byte[] toByteArray() {
        return Arrays.copyOf(buffer, size);
    }

    /** A copy of {@code length} bytes starting at {@code offset}. */
    public byte[] copyOfRange(int offset, int length) {
        return Arrays.copyOfRange(buffer, offset, offset + length);
    }
}
