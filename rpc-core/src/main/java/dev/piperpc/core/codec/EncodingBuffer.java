package dev.piperpc.core.codec;

import com.fasterxml.jackson.core.util.BufferRecycler;
import dev.piperpc.core.internal.ByteSink;

import java.io.OutputStream;

/**
 * The buffer a thread writes its messages into, reused from one message to the next. It also
 * lends the generators that write into it their working buffers ({@link BufferRecycler.Gettable}),
 * so making a generator does not go through the factory's recycler pool for them.
 */
final class EncodingBuffer extends OutputStream implements BufferRecycler.Gettable {

    private static final ThreadLocal<EncodingBuffer> CURRENT = ThreadLocal.withInitial(EncodingBuffer::new);

    private final ByteSink bytes = new ByteSink(512);
    private final BufferRecycler recycler = new BufferRecycler();

    private EncodingBuffer() {
    }

    /** This thread's buffer, emptied. */
    static EncodingBuffer start() {
        EncodingBuffer buffer = CURRENT.get();
        buffer.bytes.reset();
        return buffer;
    }

    @Override
    public void write(int b) {
        bytes.write(b);
    }

    @Override
    public void write(byte[] source, int offset, int length) {
        bytes.write(source, offset, length);
    }

    /** A copy of what was written since {@link #start()}. */
    byte[] toByteArray() {
        return bytes.toByteArray();
    }

    @Override
    public BufferRecycler bufferRecycler() {
        return recycler;
    }
}
