package dev.piperpc.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The baselines without JSON-RPC: a worker that echoes every line unchanged, and a manager that
 * writes request lines and only counts the lines that come back, with the same bound on lines
 * outstanding. {@link #pipe()} ({@code raw-pipe}) is the pipe's own ceiling: {@code cat}, and
 * lines written in batches. {@link #jvm()} ({@code raw-jvm}) is the ceiling of a per-message JVM
 * peer: {@link RawJvmEchoWorker}, and each request written with a flush of its own.
 */
final class RawPeer extends ChildProcessPeer {

    private final byte[] echoBuffer = new byte[4096];
    private final List<String> workerCommand;
    private final boolean flushEach;

    private RawPeer(List<String> workerCommand, boolean flushEach) {
        this.workerCommand = workerCommand;
        this.flushEach = flushEach;
    }

    /** {@code raw-pipe}: {@code cat}, lines written in batches. */
    static RawPeer pipe() {
        return new RawPeer(List.of("cat"), false);
    }

    /** {@code raw-jvm}: a JVM echoing with {@code readLine}, each request flushed alone. */
    static RawPeer jvm(WorkerJvm jvm) {
        return new RawPeer(jvm.command(RawJvmEchoWorker.class.getName()), true);
    }

    @Override
    public void start(int workers) throws IOException {
        for (int i = 0; i < workers; i++) {
            processes.add(new ProcessBuilder(workerCommand).redirectError(ProcessBuilder.Redirect.INHERIT).start());
        }
    }

    @Override
    public double throughput(int calls, int window) throws Exception {
        Semaphore outstanding = new Semaphore(window);
        AtomicLong received = new AtomicLong();
        List<Thread> readers = new ArrayList<>();
        int workers = processes.size();
        for (int w = 0; w < workers; w++) {
            long expected = calls / workers + (w < calls % workers ? 1 : 0);
            InputStream in = processes.get(w).getInputStream();
            Thread reader = new Thread(() -> countLines(in, expected, outstanding, received));
            reader.start();
            readers.add(reader);
        }
        byte[][] lines = new byte[calls][];
        for (int i = 0; i < calls; i++) {
            lines[i] = Payload.rawLine(i).getBytes(StandardCharsets.US_ASCII);
        }
        List<OutputStream> outs = new ArrayList<>();
        for (Process process : processes) {
            outs.add(process.getOutputStream());
        }
        long start = System.nanoTime();
        for (int i = 0; i < calls; i++) {
            if (!outstanding.tryAcquire()) {
                for (OutputStream out : outs) {
                    out.flush();
                }
                outstanding.acquire();
            }
            OutputStream out = outs.get(i % workers);
            out.write(lines[i]);
            if (flushEach) {
                out.flush();
            }
        }
        for (OutputStream out : outs) {
            out.flush();
        }
        for (Thread reader : readers) {
            reader.join();
        }
        if (received.get() != calls) {
            throw new IllegalStateException("received " + received.get() + " of " + calls + " lines");
        }
        return calls / ((System.nanoTime() - start) / 1e9);
    }

    private static void countLines(InputStream in, long expected, Semaphore outstanding, AtomicLong received) {
        byte[] buffer = new byte[64 * 1024];
        long lines = 0;
        try {
            while (lines < expected) {
                int read = in.read(buffer);
                if (read < 0) {
                    break;
                }
                int found = 0;
                for (int i = 0; i < read; i++) {
                    if (buffer[i] == '\n') {
                        found++;
                    }
                }
                lines += found;
                outstanding.release(found);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        received.addAndGet(lines);
    }

    @Override
    public double headOfLine(long sleepMillis, int echoes) {
        return Double.NaN;
    }

    @Override
    public void echoOnce(int i) throws IOException {
        echo(processes.get(0), i);
    }

    @Override
    public void echoEach() throws IOException {
        for (Process process : processes) {
            echo(process, 0);
        }
    }

    private void echo(Process process, int i) throws IOException {
        byte[] line = Payload.rawLine(i).getBytes(StandardCharsets.US_ASCII);
        process.getOutputStream().write(line);
        process.getOutputStream().flush();
        int received = 0;
        while (received < line.length) {
            int read = process.getInputStream().read(echoBuffer);
            if (read < 0) {
                throw new IOException("the echoing worker ended");
            }
            received += read;
        }
    }
}
