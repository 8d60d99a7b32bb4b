package dev.piperpc.worker.internal;

import dev.piperpc.core.ConnectionClosedException;
import dev.piperpc.core.framing.FrameDecoder;
import dev.piperpc.core.framing.FrameHandler;
import dev.piperpc.core.framing.Framing;
import dev.piperpc.core.internal.Outbox;
import dev.piperpc.core.internal.ReadGate;
import dev.piperpc.core.transport.Transport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 * The worker's side of the pipes: stdin read and framed by whichever thread of a
 * {@link LeaderFollowerPool} holds its reading role, and writes made by the thread that produced
 * each response, one at a time under a lock, each frame whole. A thread that finds the lock taken
 * leaves its frame queued; the holder writes everything queued before it flushes and lets go, so
 * frames ready together go out in one write and none waits for a thread hop.
 *
 * <p>Reading: {@link #readOnce()} is the pool's read step. It waits while reading is paused,
 * reads once into the buffer and hands every whole frame of that read to the endpoint before it
 * returns; a frame's bytes not yet complete stay in the frame decoder. The buffer and the decoder
 * belong to the reading role, not to a thread: the pool hands the role from one thread to the
 * next under its lock, so each read step sees everything the one before it did.
 *
 * <p>While several requests are waiting to start, a response is held back for the ones that
 * follow it, so a burst of fast calls is answered in a few writes rather than one per call;
 * a held frame is written at the latest {@value #MAX_HOLD_MICROS} µs later (by a flusher thread
 * if no call finishes first), so a slow call behind a fast one never delays its answer. The end
 * of stdin is reported to the worker, which finishes its running calls before it closes this
 * transport.
 *
 * <p>Bounds: while {@code maxQueuedBytes} wait to be written (the manager is not reading), a call
 * thread that sends waits for room, so a worker that is too much slows itself down; the thread in
 * a read step never waits: what it sends (answers to junk and to unknown methods, cancellations
 * answered) passes the bound up to twice it and is refused beyond. Reading stdin pauses when the
 * endpoint asks.
 */
public final class StdioTransport implements Transport {

    private static final Logger log = LoggerFactory.getLogger(StdioTransport.class);

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
    private final LeaderFollowerPool threads;
    private final ReadGate readGate = new ReadGate();
    private final Object room = new Object();
    private volatile int roomWaiters;
    /** The thread in a read step, or {@code null}: what it sends must not wait. */
    private volatile Thread reader;
    /** The reading role's: the read buffer and the frame decoder, used by one read step at a time. */
    private final byte[] readBuffer = new byte[64 * 1024];
    private FrameDecoder decoder;
    private FrameHandler frames;
    private final Outbox outbox;
    private final AtomicBoolean flusherIdle = new AtomicBoolean();
    private volatile Thread flusher;
    private volatile Listener listener;
    private volatile boolean closed;
    private volatile boolean outputBroken;

    /**
     * A transport over {@code in} and {@code out}, read by {@code threads}; {@code onEndOfInput}
     * runs in the read step that finds {@code in} ended; {@code callsWaiting} tells how many
     * requests are waiting to start (their answers will follow soon, so a response may wait for
     * them); {@code onReaderError} runs if a read step hits an {@link Error}, after which nothing
     * more is read.
     */
    public StdioTransport(InputStream in, OutputStream out, Framing framing, int maxFrameSize, long maxQueuedBytes,
                          LeaderFollowerPool threads, Runnable onEndOfInput, IntSupplier callsWaiting,
                          java.util.function.Consumer<Error> onReaderError) {
        this.in = in;
        this.threads = threads;
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
        decoder = framing.newDecoder(maxFrameSize);
        frames = listener.frameHandler();
        Thread flushing = new Thread(this::flushLoop, "piperpc-flush");
        flushing.setDaemon(true);
        flusher = flushing;
        flushing.start();
        threads.startReading(this::readOnce);
    }

    /**
     * The read step: waits while reading is paused, reads stdin once and frames all of it. At the
     * end of stdin, or when it cannot be read, delivers what is left and reports the end.
     *
     * @return {@code false} once stdin has ended
     */
    private boolean readOnce() {
        reader = Thread.currentThread();
        try {
            if (readAndFrame()) {
                return true;
            }
            decoder.endOfInput(frames);
        } catch (Error e) {
            // Nothing more can be read: the worker fails what it can and ends.
            onReaderError.accept(e);
            return false;
        } finally {
            reader = null;
        }
        onEndOfInput.run();
        return false;
    }

    /** @return {@code false} at the end of stdin, or when it cannot be read */
    private boolean readAndFrame() {
        awaitReading();
        int read;
        try {
            read = in.read(readBuffer);
        } catch (IOException e) {
            log.error("reading stdin failed: {}", e.toString());
            return false;
        }
        if (read < 0) {
            return false;
        }
        decoder.decode(readBuffer, 0, read, frames);
        return true;
    }

    /**
     * Waits while reading is paused. An interrupt does not stop reading: the thread may have
     * run a task before, and a cancellation's interrupt that came too late is not for the reader.
     */
    private void awaitReading() {
        while (true) {
            try {
                readGate.awaitOpen();
                return;
            } catch (InterruptedException lateInterrupt) {
                // wait on
            }
        }
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
