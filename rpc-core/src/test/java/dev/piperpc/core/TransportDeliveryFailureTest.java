package dev.piperpc.core;

import dev.piperpc.core.testing.RawPeer;
import dev.piperpc.core.transport.InMemoryTransport;
import dev.piperpc.core.transport.Transport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a transport learns about the calls it sends: their deadline, and whom to tell when a queued text is lost. */
@Timeout(60)
class TransportDeliveryFailureTest {

    private final InMemoryTransport.Pair pair = InMemoryTransport.pair();
    private final List<Long> deadlines = new CopyOnWriteArrayList<>();
    private final List<Consumer<RuntimeException>> notSent = new CopyOnWriteArrayList<>();
    private Endpoint endpoint;

    @AfterEach
    void close() {
        if (endpoint != null) {
            endpoint.closeNow();
        }
    }

    /** The in-memory transport, keeping what the endpoint tells it beyond the bytes. */
    private Transport recording() {
        Transport inner = pair.left();
        return new Transport() {
            @Override
            public void start(Listener listener) {
                inner.start(listener);
            }

            @Override
            public void send(byte[] json) {
                inner.send(json);
            }

            @Override
            public void send(byte[] json, long deadlineNanos, Consumer<RuntimeException> failed) {
                deadlines.add(deadlineNanos);
                notSent.add(failed);
                inner.send(json);
            }

            @Override
            public void sendControl(byte[] json) {
                inner.sendControl(json);
            }

            @Override
            public boolean isWritable() {
                return true;
            }

            @Override
            public void setReading(boolean reading) {
                inner.setReading(reading);
            }

            @Override
            public void close() {
                inner.close();
            }

            @Override
            public String name() {
                return "recording";
            }
        };
    }

    @Test
    void aCallWhoseTextIsLostEndsWithTheTransportsErrorAndItsDeadlineIsPassedOn() {
        endpoint = Endpoint.builder().connect(recording());
        RawPeer peer = new RawPeer(pair.right());
        long before = System.nanoTime();
        Call<String> call = endpoint.send("echo", Params.of("x"), String.class, Duration.ofSeconds(7));
        long after = System.nanoTime();
        peer.next();
        assertEquals(1, deadlines.size());
        long deadline = deadlines.get(0);
        assertTrue(deadline - before >= Duration.ofSeconds(7).toNanos() && deadline - after <= Duration.ofSeconds(7).toNanos(),
                "deadline " + deadline + " is 7 s ahead");

        PiperpcException lost = new PiperpcException("the queue refused it");
        notSent.get(0).accept(lost);
        notSent.get(0).accept(new PiperpcException("a second report changes nothing"));
        assertSame(lost, assertThrows(PiperpcException.class, call::join));
        assertEquals(0, endpoint.stats().callsPending());
    }

    @Test
    void aLostBatchEndsEachOfItsCallsAndANotificationOnlyBatchUsesThePlainSend() {
        endpoint = Endpoint.builder().connect(recording());
        RawPeer peer = new RawPeer(pair.right());
        Batch batch = endpoint.batch();
        Call<Integer> a = batch.add("a", Params.of(1), Integer.class, Duration.ofSeconds(5));
        Call<Integer> b = batch.add("b", Params.of(2), Integer.class, Duration.ofSeconds(20));
        batch.notify("n", Params.of(3));
        long before = System.nanoTime();
        batch.send();
        peer.next();
        assertEquals(1, deadlines.size());
        assertTrue(deadlines.get(0) - before >= Duration.ofSeconds(19).toNanos(), "the latest deadline of the batch");
        notSent.get(0).accept(new IllegalStateException("gone"));
        assertTrue(a.isDone() && b.isDone());
        assertThrows(ConnectionClosedException.class, a::join);
        assertThrows(ConnectionClosedException.class, b::join);

        Batch notifications = endpoint.batch();
        notifications.notify("n", Params.of(4));
        notifications.send();
        peer.next();
        assertEquals(1, deadlines.size(), "nothing to wait for: the plain send");
        assertFalse(endpoint.isClosed());
    }
}
