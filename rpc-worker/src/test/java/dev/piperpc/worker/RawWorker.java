package dev.piperpc.worker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.piperpc.core.framing.FrameDecoder;
import dev.piperpc.core.framing.FrameHandler;
import dev.piperpc.core.framing.Framing;
import dev.piperpc.core.framing.FramingException;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** A worker process driven with raw bytes: frames written to its stdin, frames read from its stdout. */
final class RawWorker implements AutoCloseable {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** Frames read and not yet taken; beyond this, reading stdout waits for the test to take some. */
    private static final int FRAMES_BUFFERED = 10_000;

    final Process process;
    private final Framing framing;
    private final OutputStream stdin;
    private final LinkedBlockingQueue<String> frames = new LinkedBlockingQueue<>(FRAMES_BUFFERED);
    private final AtomicLong framesRead = new AtomicLong();
    private final CountDownLatch readingStdout = new CountDownLatch(1);
    private final LinkedBlockingQueue<String> framingErrors = new LinkedBlockingQueue<>();
    private final StringBuffer stderr = new StringBuffer();
    /** Guarded by {@link #stderr}. */
    private boolean stderrEnded;

    /** How a worker is started besides its framing and concurrency. */
    static final class Options {
        private final List<String> jvmFlags = new ArrayList<>(List.of("-XX:TieredStopAtLevel=1"));
        private final List<String> settings = new ArrayList<>();
        private boolean stdoutHeld;

        /** Adds a flag to the worker's {@code java} command, e.g. {@code -Xmx48m}. */
        Options jvm(String flag) {
            jvmFlags.add(flag);
            return this;
        }

        /** A {@link Worker.Builder} setting that {@link ServiceUnderTest#main} knows, e.g. {@code maxFrameSize}. */
        Options set(String setting, Object value) {
            settings.add(setting + "=" + value);
            return this;
        }

        /** Reads nothing from the worker's stdout until {@link #readStdout()}. */
        Options holdStdout() {
            stdoutHeld = true;
            return this;
        }
    }

    static Options options() {
        return new Options();
    }

    RawWorker(Framing framing, int concurrency) {
        this(framing, concurrency, options());
    }

    RawWorker(Framing framing, int concurrency, Options options) {
        this.framing = framing;
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(options.jvmFlags);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), ServiceUnderTest.class.getName(),
                framing.cliName(), Integer.toString(concurrency)));
        command.addAll(options.settings);
        try {
            process = new ProcessBuilder(command).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        stdin = process.getOutputStream();
        if (!options.stdoutHeld) {
            readStdout();
        }
        daemon(() -> readFrames(process.getInputStream()));
        daemon(() -> readStderr(process.getErrorStream()));
    }

    private static void daemon(Runnable body) {
        Thread thread = new Thread(body);
        thread.setDaemon(true);
        thread.start();
    }

    private void readFrames(InputStream in) {
        try {
            readingStdout.await();
        } catch (InterruptedException e) {
            return;
        }
        FrameDecoder decoder = framing.newDecoder(Framing.DEFAULT_MAX_FRAME_SIZE);
        FrameHandler handler = new FrameHandler() {
            @Override
            public void onFrame(byte[] frame) {
                try {
                    frames.put(new String(frame, StandardCharsets.UTF_8));
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                framesRead.incrementAndGet();
            }

            @Override
            public void onError(FramingException error) {
                framingErrors.add(error.getMessage());
            }
        };
        byte[] buffer = new byte[8192];
        try {
            int read;
            while ((read = in.read(buffer)) >= 0) {
                decoder.decode(buffer, 0, read, handler);
            }
        } catch (IOException ignored) {
            // the process ended
        }
        decoder.endOfInput(handler);
    }

    private void readStderr(InputStream in) {
        byte[] buffer = new byte[8192];
        try {
            int read;
            while ((read = in.read(buffer)) >= 0) {
                synchronized (stderr) {
                    stderr.append(new String(buffer, 0, read, StandardCharsets.UTF_8));
                    stderr.notifyAll();
                }
            }
        } catch (IOException ignored) {
            // the process ended
        }
        synchronized (stderr) {
            stderrEnded = true;
            stderr.notifyAll();
        }
    }

    /** Starts reading the worker's stdout, for a worker started with {@link Options#holdStdout()}. */
    void readStdout() {
        readingStdout.countDown();
    }

    /** Frames read from stdout so far, taken or not. */
    long framesRead() {
        return framesRead.get();
    }

    /** Writes one JSON text as a frame. */
    void send(String json) {
        try {
            stdin.write(framing.encode(json.getBytes(StandardCharsets.UTF_8)));
            stdin.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes raw bytes, unframed. */
    void sendRaw(String bytes) {
        try {
            stdin.write(bytes.getBytes(StandardCharsets.UTF_8));
            stdin.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The next frame from stdout as a tree, waiting up to 20 s. */
    JsonNode next() {
        return tree(nextText());
    }

    /** A frame as a tree. */
    JsonNode tree(String frame) {
        try {
            return MAPPER.readTree(frame);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** The next frame from stdout as it was written, waiting up to 20 s. */
    String nextText() {
        try {
            String frame = frames.poll(20, TimeUnit.SECONDS);
            if (frame == null) {
                throw new AssertionError("no frame within 20 s; stderr: " + stderr);
            }
            return frame;
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    /** The first line of stderr that contains {@code text}, waiting up to 20 s for it. */
    String awaitStderrLine(String text) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        synchronized (stderr) {
            while (true) {
                String line = stderr.toString().lines().filter(each -> each.contains(text)).findFirst().orElse(null);
                if (line != null) {
                    return line;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0 || stderrEnded) {
                    throw new AssertionError("no '" + text + "' on stderr" + (stderrEnded ? " before it ended" : " within 20 s") + "; stderr: " + stderr);
                }
                TimeUnit.NANOSECONDS.timedWait(stderr, left);
            }
        }
    }

    /** Every frame still unread, waiting briefly for more. */
    List<String> framesLeft() throws InterruptedException {
        Thread.sleep(200);
        return List.copyOf(frames);
    }

    List<String> framingErrors() {
        return List.copyOf(framingErrors);
    }

    String stderr() {
        return stderr.toString();
    }

    void closeStdin() {
        try {
            stdin.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int awaitExit() throws InterruptedException {
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError("worker did not exit; stderr: " + stderr);
        }
        return process.exitValue();
    }

    @Override
    public void close() {
        process.destroyForcibly();
        readStdout();
    }
}
