package dev.piperpc.core;

import dev.piperpc.core.listen.CallListener;
import dev.piperpc.core.listen.CallOutcome;
import dev.piperpc.core.message.Id;
import dev.piperpc.core.testing.RecordingListener;
import dev.piperpc.core.transport.InMemoryTransport;
import dev.piperpc.core.transport.Transport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a call listener hears: every call's end, once, as its caller saw it; and that it cannot break a call. */
@Timeout(120)
class CallListenerTest {

    private static final int THREADS = 8;
    private static final int CALLS_PER_THREAD = 60;
    private static final int HELD = 5;
    private static final int NOTIFICATIONS = 20;

    private final List<Endpoint> endpoints = new ArrayList<>();
    private final CountDownLatch never = new CountDownLatch(1);
    private final CountDownLatch held = new CountDownLatch(HELD);
    private final CountDownLatch notesHandled = new CountDownLatch(NOTIFICATIONS);

    @AfterEach
    void closeAll() {
        never.countDown();
        endpoints.forEach(Endpoint::closeNow);
    }

    /** A server with a method for each way a call can end. */
    private Endpoint.Builder server() {
        return Endpoint.builder()
                .handler("ok", request -> "done")
                .handler("fail", request -> {
                    throw new RpcException(42, "refused by the handler");
                })
                .handler("slow", request -> {
                    never.await();
                    return "late";
                })
                .handler("hold", request -> {
                    held.countDown();
                    never.await();
                    return "late";
                })
                .handler("note", request -> {
                    notesHandled.countDown();
                    return null;
                });
    }

    /** The left end of {@code pair}, refusing for backpressure every text that names the method {@code refuse}. */
    private static Transport refusing(InMemoryTransport inner) {
        return new Transport() {
            @Override
            public void start(Listener listener) {
                inner.start(listener);
            }

            @Override
            public void send(byte[] json) {
                if (new String(json, StandardCharsets.UTF_8).contains("\"refuse\"")) {
                    throw new BackpressureException("the test's queue is full");
                }
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
                return inner.name();
            }
        };
    }

    private Endpoint[] connect(Endpoint.Builder client, Endpoint.Builder server) {
        InMemoryTransport.Pair pair = InMemoryTransport.pair();
        Endpoint serverEndpoint = server.connect(pair.right());
        Endpoint clientEndpoint = client.connect(refusing(pair.left()));
        endpoints.add(clientEndpoint);
        endpoints.add(serverEndpoint);
        return new Endpoint[] {clientEndpoint, serverEndpoint};
    }

    /** How a caller saw its call end. */
    private static CallOutcome.Kind seen(Call<String> call) {
        try {
            call.join();
            return CallOutcome.Kind.RESULT;
        } catch (RpcException e) {
            assertEquals(42, e.code());
            return CallOutcome.Kind.ERROR;
        } catch (CallTimeoutException e) {
            return CallOutcome.Kind.TIMEOUT;
        } catch (CallCancelledException e) {
            return CallOutcome.Kind.CANCELLED;
        } catch (ConnectionClosedException e) {
            return CallOutcome.Kind.CONNECTION_CLOSED;
        }
    }

    /** One call of kind {@code i % 5}, ended as its caller sees it. */
    private static CallOutcome.Kind oneCall(Endpoint client, int i) {
        switch (i % 5) {
            case 0:
                return seen(client.send("ok", Params.none(), String.class));
            case 1:
                return seen(client.send("fail", Params.none(), String.class));
            case 2:
                return seen(client.send("slow", Params.none(), String.class, Duration.ofMillis(20)));
            case 3: {
                Call<String> call = client.send("slow", Params.none(), String.class);
                call.cancel();
                return seen(call);
            }
            default:
                try {
                    client.send("refuse", Params.none(), String.class);
                    throw new AssertionError("the transport should have refused the call");
                } catch (BackpressureException expected) {
                    return CallOutcome.Kind.REFUSED;
                }
        }
    }

