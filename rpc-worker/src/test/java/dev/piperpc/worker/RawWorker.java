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
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A worker process driven with raw bytes: frames written to its stdin, frames read from its stdout. */
final class RawWorker implements AutoCloseable {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    final Process process;
    private final Framing framing;
    private final OutputStream stdin;
    private final LinkedBlockingQueue<String> frames = new LinkedBlockingQueue<>();
    private final LinkedBlockingQueue<String> framingErrors = new LinkedBlockingQueue<>();
    private final StringBuffer stderr = new StringBuffer();

    RawWorker(Framing framing, int concurrency) {
        this.framing = framing;
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        try {
            process = new ProcessBuilder(java, "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                    ServiceUnderTest.class.getName(), framing.cliName(), Integer.toString(concurrency)).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        stdin = process.getOutputStream();
        daemon(() -> readFrames(process.getInputStream()));
        daemon(() -> readStderr(process.getErrorStream()));
    }

    private static void daemon(Runnable body) {
        Thread thread = new Thread(body);
        thread.setDaemon(true);
        thread.start();
    }

    private void readFrames(InputStream in) {
        FrameDecoder decoder = framing.newDecoder(Framing.DEFAULT_MAX_FRAME_SIZE);
        FrameHandler handler = new FrameHandler() {
            @Override
            public void onFrame(byte[] frame) {
                frames.add(new String(frame, StandardCharsets.UTF_8));
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
                stderr.append(new String(buffer, 0, read, StandardCharsets.UTF_8));
            }
        } catch (IOException ignored) {
            // the process ended
        }
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
        try {
            String frame = frames.poll(20, TimeUnit.SECONDS);
            if (frame == null) {
                throw new AssertionError("no frame within 20 s; stderr: " + stderr);
            }
            return MAPPER.readTree(frame);
        } catch (InterruptedException | IOException e) {
            throw new AssertionError(e);
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
    }
}
