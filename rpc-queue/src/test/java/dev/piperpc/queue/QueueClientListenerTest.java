package dev.piperpc.queue;

import dev.piperpc.core.BackpressureException;
import dev.piperpc.core.Call;
import dev.piperpc.core.Params;
import dev.piperpc.core.RpcException;
import dev.piperpc.core.listen.CallOutcome;
import dev.piperpc.core.message.Id;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A queue client's listener, over the embedded SQS: each call's end, refusals of the full outbox, start and close. */
class QueueClientListenerTest extends QueueTestBase {

    /** Counts what it hears by name, such as {@code "callEnded echo REFUSED"}. */
    static final class Recording implements QueueClientListener {
        final Map<String, LongAdder> counts = new ConcurrentHashMap<>();
        final AtomicReference<QueueClient> started = new AtomicReference<>();

        private void count(String key) {
            counts.computeIfAbsent(key, k -> new LongAdder()).increment();
        }

        long times(String... key) {
            LongAdder adder = counts.get(String.join(" ", key));
            return adder == null ? 0 : adder.sum();
        }

        @Override
        public void callStarted(String connection, String method, Id id) {
            count("callStarted");
        }

        @Override
        public void callEnded(String connection, String method, Id id, CallOutcome outcome, long durationNanos) {
            count("callEnded");
            count("callEnded " + method + " " + outcome.kind() + (outcome.error() == null ? "" : " " + outcome.error().code()));
        }

        @Override
        public void bytesReceived(String connection, String method, int bytes) {
            count("bytesReceived " + method);
        }

        @Override
        public void clientStarted(QueueClient client) {
            started.set(client);
            count("clientStarted");
        }

        @Override
        public void clientClosed(QueueClient client) {
            assertSame(started.get(), client);
            count("clientClosed");
        }
    }

    @Test
    void theListenerHearsEachCallEndAndTheRefusalsOfAFullOutbox() throws InterruptedException {
        responder();
        Recording heard = new Recording();
        InterceptedSqs held = new InterceptedSqs(sqs).gated();
        QueueClient rpc = client(b -> b.sqs(held).senders(1).maxQueuedRequests(4).listener(heard));
        assertSame(rpc, heard.started.get());

        List<Call<Integer>> calls = new ArrayList<>();
        calls.add(rpc.send("echo", Params.of(0), Integer.class));
        assertTrue(held.atGate.await(PATIENCE_MILLIS, TimeUnit.MILLISECONDS), "the sender holds the first call");
        for (int i = 1; i <= 4; i++) {
            calls.add(rpc.send("echo", Params.of(i), Integer.class));
        }
        assertEquals(4, rpc.stats().messagesQueued(), "the outbox is full");
        assertThrows(BackpressureException.class, () -> rpc.send("echo", Params.of(5), Integer.class));
        assertEquals(1, heard.times("callEnded", "echo", "REFUSED"), "the refusal is the call's end");
        held.gate.countDown();
        for (int i = 0; i <= 4; i++) {
            assertEquals(i, calls.get(i).join());
        }
        RpcException failed = assertThrows(RpcException.class, () -> rpc.call("fail", Params.none(), Integer.class));
        assertEquals(-32000, failed.code());

        assertEquals(5, heard.times("callEnded", "echo", "RESULT"));
        assertEquals(1, heard.times("callEnded", "fail", "ERROR", "-32000"));
        assertEquals(7, heard.times("callStarted"));
        assertEquals(7, heard.times("callEnded"));
        assertEquals(5, heard.times("bytesReceived", "echo"), "each answer's text, under its call's method");
        rpc.close();
        rpc.close();
        assertEquals(1, heard.times("clientStarted"));
        assertEquals(1, heard.times("clientClosed"), "told once");
    }
}