    @Test
    void everyCallEndsOnceAndTheListenerHearsWhatTheCallerSaw() throws Exception {
        RecordingListener clientHeard = new RecordingListener();
        RecordingListener serverHeard = new RecordingListener();
        Endpoint[] pair = connect(Endpoint.builder().callListener(clientHeard), server().callListener(serverHeard));
        Endpoint client = pair[0];

        Map<CallOutcome.Kind, AtomicInteger> callersSaw = new EnumMap<>(CallOutcome.Kind.class);
        for (CallOutcome.Kind kind : CallOutcome.Kind.values()) {
            callersSaw.put(kind, new AtomicInteger());
        }
        ExecutorService callers = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int offset = t;
                done.add(callers.submit(() -> {
                    for (int i = 0; i < CALLS_PER_THREAD; i++) {
                        callersSaw.get(oneCall(client, i + offset)).incrementAndGet();
                    }
                }));
            }
            for (Future<?> each : done) {
                each.get();
            }
        } finally {
            callers.shutdown();
        }
        for (int i = 0; i < NOTIFICATIONS; i++) {
            client.notify("note", Params.none());
        }
        int perKind = THREADS * CALLS_PER_THREAD / 5;
        // Every request that reached the server has ended there: the slow ones by the cancellations.
        assertTrue(serverHeard.awaitRequestsEnded(4 * perKind + NOTIFICATIONS), "the server's requests did not all end");

        // Calls in flight when the connection closes.
        List<Call<String>> holding = new ArrayList<>();
        for (int i = 0; i < HELD; i++) {
            holding.add(client.send("hold", Params.none(), String.class));
        }
        assertTrue(held.await(60, TimeUnit.SECONDS));
        pair[1].closeNow();
        for (Call<String> call : holding) {
            callersSaw.get(seen(call)).incrementAndGet();
        }
        assertTrue(serverHeard.awaitRequestsEnded(HELD), "the held requests did not end on the server");

        int total = THREADS * CALLS_PER_THREAD + HELD;
        assertEquals(perKind, callersSaw.get(CallOutcome.Kind.RESULT).get());
        assertEquals(HELD, callersSaw.get(CallOutcome.Kind.CONNECTION_CLOSED).get());
        for (CallOutcome.Kind kind : CallOutcome.Kind.values()) {
            assertEquals(callersSaw.get(kind).get(), clientHeard.count("callEnded", kind), "calls that ended " + kind);
        }
        assertEquals(total, clientHeard.count("callStarted"));
        assertEquals(total, clientHeard.count("callEnded"));
        assertEquals(Map.of(), clientHeard.callsEndedTwice());
        assertEquals(0, clientHeard.count("negativeDuration"));
        assertEquals(perKind, clientHeard.count("callEnded code 42"));
        assertEquals(2 * perKind, clientHeard.count("callEnded slow", CallOutcome.Kind.TIMEOUT)
                + clientHeard.count("callEnded slow", CallOutcome.Kind.CANCELLED));
        assertEquals(perKind, clientHeard.count("callEnded refuse", CallOutcome.Kind.REFUSED));
        assertEquals(NOTIFICATIONS, clientHeard.count("notificationSent note"));
        // Each timed-out or cancelled call told the server so.
        assertEquals(2 * perKind, clientHeard.count("notificationSent", ProtocolMethods.CANCEL_REQUEST));

        // The server handled every request that reached it, and ended each once.
        assertEquals(4 * perKind + NOTIFICATIONS + HELD, serverHeard.count("requestStarted"));
        assertEquals(4 * perKind + NOTIFICATIONS + HELD, serverHeard.count("requestEnded"));
        assertEquals(Map.of(), serverHeard.requestsEndedTwice());
        assertEquals(perKind, serverHeard.count("requestEnded ok", CallOutcome.Kind.RESULT));
        assertEquals(perKind, serverHeard.count("requestEnded fail", CallOutcome.Kind.ERROR));
        assertEquals(2 * perKind, serverHeard.count("requestEnded slow", CallOutcome.Kind.CANCELLED));
        assertEquals(NOTIFICATIONS, serverHeard.count("requestEnded note", CallOutcome.Kind.RESULT));
        assertEquals(HELD, serverHeard.count("requestEnded hold", CallOutcome.Kind.CONNECTION_CLOSED));
        assertEquals(0, serverHeard.count("negativeDuration"));

        // Both sides count the same texts.
        for (String method : List.of("ok", "fail", "slow", "note")) {
            assertTrue(clientHeard.bytes("sent", method) > 0, method);
            assertEquals(clientHeard.bytes("sent", method), serverHeard.bytes("received", method), method);
        }
        for (String method : List.of("ok", "fail")) {
            assertTrue(serverHeard.bytes("sent", method) > 0, method);
            assertEquals(serverHeard.bytes("sent", method), clientHeard.bytes("received", method), method);
        }
        assertEquals(0, clientHeard.bytes("sent", "refuse"), "nothing of a refused call was sent");
    }

    @Test
    void batchCallsStartAndEndToo() throws Exception {
        RecordingListener clientHeard = new RecordingListener();
        Endpoint client = connect(Endpoint.builder().callListener(clientHeard), server())[0];

        Batch batch = client.batch();
        Call<String> ok = batch.add("ok", Params.none(), String.class);
        Call<String> fail = batch.add("fail", Params.none(), String.class);
        batch.notify("note", Params.none());
        batch.send();

        assertEquals("done", ok.join());
        assertThrows(RpcException.class, fail::join);
        assertEquals(2, clientHeard.count("callStarted"));
        assertEquals(1, clientHeard.count("callEnded ok", CallOutcome.Kind.RESULT));
        assertEquals(1, clientHeard.count("callEnded fail", CallOutcome.Kind.ERROR));
        assertEquals(1, clientHeard.count("notificationSent note"));
        assertTrue(clientHeard.bytes("sent", null) > 0, "the batch's text is counted, under no one method");
    }

    @Test
    void aThrowingListenerBreaksNoCall() throws Exception {
        AtomicInteger thrown = new AtomicInteger();
        CallListener throwing = new CallListener() {
            private void fail() {
                // Errors as well as exceptions: neither may reach the call.
                if (thrown.incrementAndGet() % 2 == 0) {
                    throw new IllegalStateException("listener failure");
                }
                throw new AssertionError("listener failure");
            }

            @Override
            public void callStarted(String connection, String method, Id id) {
                fail();
            }

            @Override
            public void callEnded(String connection, String method, Id id, CallOutcome outcome, long durationNanos) {
                fail();
            }

            @Override
            public void notificationSent(String connection, String method) {
                fail();
            }

            @Override
            public void requestStarted(String connection, String method, Id id) {
                fail();
            }

            @Override
            public void requestEnded(String connection, String method, Id id, CallOutcome outcome, long durationNanos) {
                fail();
            }

            @Override
            public void bytesSent(String connection, String method, int bytes) {
                fail();
            }

            @Override
            public void bytesReceived(String connection, String method, int bytes) {
                fail();
            }
        };
        Endpoint client = connect(Endpoint.builder().callListener(throwing), server().callListener(throwing))[0];

        assertEquals("done", client.call("ok", Params.none(), String.class));
        assertEquals(42, assertThrows(RpcException.class, () -> client.call("fail", Params.none(), String.class)).code());
        assertInstanceOf(CallTimeoutException.class, assertThrows(PiperpcException.class,
                () -> client.send("slow", Params.none(), String.class, Duration.ofMillis(20)).join()));
        Call<String> cancelled = client.send("slow", Params.none(), String.class);
        cancelled.cancel();
        assertThrows(CallCancelledException.class, cancelled::join);
        assertThrows(BackpressureException.class, () -> client.send("refuse", Params.none(), String.class));
        for (int i = 0; i < NOTIFICATIONS; i++) {
            client.notify("note", Params.none());
        }
        assertTrue(notesHandled.await(60, TimeUnit.SECONDS));
        Consumer<String> stillServes = method -> assertEquals("done", client.call(method, Params.none(), String.class));
        stillServes.accept("ok");
        assertTrue(thrown.get() > 20, "the listener was called: " + thrown.get());
    }
}
