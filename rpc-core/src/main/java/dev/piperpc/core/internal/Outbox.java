package dev.piperpc.core.internal;

import dev.piperpc.core.BackpressureException;
import dev.piperpc.core.framing.Framing;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * The outbound half of a byte-stream connection: a bounded queue of JSON texts, and the writing
 * of them as frames, shared by the manager's and the worker's pipes.
 *
 * <ul>
 *   <li><b>Queue.</b> Any thread {@linkplain #offer offers} a text; the queued bytes are counted,
 *       and an offer past the bound is refused with {@link BackpressureException}.</li>
 *   <li><b>Writer election.</b> Whichever thread {@linkplain #drain drains} first holds the write
 *       lock and writes everything queued, including what others queue meanwhile; a thread that
 *       finds the lock taken returns at once, leaving its frames to the holder.</li>
 *   <li><b>Coalescing.</b> Texts are framed straight into one chunk buffer (the text's only copy
 *       before the write), so frames queued together leave in one write; a frame larger than
 *       the chunk is framed on its own and goes out in chunk-sized pieces.</li>
 *   <li><b>A full peer.</b> A non-blocking {@link Sink} that takes only part of a chunk makes
 *       the outbox wait: nothing is written until {@link #resume()} says there is room.</li>
 * </ul>
 */
public final class Outbox {

    /** Where the frames go. */
    public interface Sink {
        /**
         * Writes the remaining bytes of {@code chunk} as far as the peer takes them.
         *
         * @return {@code false} if the peer is full and the rest must wait for {@link Outbox#resume()}
         *         (a non-blocking sink; it arranges for that call itself, in {@link #awaitRoom()})
         */
        boolean write(ByteBuffer chunk) throws IOException;

        /** Called when the outbox waits for room after {@link #write} returned {@code false}. */
        default void awaitRoom() {
        }

        /** Called when everything queued has been written. */
        default void flush() throws IOException {
        }

        /** A blocking sink: {@code out}, flushed whenever the queue is empty. The chunk must be a heap buffer. */
        static Sink of(OutputStream out) {
            return new Sink() {
                @Override
                public boolean write(ByteBuffer chunk) throws IOException {
                    out.write(chunk.array(), chunk.arrayOffset() + chunk.position(), chunk.remaining());
                    chunk.position(chunk.limit());
                    return true;
                }

                @Override
                public void flush() throws IOException {
                    out.flush();
                }
            };
        }
    }

    /** The most a frame adds to its text: the LSP header with a ten-digit length. */
    private static final int MAX_ENVELOPE = "Content-Length: \r\n\r\n".length() + 10;

    private final Framing framing;
    private final long bound;
    private final String refusal;
    private final Sink sink;
    private final Consumer<IOException> onBroken;
    private final ByteBuffer chunk;
    private final ConcurrentLinkedQueue<byte[]> queue = new ConcurrentLinkedQueue<>();
    private final AtomicLong queuedBytes = new AtomicLong();
    private final ReentrantLock writeLock = new ReentrantLock();

    private volatile boolean full;
    private volatile boolean unwritten;
    private volatile boolean broken;
    private volatile Runnable closer;
    private volatile boolean discarding;
    private volatile boolean closed;
    private final OutputStream chunkStream = new ChunkStream();
    /** A frame larger than the chunk, on its way out; used under the write lock. */
    private byte[] large;
    private int largeOffset;

    /**
     * An outbox writing {@code framing} frames to {@code sink}.
     *
     * @param bound     queued bytes past which {@link #offer} refuses (responses: twice it)
     * @param refusal   what a refusal says first, such as {@code "worker-1 is not reading its stdin"}
     * @param chunk     the buffer frames are gathered in (direct for a channel, heap for a stream);
     *                  at least 64 bytes
     * @param onBroken  told once, on the writing thread, that the sink failed; the queue is dropped
     */
    public Outbox(Framing framing, long bound, String refusal, ByteBuffer chunk, Sink sink, Consumer<IOException> onBroken) {
        if (chunk.capacity() < 64) {
            throw new IllegalArgumentException("chunk of " + chunk.capacity() + " bytes; at least 64 needed");
        }
        this.framing = framing;
        this.bound = bound;
        this.refusal = refusal;
        this.sink = sink;
        this.onBroken = onBroken;
        this.chunk = chunk.clear().flip();
    }

    /**
     * Queues {@code json} to be written as one frame. A text alone in the queue is taken whatever
     * its size.
     *
     * @param control whether it is a response or cancellation, which may pass the bound up to twice it
     * @throws BackpressureException if it would pass the bound; nothing was queued
     */
    public void offer(byte[] json, boolean control) {
        long limit = control ? 2 * bound : bound;
        long queued = queuedBytes.addAndGet(json.length);
        if (queued > limit && queued != json.length) {
            queuedBytes.addAndGet(-json.length);
            throw new BackpressureException(refusal + ": " + (queued - json.length) + " bytes are already queued and "
                    + json.length + " more would pass the limit of " + limit);
        }
        queue.add(json);
    }

    /** Queues {@code json} without looking at the bound (its caller waited for room itself). */
    public void add(byte[] json) {
        queuedBytes.addAndGet(json.length);
        queue.add(json);
    }

    /** Bytes queued and not yet taken into a write. */
    public long queuedBytes() {
        return queuedBytes.get();
    }

    /** Whether the queued bytes are below the low-water mark, half the bound. */
    public boolean isWritable() {
        return queuedBytes.get() < bound / 2;
    }

    /** Whether the sink failed; nothing more is written. */
    public boolean isBroken() {
        return broken;
    }

    /** Whether nothing is queued. */
    public boolean isEmpty() {
        return queue.isEmpty();
    }

    /**
     * Writes what is queued until the queue is empty or the sink is full, unless another thread
     * is writing (it then writes what was queued here too).
     */
    public void drain() {
        while (!broken && !full && hasWork()) {
            if (!writeLock.tryLock()) {
                return;
            }
            try {
                writeWhileRoom();
            } finally {
                writeLock.unlock();
            }
        }
    }

    /**
     * Like {@link #drain()}, but waits up to {@code timeout} for a writing thread to finish
     * rather than leave the work to it.
     *
     * @return whether this thread got to write (or the sink had failed already)
     */
    public boolean drain(long timeout, TimeUnit unit) throws InterruptedException {
        if (!writeLock.tryLock(timeout, unit)) {
            return false;
        }
        try {
            if (!broken && !full) {
                writeWhileRoom();
            }
        } finally {
            writeLock.unlock();
        }
        drain();
        return true;
    }

    private boolean hasWork() {
        return !queue.isEmpty() || unwritten || (closer != null && !closed);
    }

    /** The sink has room again after it was full: writing goes on, on this thread. */
    public void resume() {
        full = false;
        drain();
    }

    /** Whether the outbox waits for {@link #resume()}. */
    public boolean isFull() {
        return full;
    }

    /**
     * Has {@code close} run once everything queued so far has been written, by the thread that
     * writes the last of it (the next {@link #drain} if nothing is queued). Nothing is written after it.
     */
    public void closeWhenWritten(Runnable close) {
        closer = close;
    }

    /**
     * Drops everything queued, and what is queued later, and has {@code close} run by the next
     * {@link #drain}, or by the thread writing now once its write returns.
     */
    public void discardAndClose(Runnable close) {
        discarding = true;
        queue.clear();
        queuedBytes.set(0);
        closer = close;
        full = false;
    }

    /** Holds the write lock. */
    private void writeWhileRoom() {
        try {
            while (!discarding) {
                if (!chunk.hasRemaining()) {
                    fillChunk();
                    if (!chunk.hasRemaining()) {
                        unwritten = false;
                        sink.flush();
                        if (closer != null) {
                            close();
                        }
                        return;
                    }
                }
                if (!sink.write(chunk)) {
                    unwritten = true;
                    full = true;
                    sink.awaitRoom();
                    return;
                }
            }
            queue.clear();
            queuedBytes.set(0);
            chunk.clear().flip();
            large = null;
            unwritten = false;
            close();
        } catch (IOException e) {
            broken = true;
            queue.clear();
            queuedBytes.set(0);
            chunk.clear().flip();
            large = null;
            unwritten = false;
            onBroken.accept(e);
        }
    }

    private void close() {
        if (!closed) {
            closed = true;
            closer.run();
        }
    }

    /** Holds the write lock; the chunk is empty. Frames queued texts into it, as many as fit. */
    private void fillChunk() throws IOException {
        chunk.clear();
        while (true) {
            if (large != null) {
                int length = Math.min(chunk.remaining(), large.length - largeOffset);
                chunk.put(large, largeOffset, length);
                largeOffset += length;
                if (largeOffset < large.length) {
                    break;
                }
                large = null;
            }
            byte[] next = queue.peek();
            if (next == null) {
                break;
            }
            if (next.length + MAX_ENVELOPE <= chunk.remaining()) {
                queue.poll();
                queuedBytes.addAndGet(-next.length);
                framing.encode(next, 0, next.length, chunkStream);
            } else if (chunk.position() > 0) {
                break;
            } else {
                // A frame larger than the chunk: framed on its own, then written a chunk at a time.
                queue.poll();
                queuedBytes.addAndGet(-next.length);
                large = framing.encode(next);
                largeOffset = 0;
            }
        }
        chunk.flip();
    }

    /** Writes into the chunk, which has room for what is written. */
    private final class ChunkStream extends OutputStream {
        @Override
        public void write(int b) {
            chunk.put((byte) b);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) {
            chunk.put(bytes, offset, length);
        }
    }
}
