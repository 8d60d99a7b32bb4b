package dev.piperpc.pipe.internal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.channels.SelectionKey;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/** The shared reactor survives what its handlers throw, and ends only the connection that threw. */
@Timeout(30)
class ReactorTest {

    @Test
    void anErrorInOneHandlerEndsThatChannelOnlyAndTheReactorGoesOn() throws Exception {
        Reactor reactor = Reactor.shared();
        Pipe bad = Pipe.open();
        Pipe good = Pipe.open();
        OutOfMemoryError thrown = new OutOfMemoryError("thrown by a handler");
        CompletableFuture<Error> failed = new CompletableFuture<>();
        CompletableFuture<String> read = new CompletableFuture<>();
        CompletableFuture<Void> registered = new CompletableFuture<>();
        reactor.execute(() -> {
            try {
                reactor.register(bad.source(), SelectionKey.OP_READ, new Reactor.ReadyHandler() {
                    @Override
                    public void onReady(SelectionKey key) {
                        key.cancel();
                        throw thrown;
                    }

                    @Override
                    public void failed(Error error) {
                        failed.complete(error);
                    }
                });
                reactor.register(good.source(), SelectionKey.OP_READ, new Reactor.ReadyHandler() {
                    @Override
                    public void onReady(SelectionKey key) {
                        ByteBuffer buffer = ByteBuffer.allocate(16);
                        try {
                            int n = good.source().read(buffer);
                            read.complete(new String(buffer.array(), 0, n, java.nio.charset.StandardCharsets.US_ASCII));
                        } catch (IOException e) {
                            read.completeExceptionally(e);
                        }
                        key.cancel();
                    }

                    @Override
                    public void failed(Error error) {
                        read.completeExceptionally(error);
                    }
                });
                registered.complete(null);
            } catch (IOException e) {
                registered.completeExceptionally(e);
            }
        });
        registered.get(10, TimeUnit.SECONDS);
        bad.sink().write(ByteBuffer.wrap(new byte[] {1}));
        assertSame(thrown, failed.get(10, TimeUnit.SECONDS), "the handler's connection is ended with the error");
        good.sink().write(ByteBuffer.wrap("ok".getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
        assertEquals("ok", read.get(10, TimeUnit.SECONDS), "the reactor still serves the other channels");
        for (Pipe pipe : new Pipe[] {bad, good}) {
            pipe.sink().close();
            pipe.source().close();
        }
    }
}
