package dev.piperpc.pipe.internal;

import dev.piperpc.core.ConnectionClosedException;
import dev.piperpc.core.internal.Outbox;
import dev.piperpc.core.internal.Scheduler;
import dev.piperpc.pipe.WorkerCommand;
import dev.piperpc.pipe.WorkerStartException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.channels.SelectionKey;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A worker process whose stdin, stdout and stderr are non-blocking NIO pipes served by the shared
 * {@link Reactor}. A send on its own is written by the sender itself while the pipe has room (no
 * thread hop); sends that come in a burst are left to the reactor, which writes the whole burst
 * at once; when the pipe is full the reactor finishes the write once it drains. Writes are made
 * under one lock, by whichever thread holds it. Stdout is read by the reactor, or by a thread
 * waiting for the only call pending on this worker, to which the reactor lends the reading
 * ({@link ReadRole}); stderr goes to the worker's {@link StderrTail} ({@link StderrPipe}).
 */
public final class SelectorProcessTransport extends ProcessTransport {

    private static final Logger log = LoggerFactory.getLogger(SelectorProcessTransport.class);
    private static final int WRITE_BUFFER = 64 * 1024;
    private static final int READS_PER_WAKEUP = 16;
    /**
     * Sends closer together than this (or to the reactor's last flush of a burst) are a burst: the
     * sender leaves its frame to the reactor, which writes the whole burst at once; a send on its
     * own is written by the sender (no thread hop), and so is every send while the reading is lent
     * (the calls of a synchronous caller, however quick its round trips).
     */
    private static final long BURST_GAP_NANOS = 10_000;

    private final Reactor reactor;
    private final Pipe.SinkChannel stdin;
    private final Pipe.SourceChannel stdout;
    private final StderrPipe stderrPipe;
    private final Outbox outbox;
    private final AtomicBoolean flushScheduled = new AtomicBoolean();
    private final Runnable scheduledFlush = this::scheduledFlush;
    private volatile long lastSendNanos;
    private volatile boolean inputClosing;
    private volatile boolean inputClosed;
    private final ReadRole role;
    private SelectionKey stdinKey;
    private volatile SelectionKey stdoutKey;

    private SelectorProcessTransport(String name, WorkerCommand command, Process process, Reactor reactor,
                                     Pipe.SinkChannel stdin, Pipe.SourceChannel stdout, Pipe.SourceChannel stderr) {
        super(name, command, process);
        this.reactor = reactor;
        this.stdin = stdin;
        this.stdout = stdout;
        this.stderrPipe = new StderrPipe(reactor, stderr, this.stderr);
        this.role = new ReadRole(name, reactor, stdout, new Stdout());
        this.outbox = new Outbox(command.framing(), command.maxQueuedBytes(), name + " is not reading its stdin fast enough",
                ByteBuffer.allocateDirect(WRITE_BUFFER), new Stdin(), this::stdinBroken);
    }

    /**
     * Starts the worker process with selectable pipes for its standard streams.
     *
     * @throws WorkerStartException if it cannot be started
     */
    public static SelectorProcessTransport spawn(String name, WorkerCommand command, Reactor reactor) {
        SelectablePipes.NumberedPipe input = null;
        SelectablePipes.NumberedPipe output = null;
        SelectablePipes.NumberedPipe errors = null;
        try {
            input = SelectablePipes.open();
            output = SelectablePipes.open();
            errors = SelectablePipes.open();
            input.pipe().sink().configureBlocking(false);
            ProcessBuilder builder = new ProcessBuilder(command.argv())
                    .redirectInput(ProcessBuilder.Redirect.from(input.sourcePath().toFile()))
                    .redirectOutput(ProcessBuilder.Redirect.to(output.sinkPath().toFile()))
                    .redirectError(ProcessBuilder.Redirect.to(errors.sinkPath().toFile()));
            if (command.directory() != null) {
                builder.directory(command.directory().toFile());
            }
            builder.environment().putAll(command.environment());
            Process process;
            try {
                process = builder.start();
            } finally {
                // The child has its own copies now; the parent keeps only its ends, so stdout ends when the child exits.
                closeQuietly(input.pipe().source());
                closeQuietly(output.pipe().sink());
                closeQuietly(errors.pipe().sink());
            }
            return new SelectorProcessTransport(name, command, process, reactor,
                    input.pipe().sink(), output.pipe().source(), errors.pipe().source());
        } catch (IOException | RuntimeException e) {
            for (SelectablePipes.NumberedPipe pipe : new SelectablePipes.NumberedPipe[] {input, output, errors}) {
                if (pipe != null) {
                    pipe.closeQuietly();
                }
            }
            throw new WorkerStartException("cannot start " + name + " (" + command.commandLine() + "): " + describe(e), e);
        }
    }

