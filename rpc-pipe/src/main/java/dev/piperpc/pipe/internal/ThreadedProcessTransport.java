package dev.piperpc.pipe.internal;

import dev.piperpc.core.ConnectionClosedException;
import dev.piperpc.core.internal.DefaultExecutor;
import dev.piperpc.core.internal.ReadGate;
import dev.piperpc.core.internal.Scheduler;
import dev.piperpc.pipe.WorkerCommand;
import dev.piperpc.pipe.WorkerStartException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A worker process served by threads of its own: a stdout reader, a stderr reader and a stdin
 * writer, over the blocking streams of {@link Process}. For platforms without {@code /proc}; the
 * behaviour is the same as {@link SelectorProcessTransport}'s, at the cost of three threads a worker.
 */
public final class ThreadedProcessTransport extends ProcessTransport {

    private static final Logger log = LoggerFactory.getLogger(ThreadedProcessTransport.class);
    private static final byte[] END_OF_INPUT = new byte[0];
    /** How long the end of a connection waits for the last of stderr. */
    private static final long LAST_STDERR_WAIT_MILLIS = 200;

    private final LinkedBlockingQueue<byte[]> outbound = new LinkedBlockingQueue<>();
    private final Object ioLock = new Object();
    private final CountDownLatch stderrEnded = new CountDownLatch(1);
    private final ReadGate readGate = new ReadGate();
    private volatile boolean inputClosing;

    private ThreadedProcessTransport(String name, WorkerCommand command, Process process) {
        super(name, command, process);
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
        thread(name + "-stdin", this::writeStdin);
        watchExit();
    }

    private static void thread(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        thread.start();
    }

    private void readStdout() {
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = process.getInputStream()) {
            int read;
            while (readGate.awaitOpen() && (read = in.read(buffer)) >= 0) {
                if (read > 0) {
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

    private void writeStdin() {
        OutputStream out = process.getOutputStream();
        try {
            while (true) {
                byte[] frame = outbound.take();
                if (frame == END_OF_INPUT) {
                    break;
                }
                dequeued(frame.length);
                out.write(frame);
                if (outbound.isEmpty()) {
                    out.flush();
                }
            }
        } catch (IOException e) {
            outbound.clear();
            clearQueued();
            inputClosing = true;
            onStdinBroken(e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        outbound.clear();
        try {
            out.close();
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
        outbound.add(frameForQueue(json, control));
    }

    @Override
    protected void closeInputWhenFlushed() {
        inputClosing = true;
        outbound.add(END_OF_INPUT);
    }

    @Override
    protected void releaseChannels() {
        inputClosing = true;
        outbound.add(END_OF_INPUT);
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
