package dev.piperpc.worker.internal;

import dev.piperpc.core.ConnectionClosedException;
import dev.piperpc.core.framing.FrameDecoder;
import dev.piperpc.core.framing.FrameHandler;
import dev.piperpc.core.framing.Framing;
import dev.piperpc.core.internal.Outbox;
import dev.piperpc.core.internal.ReadGate;
import dev.piperpc.core.transport.Transport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
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
    private final Outbox outbox;
    private final AtomicBoolean flusherIdle = new AtomicBoolean();
    private volatile Thread flusher;
    private volatile Listener listener;
    private volatile boolean closed;
    private volatile boolean outputBroken;

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
        this.outbox = new Outbox(framing, maxQueuedBytes, "the manager is not reading stdout",
                ByteBuffer.allocate(WRITE_CHUNK_BYTES), Outbox.Sink.of(out), e -> outputBroken());
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
        return outbox.isWritable();
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
            outbox.offer(json, control);
        } else {
            awaitRoom();
            outbox.add(json);
        }
        if (outbox.queuedBytes() < HOLD_LIMIT_BYTES && callsWaiting.getAsInt() >= HOLD_WHEN_WAITING) {
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
        if (outbox.queuedBytes() <= maxQueuedBytes) {
            return;
        }
        synchronized (room) {
            roomWaiters++;
            try {
                while (outbox.queuedBytes() > maxQueuedBytes && !closed && !outputBroken) {
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
            if (outbox.isEmpty()) {
                flusherIdle.set(true);
                if (outbox.isEmpty()) {
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
        outbox.drain();
        signalRoom();
    }

    /** The manager closed our stdout: nothing more can be said to it. */
    private void outputBroken() {
        outputBroken = true;
        signalRoom();
    }

    /** Waits until everything sent so far has been written and flushed, up to {@code timeout}. */
    public boolean flush(long timeout, TimeUnit unit) throws InterruptedException {
        boolean written = outbox.drain(timeout, unit);
        signalRoom();
        return written;
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
