package dev.piperpc.pipe.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.channels.SelectionKey;

/**
 * A worker's stderr as a non-blocking pipe served by the reactor: what it reads goes to the
 * worker's {@link StderrTail}; while too many lines wait there to be logged, it stops reading (the
 * worker then blocks on its own stderr) until half of them are.
 */
final class StderrPipe {

    private static final int READS_PER_WAKEUP = 16;

    private final Reactor reactor;
    private final Pipe.SourceChannel channel;
    private final StderrTail tail;
    private SelectionKey key;

    StderrPipe(Reactor reactor, Pipe.SourceChannel channel, StderrTail tail) {
        this.reactor = reactor;
        this.channel = channel;
        this.tail = tail;
    }

    /** Reactor thread: starts reading, with {@code handler} for the key (it calls {@link #read}). */
    void register(Reactor.ReadyHandler handler) throws IOException {
        tail.onRoom(() -> reactor.execute(this::resume));
        key = reactor.register(channel, SelectionKey.OP_READ, handler);
    }

    /** Reactor thread: reads what is there, while the tail has room. */
    void read() {
        assert reactor.inReactorThread();
        ByteBuffer buffer = reactor.readBuffer();
        try {
            for (int i = 0; i < READS_PER_WAKEUP; i++) {
                if (!tail.hasRoom()) {
                    key.interestOps(0);
                    return;
                }
                buffer.clear();
                int read = channel.read(buffer);
                if (read > 0) {
                    tail.feed(buffer.array(), 0, read);
                } else {
                    if (read < 0) {
                        end();
                    }
                    return;
                }
            }
        } catch (IOException e) {
            end();
        }
    }

    /** Reactor thread: the lines waiting to be logged fell below half the bound. */
    private void resume() {
        if (key != null && key.isValid() && tail.hasRoom()) {
            key.interestOps(SelectionKey.OP_READ);
        }
    }

    private void end() {
        SelectionKey registered = channel.keyFor(reactor.selector());
        if (registered != null) {
            registered.cancel();
        }
        closeQuietly();
        tail.end();
    }

    /** Reactor thread: takes in what is left, if the pipe is still open. */
    void readRest() {
        if (channel.isOpen()) {
            read();
        }
    }

    /** Reactor thread: takes in what is left and closes the pipe. */
    void close() {
        if (channel.isOpen()) {
            read();
            closeQuietly();
        }
    }

    void closeQuietly() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing to do on a failure path
        }
    }
}
