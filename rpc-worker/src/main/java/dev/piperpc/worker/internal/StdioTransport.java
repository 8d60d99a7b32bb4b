package dev.piperpc.worker.internal;

import dev.piperpc.core.BackpressureException;
import dev.piperpc.core.ConnectionClosedException;
import dev.piperpc.core.framing.FrameDecoder;
import dev.piperpc.core.framing.FrameHandler;
import dev.piperpc.core.framing.Framing;
import dev.piperpc.core.internal.ByteSink;
import dev.piperpc.core.internal.ReadGate;
import dev.piperpc.core.transport.Transport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntSupplier;

/**
 * The worker's side of the pipes: a reader thread that frames stdin, and writes made by the thread
 * that produced each response, one at a time under a lock, each frame whole. A thread that finds
 * the lock taken leaves its frame queued; the holder writes everything queued before it flushes
 * and lets go, so frames ready together go out in one write and none waits for a thread hop.
 *
 * <p>While several requests are waiting to start, a response is held back for the ones that
 * follow it, so a burst of fast calls is answered in a few writes rather than one per call;
 * a held frame is written at the latest {@value #MAX_HOLD_MICROS} µs later (by a flusher thread
 * if no call finishes first), so a slow call behind a fast one never delays its answer. The end
 * of stdin is reported to the worker, which finishes its running calls before it closes this
 * transport.
 *
 * <p>Bounds: while {@code maxQueuedBytes} wait to be written (the manager is not reading), a call
 * thread that sends waits for room, so a worker that is too much slows itself down; the stdin
 * reader thread never waits: what it sends (answers to junk and to unknown methods) passes the
 * bound up to twice it and is refused beyond. Reading stdin pauses when the endpoint asks.
 */
public final class StdioTransport implements Transport {

    /** The longest a response is held back for the responses that follow it. */
    static final long MAX_HOLD_MICROS = 100;
    /** A response is held only while at least this many requests wait to start: a burst, not a trickle. */
    private static final int HOLD_WHEN_WAITING = 4;
    /** Held frames are written at once when they reach this many bytes. */
    private static final int HOLD_LIMIT_BYTES = 32 * 1024;
    /** Frames are written in pieces of about this size. */
    private static final int WRITE_CHUNK_BYTES = 64 * 1024;

    private final InputStream in;
    private final OutputStream out;
    private final Framing framing;
    private final int maxFrameSize;
    private final Runnable onEndOfInput;
    private final IntSupplier callsWaiting;
    private final long maxQueuedBytes;
    private final java.util.function.Consumer<Error> onReaderError;
    private final ReadGate readGate = new ReadGate();
    private final Object room = new Object();
    private volatile int roomWaiters;
    private volatile Thread reader;
    private final ConcurrentLinkedQueue<byte[]> outbound = new ConcurrentLinkedQueue<>();
    private final java.util.concurrent.atomic.AtomicLong outboundBytes = new java.util.concurrent.atomic.AtomicLong();
    private final ReentrantLock writeLock = new ReentrantLock();
    private final AtomicBoolean flusherIdle = new AtomicBoolean();
    private volatile Thread flusher;
    private volatile Listener listener;
    private volatile boolean closed;
    private volatile boolean outputBroken;
    /** Frames on their way out, written to {@link #out} together; used under the write lock. */
    private ByteSink writeBuffer = new ByteSink(WRITE_CHUNK_BYTES + 1024);

    /**
     * A transport over {@code in} and {@code out}; {@code onEndOfInput} runs on the reader thread
     * when {@code in} ends; {@code callsWaiting} tells how many requests are waiting to start
     * (their answers will follow soon, so a response may wait for them); {@code onReaderError}
     * runs if the reader thread hits an {@link Error}, after which it reads no more.
     */
    public StdioTransport(InputStream in, OutputStream out, Framing framing, int maxFrameSize, long maxQueuedBytes,
                          Runnable onEndOfInput, IntSupplier callsWaiting, java.util.function.Consumer<Error> onReaderError) {
        this.in = in;
        this.out = out;
        this.framing = framing;
        this.maxFrameSize = maxFrameSize;
        this.maxQueuedBytes = maxQueuedBytes;
        this.onEndOfInput = onEndOfInput;
        this.callsWaiting = callsWaiting;
        this.onReaderError = onReaderError;
    }

    @Override
    public void start(Listener listener) {
        this.listener = Objects.requireNonNull(listener, "listener");
        Thread reader = new Thread(this::readLoop, "piperpc-stdin");
        reader.setDaemon(true);
        this.reader = reader;
        Thread flushing = new Thread(this::flushLoop, "piperpc-flush");
        flushing.setDaemon(true);
        flusher = flushing;
        flushing.start();
        reader.start();
    }

