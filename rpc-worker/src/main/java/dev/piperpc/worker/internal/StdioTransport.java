package dev.piperpc.worker.internal;

import dev.piperpc.core.ConnectionClosedException;
import dev.piperpc.core.framing.FrameDecoder;
import dev.piperpc.core.framing.FrameHandler;
import dev.piperpc.core.framing.Framing;
import dev.piperpc.core.framing.FramingException;
import dev.piperpc.core.internal.ByteSink;
import dev.piperpc.core.transport.Transport;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The worker's side of the pipes: a reader thread that frames stdin, and a single writer thread
 * that writes each frame whole to stdout, coalescing frames that are ready together and flushing
 * as soon as nothing more is waiting. The end of stdin is reported to the worker, which finishes
 * its running calls before it closes this transport.
 */
public final class StdioTransport implements Transport {

    private static final byte[] FLUSH_MARK = new byte[0];

    private final InputStream in;
    private final OutputStream out;
    private final Framing framing;
    private final int maxFrameSize;
    private final Runnable onEndOfInput;
    private final LinkedBlockingQueue<byte[]> outbound = new LinkedBlockingQueue<>();
    private final LinkedBlockingQueue<CountDownLatch> flushWaiters = new LinkedBlockingQueue<>();
    private volatile Listener listener;
    private volatile boolean closed;

    /**
     * A transport over {@code in} and {@code out}; {@code onEndOfInput} runs on the reader thread
     * when {@code in} ends.
     */
    public StdioTransport(InputStream in, OutputStream out, Framing framing, int maxFrameSize, Runnable onEndOfInput) {
        this.in = in;
        this.out = new BufferedOutputStream(out, 64 * 1024);
        this.framing = framing;
        this.maxFrameSize = maxFrameSize;
        this.onEndOfInput = onEndOfInput;
    }

    @Override
    public void start(Listener listener) {
        this.listener = Objects.requireNonNull(listener, "listener");
        daemon("piperpc-stdout", this::writeLoop);
        daemon("piperpc-stdin", this::readLoop);
    }

    private static void daemon(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        thread.start();
    }

    private void readLoop() {
        FrameDecoder decoder = framing.newDecoder(maxFrameSize);
        FrameHandler frames = new FrameHandler() {
            @Override
            public void onFrame(byte[] frame) {
                listener.onMessage(frame);
            }

            @Override
            public void onError(FramingException error) {
                listener.onError(error);
            }
        };
        byte[] buffer = new byte[64 * 1024];
        try {
            int read;
            while ((read = in.read(buffer)) >= 0) {
                decoder.decode(buffer, 0, read, frames);
            }
        } catch (IOException e) {
            System.err.println("piperpc worker: reading stdin failed: " + e.getMessage());
        }
        decoder.endOfInput(frames);
        onEndOfInput.run();
    }

    private void writeLoop() {
        try {
            while (true) {
                byte[] frame = outbound.take();
                if (frame != FLUSH_MARK) {
                    out.write(frame);
                }
                if (outbound.isEmpty()) {
                    out.flush();
                    CountDownLatch waiter;
                    while ((waiter = flushWaiters.poll()) != null) {
                        waiter.countDown();
                    }
                }
            }
        } catch (IOException e) {
            // The manager closed our stdout: nothing more can be said to it.
            closed = true;
            outbound.clear();
            flushWaiters.forEach(CountDownLatch::countDown);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void send(byte[] json) {
        if (closed) {
            throw new ConnectionClosedException("stdout is closed");
        }
        ByteSink sink = new ByteSink(json.length + 32);
        framing.encode(json, 0, json.length, sink);
        outbound.add(sink.toByteArray());
    }

    /** Waits until everything sent so far has been written and flushed, up to {@code timeout}. */
    public boolean flush(long timeout, TimeUnit unit) throws InterruptedException {
        if (closed) {
            return true;
        }
        CountDownLatch done = new CountDownLatch(1);
        flushWaiters.add(done);
        outbound.add(FLUSH_MARK);
        return done.await(timeout, unit);
    }

    @Override
    public void close() {
        Listener current = listener;
        if (!closed && current != null) {
            closed = true;
            current.onClosed(null);
        }
    }

    @Override
    public String name() {
        return "manager";
    }
}
