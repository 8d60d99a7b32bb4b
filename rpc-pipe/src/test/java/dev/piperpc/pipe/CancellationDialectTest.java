package dev.piperpc.pipe;

import com.fasterxml.jackson.databind.JsonNode;
import dev.piperpc.core.Call;
import dev.piperpc.core.CallCancelledException;
import dev.piperpc.core.CallTimeoutException;
import dev.piperpc.core.Dialect;
import dev.piperpc.core.Endpoint;
import dev.piperpc.core.Params;
import dev.piperpc.core.message.Id;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A pool's cancellations and timeouts reach a Python worker in the pool's dialect, stop the
 * request there, and end each call exactly once.
 */
@Timeout(120)
class CancellationDialectTest {

    private static WorkerCommand cancellable() {
        return WorkerCommand.of("python3", Path.of("src", "test", "resources", "cancellable.py").toAbsolutePath().toString());
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void cancelsAndTimeoutsTellTheWorkerInThePoolsDialectAndEndTheCallOnce(Dialect dialect) throws InterruptedException {
        LinkedBlockingQueue<String> started = new LinkedBlockingQueue<>();
        LinkedBlockingQueue<JsonNode> seen = new LinkedBlockingQueue<>();
        Endpoint.Builder endpoint = Endpoint.builder().dialect(dialect)
                .handler("started", request -> {
                    started.add(request.params(JsonNode.class).get("id").toString());
                    return null;
                })
                .handler("saw", request -> {
                    seen.add(request.params(JsonNode.class));
                    return null;
                });
        try (WorkerPool pool = WorkerPool.builder(cancellable()).size(1).endpoint(endpoint).start()) {
            AtomicInteger cancelledEnds = new AtomicInteger();
            CountDownLatch cancelledEnded = new CountDownLatch(1);
            Call<String> cancelled = pool.send("hold", Params.none(), String.class).whenDone((result, error) -> {
                cancelledEnds.incrementAndGet();
                cancelledEnded.countDown();
            });
            assertEquals(cancelled.id().toString(), started.poll(20, TimeUnit.SECONDS), "running in the worker");
            assertTrue(cancelled.cancel());
            assertFalse(cancelled.cancel());
            assertThrows(CallCancelledException.class, cancelled::join);

            Call<String> timedOut = pool.send("hold", Params.none(), String.class, Duration.ofMillis(300));
            assertEquals(timedOut.id().toString(), started.poll(20, TimeUnit.SECONDS));
            assertThrows(CallTimeoutException.class, timedOut::join);

            assertSeen(seen.poll(20, TimeUnit.SECONDS), dialect, cancelled.id(), "cancelled by the caller");
            assertSeen(seen.poll(20, TimeUnit.SECONDS), dialect, timedOut.id(), "no response within 300 ms");

            assertTrue(cancelledEnded.await(10, TimeUnit.SECONDS));
            Endpoint connection = pool.workers().get(0).endpoint();
            // The worker wrote its -32800 (LSP) before it told of the cancellation: ignored, as answers to ended calls.
            assertEquals(dialect == Dialect.LSP ? 2 : 0, connection.stats().unknownResponses(), "answers to the cancelled calls");
            assertEquals(1, cancelledEnds.get(), "the cancelled call ended once");
            assertThrows(CallCancelledException.class, cancelled::join, "and stays cancelled");
            assertEquals(0, connection.stats().callsPending());
        }
    }

    private static void assertSeen(JsonNode cancellation, Dialect dialect, Id id, String reason) {
        assertTrue(cancellation != null, "the worker saw the cancellation of " + id);
        assertEquals(id.toString(), cancellation.get("id").toString(), cancellation.toString());
        assertTrue(cancellation.get("stopped").asBoolean(), "named a running request, which stopped: " + cancellation);
        if (dialect == Dialect.MCP) {
            assertEquals("notifications/cancelled", cancellation.get("method").asText(), cancellation.toString());
            assertEquals(reason, cancellation.get("reason").asText(), cancellation.toString());
        } else {
            assertEquals("$/cancelRequest", cancellation.get("method").asText(), cancellation.toString());
            assertTrue(cancellation.get("reason").isNull(), cancellation.toString());
        }
    }
}
