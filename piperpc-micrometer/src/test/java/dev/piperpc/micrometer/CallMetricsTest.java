package dev.piperpc.micrometer;

import dev.piperpc.core.Call;
import dev.piperpc.core.CallTimeoutException;
import dev.piperpc.core.Endpoint;
import dev.piperpc.core.Params;
import dev.piperpc.core.RpcException;
import dev.piperpc.core.listen.CallListener;
import dev.piperpc.core.listen.CallOutcome;
import dev.piperpc.core.message.Id;
import dev.piperpc.core.transport.InMemoryTransport;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Real endpoints connected in memory, each side recording into its own registry. */
@Timeout(60)
class CallMetricsTest {

    private final SimpleMeterRegistry clientRegistry = new SimpleMeterRegistry();
    private final SimpleMeterRegistry serverRegistry = new SimpleMeterRegistry();
    private final CountDownLatch never = new CountDownLatch(1);
    private final CountDownLatch slowArrived = new CountDownLatch(1);
    private final Semaphore serverEnded = new Semaphore(0);
    private final List<Endpoint> endpoints = new ArrayList<>();

    @AfterEach
    void close() {
        never.countDown();
        endpoints.forEach(Endpoint::closeNow);
    }

    /** The server's metrics, and a gate that opens as each request's end has been recorded. */
    private CallListener serverListener(CallMetrics metrics) {
        return new CallListener() {
            @Override
            public void requestStarted(String connection, String method, Id id) {
                metrics.requestStarted(connection, method, id);
            }

            @Override
            public void requestEnded(String connection, String method, Id id, CallOutcome outcome, long durationNanos) {
                metrics.requestEnded(connection, method, id, outcome, durationNanos);
                serverEnded.release();
            }

            @Override
            public void bytesReceived(String connection, String method, int bytes) {
                metrics.bytesReceived(connection, method, bytes);
            }
        };
    }

    @Test
    void timersPerMethodAndOutcomeAndInFlightGaugesBackToZero() throws InterruptedException {
        CallMetrics clientMetrics = new CallMetrics(clientRegistry, Tags.of("side", "client"));
        CallMetrics serverMetrics = new CallMetrics(serverRegistry);
        InMemoryTransport.Pair pair = InMemoryTransport.pair();
        endpoints.add(Endpoint.builder().callListener(serverListener(serverMetrics))
                .handler("add", request -> {
                    int[] operands = request.params(int[].class);
                    return operands[0] + operands[1];
                })
                .handler("fail", request -> {
                    throw new RpcException(7, "no");
                })
                .handler("slow", request -> {
                    slowArrived.countDown();
                    never.await();
                    return null;
                })
                .connect(pair.right()));
        Endpoint client = Endpoint.builder().callListener(clientMetrics).connect(pair.left());
        endpoints.add(client);

        for (int i = 0; i < 3; i++) {
            assertEquals(i + 1, client.call("add", Params.of(i, 1), Integer.class));
        }
        for (int i = 0; i < 2; i++) {
            assertThrows(RpcException.class, () -> client.call("fail", Params.none(), Integer.class));
        }
        Call<Object> slow = client.send("slow", Params.none(), Object.class, Duration.ofSeconds(30));
        assertTrue(slowArrived.await(30, TimeUnit.SECONDS));
        assertEquals(1.0, clientRegistry.get(CallMetrics.CALLS_IN_FLIGHT).tag("side", "client").gauge().value(),
                "the slow call is in flight");
        slow.cancel();
        assertThrows(RuntimeException.class, slow::join);
        assertThrows(CallTimeoutException.class,
                () -> client.send("slow", Params.none(), Object.class, Duration.ofMillis(20)).join());
        client.notify("progress", Params.of(1));

        assertEquals(3, clientRegistry.get(CallMetrics.CALLS).tags("method", "add", "outcome", "result", "side", "client").timer().count());
        assertEquals(2, clientRegistry.get(CallMetrics.CALLS).tags("method", "fail", "outcome", "error").timer().count());
        assertEquals(1, clientRegistry.get(CallMetrics.CALLS).tags("method", "slow", "outcome", "cancelled").timer().count());
        assertEquals(1, clientRegistry.get(CallMetrics.CALLS).tags("method", "slow", "outcome", "timeout").timer().count());
        assertTrue(clientRegistry.get(CallMetrics.CALLS).tags("method", "slow", "outcome", "timeout").timer()
                .totalTime(TimeUnit.MILLISECONDS) >= 20, "a timed-out call took its timeout at least");
        assertEquals(0.0, clientRegistry.get(CallMetrics.CALLS_IN_FLIGHT).gauge().value(), "every call ended");
        assertEquals(1, clientRegistry.get(CallMetrics.NOTIFICATIONS_SENT).tag("method", "progress").counter().count());
        assertEquals(2, clientRegistry.get(CallMetrics.NOTIFICATIONS_SENT).tag("method", "$/cancelRequest").counter().count(),
                "the cancellations of the cancelled and the timed-out call");
        assertEquals(3, clientRegistry.get(CallMetrics.MESSAGE_SIZE).tags("direction", "sent", "method", "add").summary().count());
        assertEquals(3, clientRegistry.get(CallMetrics.MESSAGE_SIZE).tags("direction", "received", "method", "add").summary().count());

        // add 3, fail 2, slow 2: seven requests, each ended on the server.
        assertTrue(serverEnded.tryAcquire(7, 30, TimeUnit.SECONDS), "the server's requests ended");
        assertEquals(3, serverRegistry.get(CallMetrics.REQUESTS).tags("method", "add", "outcome", "result").timer().count());
        assertEquals(2, serverRegistry.get(CallMetrics.REQUESTS).tags("method", "fail", "outcome", "error").timer().count());
        assertEquals(2, serverRegistry.get(CallMetrics.REQUESTS).tags("method", "slow", "outcome", "cancelled").timer().count());
        assertEquals(0.0, serverRegistry.get(CallMetrics.REQUESTS_IN_FLIGHT).gauge().value());
        assertEquals(clientRegistry.get(CallMetrics.MESSAGE_SIZE).tags("direction", "sent", "method", "add").summary().totalAmount(),
                serverRegistry.get(CallMetrics.MESSAGE_SIZE).tags("direction", "received", "method", "add").summary().totalAmount(),
                "both sides count the same bytes");
    }
}
