package dev.piperpc.queue;

import dev.piperpc.core.Endpoint;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A stop can come at any time, also before or while an acceptor starts (a SIGTERM while the worker
 * starts): neither the close nor the start fails, and nothing is left receiving from the queue.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SqsAcceptorStopAtStartTest {

    private final EmbeddedSqs server = EmbeddedSqs.get();
    private final SqsClient sqs = server.client();
    private final InterceptedSqs intercepted = new InterceptedSqs(sqs);
    private final String requests = server.newQueue(sqs, "stop-at-start", Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "30"));
    private final SqsAcceptor acceptor = SqsAcceptor.builder(intercepted, requests).pollWait(Duration.ofSeconds(1)).build();

    @AfterEach
    void cleanUp() {
        acceptor.close(Duration.ofSeconds(1));
        sqs.deleteQueue(b -> b.queueUrl(requests));
        sqs.close();
    }

    @Test
    void anAcceptorClosedBeforeItStartsStartsNothing() {
        Set<Thread> before = receivingThreads();
        acceptor.close(Duration.ofSeconds(1));
        acceptor.start(transport -> Endpoint.builder().connect(transport));
        assertEquals(Set.of(), startedSince(before), "no thread receives from the queue or renews leases");
    }

    @Test
    void anAcceptorClosedWhileItStartsStartsNothing() throws Exception {
        intercepted.attributesGate = new CountDownLatch(1);
        Set<Thread> before = receivingThreads();
        CompletableFuture<Void> start = new CompletableFuture<>();
        Thread starting = new Thread(() -> {
            try {
                acceptor.start(transport -> Endpoint.builder().connect(transport));
                start.complete(null);
            } catch (Throwable e) {
                start.completeExceptionally(e);
            }
        }, "test-start");
        starting.start();
        assertTrue(intercepted.atAttributesGate.await(30, TimeUnit.SECONDS), "the start reads the queue's visibility timeout");
        acceptor.close(Duration.ofSeconds(1));
        intercepted.attributesGate.countDown();
        start.get(30, TimeUnit.SECONDS);
        assertEquals(Set.of(), startedSince(before), "no thread receives from the queue or renews leases");
    }

    /** The threads of acceptors that receive from a request queue or renew leases, alive now. */
    private static Set<Thread> receivingThreads() {
        Set<Thread> threads = new HashSet<>();
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread.getName().equals("piperpc-sqs-receive") || thread.getName().equals("piperpc-sqs-lease")) {
                threads.add(thread);
            }
        }
        return threads;
    }

    private static Set<Thread> startedSince(Set<Thread> before) {
        Set<Thread> now = receivingThreads();
        now.removeAll(before);
        return now;
    }
}
