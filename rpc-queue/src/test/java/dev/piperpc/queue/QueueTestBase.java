package dev.piperpc.queue;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;

/**
 * What the queue client's tests share: the embedded SQS, a request queue per test with a responder
 * on it, clients whose reply queues carry a prefix of the test's own, and the clean-up of all three.
 */
@Timeout(60)
abstract class QueueTestBase {

    /** Long enough to turn a hang into a failure on a loaded machine, never a timing goal. */
    static final long PATIENCE_MILLIS = 30_000;

    static SqsClient sqs;

    final String prefix = "test-reply-" + UUID.randomUUID().toString().substring(0, 8) + "-";
    String requestQueue;
    private TestResponder responder;
    private final List<QueueClient> clients = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void startSqs() {
        sqs = EmbeddedSqs.get().client();
    }

    @AfterAll
    static void closeSqs() {
        sqs.close();
    }

    @BeforeEach
    void createRequestQueue() {
        requestQueue = EmbeddedSqs.get().newQueue(sqs, "requests", Map.of());
    }

    @AfterEach
    void cleanUp() throws InterruptedException {
        clients.forEach(QueueClient::closeNow);
        if (responder != null) {
            responder.close();
        }
        sqs.deleteQueue(b -> b.queueUrl(requestQueue));
        for (String url : sqs.listQueues(b -> b.queueNamePrefix(prefix)).queueUrls()) {
            sqs.deleteQueue(b -> b.queueUrl(url));
        }
    }

    /** The responder on this test's request queue, started on first use. */
    TestResponder responder() {
        if (responder == null) {
            responder = new TestResponder(sqs, requestQueue);
        }
        return responder;
    }

    /** A client of this test's request queue, closed at the end of the test. */
    QueueClient client() {
        return client(b -> b);
    }

    /** A client with further settings. */
    QueueClient client(UnaryOperator<QueueClient.Builder> settings) {
        QueueClient client = settings.apply(QueueClient.builder(requestQueue).sqs(sqs).replyQueuePrefix(prefix)).build();
        clients.add(client);
        return client;
    }

    /** Whether the queue at {@code url} exists. */
    static boolean exists(String url) {
        return sqs.listQueues(b -> b.queueNamePrefix(url.substring(url.lastIndexOf('/') + 1))).queueUrls().contains(url);
    }

    /** Waits until {@code condition} holds; fails after {@link #PATIENCE_MILLIS}. */
    static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.currentTimeMillis() + PATIENCE_MILLIS;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("not within " + PATIENCE_MILLIS + " ms: " + what);
            }
            Thread.sleep(5);
        }
    }
}