    private static String describe(Exception e) {
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    private static void closeQuietly(java.io.Closeable closeable) {
        try {
            closeable.close();
        } catch (IOException ignored) {
            // nothing to do on a failure path
        }
    }

    @Override
    public void start(Listener listener) {
        attach(listener);
        reactor.execute(() -> {
            try {
                stdoutKey = reactor.register(stdout, reading ? SelectionKey.OP_READ : 0, handler(this::readStdout));
                stderrPipe.register(handler(stderrPipe::read));
            } catch (IOException e) {
                log.error("{}: cannot watch its output; stopping it", name, e);
                kill();
                return;
            }
            registerStdin();
        });
        watchExit();
    }

    /**
     * Reactor thread: registers stdin for write readiness, unless it was already closed (a close
     * right after the start). A sender that found the pipe full before this asked for write
     * readiness in a task that runs after this one.
     */
    private void registerStdin() {
        try {
            if (!inputClosed) {
                stdinKey = reactor.register(stdin, outbox.isFull() ? SelectionKey.OP_WRITE : 0, handler(this::onWritable));
            }
        } catch (IOException e) {
            log.debug("{}: stdin closed before it was watched: {}", name, e.getMessage());
        }
        outbox.drain();
    }

    /** What the reactor calls for one of this worker's channels: an {@link Error} ends this worker's connection. */
    private Reactor.ReadyHandler handler(Runnable onReady) {
        return new Reactor.ReadyHandler() {
            @Override
            public void onReady(SelectionKey key) {
                onReady.run();
            }

            @Override
            public void failed(Error error) {
                role.run(() -> failWith(error));
            }
        };
    }

    // ---------------------------------------------------------------- reading (reactor thread)

    @Override
    protected void applyReading() {
        // Holding the reading: a lent reading comes back, so that reading resumes or pauses here.
        reactor.execute(() -> role.run(this::syncReadInterest));
    }

    /** Reactor thread: reads stdout exactly while the endpoint wants it and the reading is not lent. */
    private void syncReadInterest() {
        SelectionKey key = stdoutKey;
        if (key != null && key.isValid()) {
            key.interestOps(reading && !role.isLent() ? SelectionKey.OP_READ : 0);
        }
    }

    private void readStdout() {
        assert reactor.inReactorThread();
        if (!role.tryLock()) {
            stdoutKey.interestOps(0); // a waiting caller reads; it hands the reading back when it is done
            return;
        }
        try {
            if (role.isLent()) {
                stdoutKey.interestOps(0);
                return;
            }
            ByteBuffer buffer = reactor.readBuffer();
            for (int i = 0; i < READS_PER_WAKEUP; i++) {
                if (!reading) {
                    // The endpoint has enough waiting: leave the rest in the pipe, so the worker slows down.
                    syncReadInterest();
                    return;
                }
                int read = readAndDeliver(buffer);
                if (read < 0) {
                    endStdout();
                    return;
                } else if (read == 0) {
                    return;
                }
            }
        } catch (IOException e) {
            log.debug("{}: stdout read failed: {}", name, e.getMessage());
            endStdout();
        } finally {
            role.unlock();
        }
    }

    /** Whoever holds the reading: reads stdout once and delivers the frames; what the read returned. */
    private int readAndDeliver(ByteBuffer buffer) throws IOException {
        buffer.clear();
        int read = stdout.read(buffer);
        if (read > 0) {
            heard();
            decoder.decode(buffer.array(), 0, read, frames);
        }
        return read;
    }

    private void endStdout() {
        SelectionKey key = stdout.keyFor(reactor.selector());
        if (key != null) {
            key.cancel();
        }
        closeQuietly(stdout);
        onStdoutEnd();
    }

    // ---------------------------------------------------------------- reading lent to a waiting caller

    @Override
    public boolean readWhileWaiting(WaitingCaller caller) {
        return stdoutKey != null && role.readWhileWaiting(caller);
    }

    @Override
    public void wakeWaitingReader() {
        role.wakeReader();
    }

    /** What the reading role needs of this transport. */
    private final class Stdout implements ReadRole.Stdout {
        @Override
        public int readAndDeliver(ByteBuffer buffer) throws IOException {
            return SelectorProcessTransport.this.readAndDeliver(buffer);
        }

        @Override
        public boolean reading() {
            return reading;
        }

        @Override
        public void readingBack() {
            syncReadInterest();
        }

        @Override
        public void fail(Error error) {
            failWith(error);
        }
    }

    // ---------------------------------------------------------------- writing (any thread)

    @Override
    public void send(byte[] json) {
        enqueue(json, false);
    }

    @Override
    public void sendControl(byte[] json) {
        enqueue(json, true);
    }

    private void enqueue(byte[] json, boolean control) {
        if (inputClosing) {
            throw new ConnectionClosedException("cannot send to " + name + ": its stdin is closed");
        }
        outbox.offer(json, control);
        if (!control) {
            role.sentWhileLent();
        }
        boolean lent = role.isLent();
        if (!lent && flushScheduled.get()) {
            // The reactor's flush, still to come, writes this frame too.
            return;
        }
        long now = System.nanoTime();
        boolean burst = now - lastSendNanos < BURST_GAP_NANOS && !lent;
        lastSendNanos = now;
        if (!burst) {
            outbox.drain();
        } else if (!flushScheduled.getAndSet(true)) {
            reactor.execute(scheduledFlush);
        }
    }

    /** Reactor thread: writes what a burst of sends queued, in as few writes as the pipe allows. */
    private void scheduledFlush() {
        flushScheduled.set(false);
        lastSendNanos = System.nanoTime();
        outbox.drain();
    }

    /** The outbox's sink: stdin, written without blocking. */
    private final class Stdin implements Outbox.Sink {
        @Override
        public boolean write(ByteBuffer chunk) throws IOException {
            stdin.write(chunk);
            return !chunk.hasRemaining();
        }

        @Override
        public void awaitRoom() {
            reactor.execute(() -> {
                if (stdinKey != null && stdinKey.isValid()) {
                    stdinKey.interestOps(SelectionKey.OP_WRITE);
                }
            });
        }
    }

    private void stdinBroken(IOException e) {
        inputClosed = true;
        closeQuietly(stdin);
        onStdinBroken(e.getMessage());
    }

    /** Reactor thread: stdin has room again. */
    private void onWritable() {
        assert reactor.inReactorThread();
        if (stdinKey.isValid()) {
            stdinKey.interestOps(0);
        }
        outbox.resume();
    }

    @Override
    protected void closeInputWhenFlushed() {
        inputClosing = true;
        outbox.closeWhenWritten(this::closeInput);
        reactor.execute(outbox::drain);
    }

    /** Run by the outbox once nothing more is written. */
    private void closeInput() {
        if (!inputClosed) {
            inputClosed = true;
            closeQuietly(stdin);
        }
    }

    @Override
    protected void readLastStderr() {
        stderrPipe.readRest();
    }

    @Override
    protected void releaseChannels() {
        role.close();
        closeQuietly(stdout);
        stderrPipe.close();
        // A send racing the end is dropped; its call ends with the worker's exit reason.
        outbox.discardAndClose(this::closeInput);
        outbox.drain();
    }

    @Override
    protected Outbox outbox() {
        return outbox;
    }

    @Override
    protected void runOnIoThread(Runnable task) {
        reactor.execute(() -> role.run(task));
    }

    @Override
    protected void schedule(long delayNanos, Runnable task) {
        Scheduler.instance().schedule(delayNanos, task);
    }

    /** For messages: the process id. */
    @Override
    public String toString() {
        return name + " (pid " + process.pid() + ")";
    }

}
