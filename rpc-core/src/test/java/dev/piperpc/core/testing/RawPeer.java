package dev.piperpc.core.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.piperpc.core.transport.InMemoryTransport;
import dev.piperpc.core.transport.Transport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** The far end of an in-memory transport, driven with raw JSON text: sends bytes, collects what arrives. */
public final class RawPeer implements AutoCloseable {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final InMemoryTransport transport;
    private final LinkedBlockingQueue<String> received = new LinkedBlockingQueue<>();
    private volatile boolean closed;

    /** Starts collecting on {@code transport}. */
    public RawPeer(InMemoryTransport transport) {
        this.transport = transport;
        transport.start(new Transport.Listener() {
            @Override
            public void onMessage(byte[] json) {
                received.add(new String(json, StandardCharsets.UTF_8));
            }

            @Override
            public void onError(Exception error) {
                throw new AssertionError(error);
            }

            @Override
            public void onClosed(Throwable cause) {
                closed = true;
            }
        });
    }

    /** Sends one JSON text as is. */
    public void send(String json) {
        transport.send(json.getBytes(StandardCharsets.UTF_8));
    }

    /** The next text received, waiting up to 10 s; fails the test if none comes. */
    public String next() {
        try {
            String text = received.poll(10, TimeUnit.SECONDS);
            if (text == null) {
                throw new AssertionError("nothing received within 10 s");
            }
            return text;
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    /** The next text received, as a tree. */
    public JsonNode nextTree() {
        return tree(next());
    }

    /** Whether anything was received and not yet taken. */
    public boolean hasMore() {
        return !received.isEmpty();
    }

    /** Whether the transport reported its close. */
    public boolean isClosed() {
        return closed;
    }

    /** Parses {@code json} into a tree. */
    public static JsonNode tree(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        transport.close();
    }
}
