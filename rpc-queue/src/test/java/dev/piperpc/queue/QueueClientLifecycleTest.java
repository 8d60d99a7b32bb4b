package dev.piperpc.queue;

import dev.piperpc.core.Call;
import dev.piperpc.core.ConnectionClosedException;
import dev.piperpc.core.Endpoint;
import dev.piperpc.core.Params;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The reply queue from creation to deletion, closing, sweeping, batching and the builder's checks. */
class QueueClientLifecycleTest extends QueueTestBase {

    private static final Logger log = LoggerFactory.getLogger(QueueClientLifecycleTest.class);

    /** Well under a long poll (20 s): a close that waited for one would fail. */
    private static final long CLOSE_BOUND_MILLIS = 15_000;

    @Test
    void theReplyQueueLivesAsLongAsTheClientAndCloseDoesNotWaitForTheLongPoll() {
        responder();
        QueueClient rpc = client();
        String replyQueue = rpc.replyQueueUrl();
        assertTrue(replyQueue.contains(prefix), replyQueue);
        assertTrue(exists(replyQueue));
        assertEquals(1, rpc.call("echo", Params.of(1), Integer.class)); // the receiver is now in a long poll
        long start = System.nanoTime();
        rpc.close();
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(millis < CLOSE_BOUND_MILLIS, "close took " + millis + " ms");
        assertFalse(exists(replyQueue));
        assertTrue(rpc.isClosed());
        assertThrows(ConnectionClosedException.class, () -> rpc.call("echo", Params.of(2), Integer.class));
    }

    @Test
    void closeLetsPendingCallsFinishWithinTheGraceAndRefusesNewOnes() throws Exception {
        TestResponder responder = responder();
        QueueClient rpc = client();
        Call<Integer> held = rpc.send("held", Params.of(5), Integer.class);
        assertTrue(responder.heldArrived.await(PATIENCE_MILLIS, TimeUnit.MILLISECONDS));
        CompletableFuture<Void> closing = CompletableFuture.runAsync(() -> rpc.close(Duration.ofMillis(PATIENCE_MILLIS)));
        await(() -> rpc.send("echo", Params.of(1), Integer.class).isDone(), "new calls are refused while closing");
        assertThrows(ConnectionClosedException.class, () -> rpc.call("echo", Params.of(1), Integer.class));
        responder.release.countDown();
        assertEquals(5, held.join());
        closing.get(PATIENCE_MILLIS, TimeUnit.MILLISECONDS);
        assertFalse(exists(rpc.replyQueueUrl()));
    }

    @Test
    void closeEndsWhatIsStillPendingAfterTheGrace() {
        responder();
        QueueClient rpc = client(b -> b.closeGrace(Duration.ofMillis(200)));
        Call<Integer> never = rpc.send("never", Params.none(), Integer.class);
        rpc.close();
        assertThrows(ConnectionClosedException.class, never::join);
        assertFalse(exists(rpc.replyQueueUrl()));
    }

    @Test
    void closeNowEndsPendingCallsAtOnceAndStillDeletesTheReplyQueue() {
        responder();
        QueueClient rpc = client();
        Call<Integer> never = rpc.send("never", Params.none(), Integer.class);
        long start = System.nanoTime();
        rpc.closeNow();
        assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) < CLOSE_BOUND_MILLIS);
        assertThrows(ConnectionClosedException.class, never::join);
        assertFalse(exists(rpc.replyQueueUrl()));
    }

    @Test
    void theSweeperDeletesStaleReplyQueuesAndKeepsFreshOnes() {
        QueueClient alive = client(b -> b.heartbeat(Duration.ofMillis(200)));
        String stale = sqs.createQueue(b -> b.queueName(prefix + "crashed").tags(Map.of(QueueWire.HEARTBEAT_TAG,
                Long.toString(System.currentTimeMillis() - Duration.ofHours(1).toMillis())))).queueUrl();
        String untagged = sqs.createQueue(b -> b.queueName(prefix + "untagged")).queueUrl();
        List<String> deleted = QueueClient.sweep(sqs, prefix, Duration.ofMinutes(10));
        assertEquals(List.of(stale), deleted);
        assertFalse(exists(stale));
        assertTrue(exists(alive.replyQueueUrl()));
        assertTrue(exists(untagged), "a queue without a heartbeat is not judged");
        String beat = sqs.listQueueTags(b -> b.queueUrl(alive.replyQueueUrl())).tags().get(QueueWire.HEARTBEAT_TAG);
        assertTrue(System.currentTimeMillis() - Long.parseLong(beat) < Duration.ofMinutes(10).toMillis());
    }

    @Test
    void concurrentCallsShareSendMessageBatches() {
        responder();
        QueueClient rpc = client();
        int calls = 200;
        List<Call<Integer>> sent = new ArrayList<>(calls);
        for (int i = 0; i < calls; i++) {
            sent.add(rpc.send("add", Params.of(i, 1), Integer.class));
        }
        for (int i = 0; i < calls; i++) {
            assertEquals(i + 1, sent.get(i).join());
        }
        QueueClientStats stats = rpc.stats();
        log.info("{} calls: {} SendMessageBatch, {} receives, {} deletes, {} SQS requests in all ({} per call)", calls,
                stats.sendRequests(), stats.receiveRequests(), stats.deleteRequests(), stats.sqsRequests(),
                String.format("%.2f", stats.sqsRequestsPerCall()));
        assertEquals(calls, stats.messagesSent());
        assertTrue(stats.sendRequests() <= calls / 2, stats.sendRequests() + " send requests for " + calls + " calls");
    }

    @Test
    void theBuilderRefusesBadSettingsClearly() {
        assertThrows(IllegalArgumentException.class, () -> QueueClient.builder(" "));
        QueueClient.Builder builder = QueueClient.builder(requestQueue);
        assertThrows(IllegalArgumentException.class, () -> builder.senders(0));
        assertThrows(IllegalArgumentException.class, () -> builder.maxQueuedRequests(0));
        assertThrows(NullPointerException.class, () -> builder.endpoint(null));
        assertThrows(IllegalArgumentException.class, () -> Endpoint.builder().defaultTimeout(Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> builder.heartbeat(Duration.ofSeconds(-1)));
        assertThrows(IllegalArgumentException.class, () -> builder.closeGrace(Duration.ofSeconds(-1)));
        assertThrows(IllegalArgumentException.class, () -> builder.replyQueuePrefix("no spaces"));
        assertThrows(IllegalArgumentException.class, () -> builder.replyQueuePrefix("x".repeat(65)));
        assertThrows(IllegalArgumentException.class, () -> QueueClient.sweep(sqs, "", Duration.ofMinutes(1)));
        assertTrue(client().toString().contains(requestQueue));
    }
}
