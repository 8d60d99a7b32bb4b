package dev.piperpc.core.transport;

import dev.piperpc.core.ConnectionClosedException;
import dev.piperpc.core.internal.ReadGate;

import java.util.Objects;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One end of an in-memory connection, for tests and for running both sides in one JVM. Each end
 * delivers what it receives on a thread of its own, as a real transport's I/O thread would. Its
 * outbound queue has no bound (it is always writable); pausing reading holds delivery back.
 */
public final class InMemoryTransport implements Transport {

    private static final byte[] CLOSE_MARK = new byte[0];

    private final String name;
    private final LinkedBlockingQueue<byte[]> inbox = new LinkedBlockingQueue<>();
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private InMemoryTransport peer;
    private volatile Thread deliveryThread;
    private final ReadGate readGate = new ReadGate();

    private InMemoryTransport(String name) {
        this.name = name;
    }

    /** Two connected ends. */
    public static Pair pair() {
        InMemoryTransport left = new InMemoryTransport("in-memory-left");
        InMemoryTransport right = new InMemoryTransport("in-memory-right");
        left.peer = right;
        right.peer = left;
        return new Pair(left, right);
    }

    /**
     * Two connected ends.
     *
     * @param left  one end
     * @param right the other end
     */
    public record Pair(InMemoryTransport left, InMemoryTransport right) {
    }

    @Override
    public void start(Listener listener) {
        Objects.requireNonNull(listener, "listener");
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException(name + " already started");
        }
        Thread thread = new Thread(() -> deliver(listener), name + "-delivery");
        thread.setDaemon(true);
        deliveryThread = thread;
        thread.start();
    }

    private void deliver(Listener listener) {
        try {
            while (true) {
                byte[] message = inbox.take();
                if (message == CLOSE_MARK) {
                    break;
                }
                readGate.awaitOpen();
                listener.onMessage(message);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        listener.onClosed(null);
    }

    @Override
    public void setReading(boolean reading) {
        readGate.set(reading || closed.get());
    }

    @Override
    public boolean isWritable() {
        return true;
    }

    @Override
    public void sendControl(byte[] json) {
        send(json);
    }

    @Override
    public void send(byte[] json) {
        if (closed.get() || peer.closed.get()) {
            throw new ConnectionClosedException(name + " is closed");
        }
        peer.inbox.add(json);
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            inbox.add(CLOSE_MARK);
            readGate.set(true);
            peer.close();
        }
    }

    @Override
    public String name() {
        return name;
    }
}
