package dev.piperpc.pipe;

import dev.piperpc.core.Endpoint;
import dev.piperpc.core.framing.FrameDecoder;
import dev.piperpc.core.framing.FrameHandler;
import dev.piperpc.core.internal.ReadGate;
import dev.piperpc.core.framing.Framing;
import dev.piperpc.core.transport.Transport;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * A Java worker process for the pipe tests: serves {@link Methods} on stdin/stdout with the
 * framing named by its first argument.
 */
public final class TestWorker {

    private TestWorker() {
    }

    /** The methods the tests call. */
    public static final class Methods {
        private final OutputStream rawOut;

        Methods(OutputStream rawOut) {
            this.rawOut = rawOut;
        }

        public List<Object> echo(Object number, Object text) {
            return java.util.Arrays.asList(number, text);
        }

        public long sleep(long millis) throws InterruptedException {
            Thread.sleep(millis);
            return millis;
        }

        public String huge(int bytes) {
            return "x".repeat(bytes);
        }

        public String garbage() throws IOException {
            synchronized (rawOut) {
                rawOut.write("this line is not JSON\n".getBytes());
                rawOut.write("{\"jsonrpc\":\"2.0\",\"id\":987654,\"result\":\"nobody asked\"}\n".getBytes());
                rawOut.flush();
            }
            return "after garbage";
        }

        public void exit(int code) {
            System.err.println("test worker exiting with " + code);
            System.exit(code);
        }

        public long pid() {
            return ProcessHandle.current().pid();
        }
    }

    public static void main(String[] args) throws InterruptedException {
        Framing framing = Framing.parse(args.length > 0 ? args[0] : "newline");
        OutputStream rawOut = new FileOutputStream(FileDescriptor.out);
        System.setOut(new PrintStream(new FileOutputStream(FileDescriptor.err), true));
        StdioTransport transport = new StdioTransport(System.in, rawOut, framing);
        Endpoint.builder().service(new Methods(rawOut)).connect(transport);
        transport.ended.await();
        System.exit(0);
    }

    /** Blocking stdin/stdout transport. */
    static final class StdioTransport implements Transport {
        private final InputStream in;
        private final OutputStream out;
        private final Framing framing;
        final CountDownLatch ended = new CountDownLatch(1);
        private final ReadGate readGate = new ReadGate();

        StdioTransport(InputStream in, OutputStream out, Framing framing) {
            this.in = in;
            this.out = out;
            this.framing = framing;
        }

        @Override
        public void start(Listener listener) {
            Thread reader = new Thread(() -> {
                FrameDecoder decoder = framing.newDecoder(Framing.DEFAULT_MAX_FRAME_SIZE);
                FrameHandler handler = listener.frameHandler();
                byte[] buffer = new byte[65536];
                try {
                    int read;
                    while (readGate.awaitOpen() && (read = in.read(buffer)) >= 0) {
                        decoder.decode(buffer, 0, read, handler);
                    }
                } catch (IOException | InterruptedException e) {
                    System.err.println("stdin failed: " + e);
                }
                decoder.endOfInput(handler);
                try {
                    Thread.sleep(200);
                } catch (InterruptedException ignored) {
                    Thread.currentThread().interrupt();
                }
                listener.onClosed(null);
                ended.countDown();
            }, "stdin-reader");
            reader.start();
        }

        @Override
        public void setReading(boolean reading) {
            readGate.set(reading);
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
            byte[] frame = framing.encode(json);
            synchronized (out) {
                try {
                    out.write(frame);
                    out.flush();
                } catch (IOException e) {
                    System.err.println("stdout failed: " + e);
                }
            }
        }

        @Override
        public void close() {
        }

        @Override
        public String name() {
            return "stdio";
        }
    }
}