    private void readLoop() {
        FrameDecoder decoder = framing.newDecoder(maxFrameSize);
        FrameHandler frames = listener.frameHandler();
        byte[] buffer = new byte[64 * 1024];
        try {
            int read;
            while (readGate.awaitOpen() && (read = in.read(buffer)) >= 0) {
                decoder.decode(buffer, 0, read, frames);
            }
        } catch (IOException e) {
            System.err.println("piperpc worker: reading stdin failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Error e) {
            // Nothing more can be read: the worker fails what it can and ends.
            onReaderError.accept(e);
            return;
        }
        decoder.endOfInput(frames);
        onEndOfInput.run();
    }

    @Override
    public void setReading(boolean reading) {
        readGate.set(reading || closed);
    }

    @Override
    public boolean isWritable() {
        return outboundBytes.get() < maxQueuedBytes / 2;
    }

    @Override
    public void send(byte[] json) {
        enqueue(json, false);
    }

    @Override
    public void sendControl(byte[] json) {
        enqueue(json, true);
    }

    private void enqueue(byte[] json, boolean control) {
        if (closed || outputBroken) {
            throw new ConnectionClosedException("stdout is closed");
        }
        if (Thread.currentThread() == reader) {
            long queued = outboundBytes.get();
            if (queued > (control ? 2 * maxQueuedBytes : maxQueuedBytes)) {
                throw new BackpressureException("the manager is not reading: " + queued + " bytes wait to be written to stdout");
            }
        } else {
            awaitRoom();
        }
        outbound.add(json);
        long held = outboundBytes.addAndGet(json.length);
        if (held < HOLD_LIMIT_BYTES && callsWaiting.getAsInt() >= HOLD_WHEN_WAITING) {
            // Whoever finishes one of the waiting calls, or else the flusher, writes it.
            if (flusherIdle.get() && flusherIdle.compareAndSet(true, false)) {
                LockSupport.unpark(flusher);
            }
        } else {
            drain();
        }
    }

    /** A call thread waits while the bound is reached: the manager is not reading what we write. */
    private void awaitRoom() {
        if (outboundBytes.get() <= maxQueuedBytes) {
            return;
        }
        synchronized (room) {
            roomWaiters++;
            try {
                while (outboundBytes.get() > maxQueuedBytes && !closed && !outputBroken) {
                    room.wait();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ConnectionClosedException("interrupted while waiting for the manager to read stdout");
            } finally {
                roomWaiters--;
            }
        }
    }

    private void signalRoom() {
        if (roomWaiters > 0) {
            synchronized (room) {
                room.notifyAll();
            }
        }
    }

    /** Writes held frames that no finishing call wrote within {@link #MAX_HOLD_MICROS}. */
    private void flushLoop() {
        while (!closed && !outputBroken) {
            if (outbound.isEmpty()) {
                flusherIdle.set(true);
                if (outbound.isEmpty()) {
                    LockSupport.park(this);
                }
                flusherIdle.set(false);
                continue;
            }
            LockSupport.parkNanos(this, MAX_HOLD_MICROS * 1_000);
            drain();
        }
    }

    /** Writes what is queued unless another thread is doing so (it then writes ours too). */
    private void drain() {
        while (!outbound.isEmpty() && !outputBroken) {
            if (!writeLock.tryLock()) {
                return;
            }
            try {
                writeQueued();
            } finally {
                writeLock.unlock();
            }
        }
    }

    /** Holds the write lock. */
    private void writeQueued() {
        try {
            byte[] json;
            while ((json = outbound.poll()) != null) {
                outboundBytes.addAndGet(-json.length);
                framing.encode(json, 0, json.length, writeBuffer);
                if (writeBuffer.size() >= WRITE_CHUNK_BYTES) {
                    writeBuffered();
                }
            }
            writeBuffered();
        } catch (IOException e) {
            // The manager closed our stdout: nothing more can be said to it.
            outputBroken = true;
            writeBuffer.reset();
            outbound.clear();
        }
        signalRoom();
    }

    /** Holds the write lock. */
    private void writeBuffered() throws IOException {
        if (writeBuffer.size() > 0) {
            out.write(writeBuffer.array(), 0, writeBuffer.size());
            writeBuffer.reset();
            if (writeBuffer.array().length > 16 * WRITE_CHUNK_BYTES) {
                // A large frame went out: do not keep its room.
                writeBuffer = new ByteSink(WRITE_CHUNK_BYTES + 1024);
            }
        }
    }

    /** Waits until everything sent so far has been written and flushed, up to {@code timeout}. */
    public boolean flush(long timeout, TimeUnit unit) throws InterruptedException {
        if (!writeLock.tryLock(timeout, unit)) {
            return false;
        }
        try {
            if (!outputBroken) {
                writeQueued();
            }
            return true;
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    public void close() {
        Listener current = listener;
        if (!closed && current != null) {
            closed = true;
            LockSupport.unpark(flusher);
            readGate.set(true);
            signalRoom();
            current.onClosed(null);
        }
    }

    @Override
    public String name() {
        return "manager";
    }
}
