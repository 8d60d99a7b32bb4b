package dev.piperpc.queue;

import dev.piperpc.core.Endpoint;
import dev.piperpc.core.Params;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * At-least-once delivery seen from the worker: a request handed out again while it still runs on
 * the worker that holds it (its lease renewals failed, so its visibility timed out) is not run a
 * second time, and it is answered and deleted once.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class QueueRedeliveryTest {

    private final EmbeddedSqs server = EmbeddedSqs.get();
    private final SqsClient sqs = server.client();
    private final InterceptedSqs intercepted = new InterceptedSqs(sqs);
    private final String prefix = "redelivery-" + UUID.randomUUID().toString().substring(0, 8) + "-";
    private String requests;
    private SqsAcceptor acceptor;
    private QueueClient client;

    @AfterEach
    void cleanUp() {
        if (client != null) {
            client.closeNow();
        }
        if (acceptor != null) {
            acceptor.close(Duration.ofSeconds(1));
        }
        sqs.deleteQueue(b -> b.queueUrl(requests));
        for (String url : sqs.listQueues(b -> b.queueNamePrefix(prefix)).queueUrls()) {
            sqs.deleteQueue(b -> b.queueUrl(url));
        }
        sqs.close();
    }

    @Test
    void aRequestRedeliveredWhileItRunsHereIsNotRunTwice() throws Exception {
        requests = server.newQueue(sqs, "redelivered", Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "1"));
        AtomicInteger runs = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        acceptor = SqsAcceptor.builder(intercepted, requests).concurrency(4).pollWait(Duration.ofSeconds(1)).build();
        acceptor.start(transport -> Endpoint.builder().handler("slow", request -> {
            runs.incrementAndGet();
            release.await();
            return "ran " + runs.get() + " time(s)";
        }).connect(transport));
        intercepted.loseLeases = true;
        client = QueueClient.builder(requests).sqs(sqs).replyQueuePrefix(prefix).build();

        var call = client.send("slow", Params.none(), String.class);
        // The lease is lost, the visibility (1 s) ends, and SQS hands the running request out again.
        Await.until(() -> acceptor.stats().duplicates() >= 2, "the request delivered again while it runs");
        release.countDown();
        assertEquals("ran 1 time(s)", call.join());
        intercepted.loseLeases = false;
        Await.empty(sqs, requests);
        assertEquals(1, runs.get(), "run once");
        assertEquals(1, acceptor.stats().answered(), "answered once");
        assertTrue(intercepted.leasesLost.get() > 0);
        assertEquals(0, client.stats().ignoredResponses(), "the manager saw no second answer");
    }
}
