package dev.piperpc.pipe.internal;

import dev.piperpc.core.ConnectionClosedException;
import dev.piperpc.core.internal.DefaultExecutor;
import dev.piperpc.core.internal.Outbox;
import dev.piperpc.core.internal.ReadGate;
import dev.piperpc.core.internal.Scheduler;
import dev.piperpc.pipe.WorkerCommand;
import dev.piperpc.pipe.WorkerStartException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A worker process served by threads of its own: a stdout reader, a stderr reader and a stdin
 * writer, over the blocking streams of {@link Process}. For platforms without {@code /proc}; the
 * behaviour is the same as {@link SelectorProcessTransport}'s, at the cost of three threads a worker.
 */
public final class ThreadedProcessTransport extends ProcessTransport {

    private static final Logger log = LoggerFactory.getLogger(ThreadedProcessTransport.class);
    /** How long the end of a connection waits for the last of stderr. */
    private static final long LAST_STDERR_WAIT_MILLIS = 200;

    private final Outbox outbox;
    private volatile Thread writer;
    private volatile boolean writerDone;
    private final Object ioLock = new Object();
    private final CountDownLatch stderrEnded = new CountDownLatch(1);
    private final ReadGate readGate = new ReadGate();
    private volatile boolean inputClosing;

    private ThreadedProcessTransport(String name, WorkerCommand command, Process process) {
        super(name, command, process);
        this.outbox = new Outbox(command.framing(), command.maxQueuedBytes(), name + " is not reading its stdin fast enough",
                ByteBuffer.allocate(64 * 1024), Outbox.Sink.of(process.getOutputStream()), this::stdinBroken);
    }

    /**
     * Starts the worker process with ordinary pipes.
     *
     * @throws WorkerStartException if it cannot be started
     */
    public static ThreadedProcessTransport spawn(String name, WorkerCommand command) {
        ProcessBuilder builder = new ProcessBuilder(command.argv());
        if (command.directory() != null) {
            builder.directory(command.directory().toFile());
        }
        builder.environment().putAll(command.environment());
        try {
            return new ThreadedProcessTransport(name, command, builder.start());
        } catch (IOException | RuntimeException e) {
            throw new WorkerStartException("cannot start " + name + " (" + command.commandLine() + "): " + e.getMessage(), e);
        }
    }

    @Override
    public void start(Listener listener) {
        attach(listener);
        thread(name + "-stdout", this::readStdout);
        thread(name + "-stderr", this::readStderr);
        writer = thread(name + "-stdin", this::writeStdin);
        watchExit();
    }

    private static Thread thread(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private void readStdout() {
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = process.getInputStream()) {
            int read;
            while (readGate.awaitOpen() && (read = in.read(buffer)) >= 0) {
                if (read > 0) {
                    heard();
                    synchronized (ioLock) {
                        decoder.decode(buffer, 0, read, frames);
                    }
                }
            }
        } catch (IOException e) {
            log.debug("{}: stdout read failed: {}", name, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Error e) {
            log.error("{}: reading stdout hit an error; ending the connection", name, e);
            synchronized (ioLock) {
                failWith(e);
            }
        }
        synchronized (ioLock) {
            onStdoutEnd();
        }
    }

    @Override
    protected void applyReading() {
        readGate.set(reading);
    }

    private void readStderr() {
        byte[] buffer = new byte[8192];
        try (InputStream in = process.getErrorStream()) {
            int read;
            while ((read = in.read(buffer)) >= 0) {
                stderr.feed(buffer, 0, read);
                stderr.awaitRoom();
            }
        } catch (IOException e) {
            log.debug("{}: stderr read failed: {}", name, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        stderr.end();
        stderrEnded.countDown();
    }

    @Override
    protected void readLastStderr() {
        try {
            // The process is gone, so its stderr ends at once unless a child of its own holds it.
            stderrEnded.await(LAST_STDERR_WAIT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The stdin writer thread: the only one that writes, so no sender ever blocks on the worker. */
    private void writeStdin() {
        while (!writerDone) {
            outbox.drain();
            if (!writerDone && outbox.isEmpty()) {
                LockSupport.park(this);
            }
        }
    }

    private void stdinBroken(IOException e) {
        inputClosing = true;
        closeStdin();
        onStdinBroken(e.getMessage());
    }

    /** Run by the outbox once nothing more is written. */
    private void closeStdin() {
        writerDone = true;
        try {
            process.getOutputStream().close();
        } catch (IOException ignored) {
            // the worker is gone
        }
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
        if (inputClosing) {
            throw new ConnectionClosedException("cannot send to " + name + ": its stdin is closed");
        }
        outbox.offer(json, control);
        LockSupport.unpark(writer);
    }

    @Override
    protected void closeInputWhenFlushed() {
        inputClosing = true;
        outbox.closeWhenWritten(this::closeStdin);
        LockSupport.unpark(writer);
    }

    @Override
    protected void releaseChannels() {
        inputClosing = true;
        outbox.discardAndClose(this::closeStdin);
        LockSupport.unpark(writer);
    }

    @Override
    protected Outbox outbox() {
        return outbox;
    }

    @Override
    protected void runOnIoThread(Runnable task) {
        synchronized (ioLock) {
            task.run();
        }
    }

    @Override
    protected void schedule(long delayNanos, Runnable task) {
        // The task may wait for this worker's I/O lock: not on the timer thread.
        Scheduler.instance().schedule(delayNanos, () -> DefaultExecutor.instance().execute(task));
    }
}
