package dev.piperpc.micrometer;

import dev.piperpc.core.BackpressureException;
import dev.piperpc.core.Call;
import dev.piperpc.core.CallTimeoutException;
import dev.piperpc.core.Params;
import dev.piperpc.queue.QueueClient;
import dev.piperpc.queue.local.LocalQueueServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A queue client over an embedded SQS-compatible server (ElasticMQ), recording into a registry. */
@Timeout(120)
class QueueClientMetricsTest {

    private static LocalQueueServer server;
    private static SqsClient sqs;

    @BeforeAll
    static void start() {
        server = LocalQueueServer.start(0);
        sqs = SqsClient.builder().httpClient(UrlConnectionHttpClient.create()).endpointOverride(URI.create(server.endpoint()))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"))).build();
    }

    @AfterAll
    static void stop() {
        sqs.close();
        server.stop();
    }

    @Test
    void theOutboxGaugeAndRefusals() throws InterruptedException {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        String requests = sqs.createQueue(b -> b.queueName("metrics-requests")).queueUrl();
        GatedSqs held = new GatedSqs(sqs);
        // Nobody serves the request queue: the calls time out.
        QueueClient rpc = QueueClient.builder(requests).sqs(held).senders(1).maxQueuedRequests(4)
                .replyQueuePrefix("metrics-reply-").listener(new QueueClientMetrics(registry)).build();
        try {
            List<Call<Object>> calls = new ArrayList<>();
            calls.add(rpc.send("echo", Params.of(0), Object.class, Duration.ofSeconds(1)));
            assertTrue(held.atGate.await(30, TimeUnit.SECONDS), "the sender holds the first call");
            for (int i = 1; i <= 4; i++) {
                calls.add(rpc.send("echo", Params.of(i), Object.class, Duration.ofSeconds(1)));
            }
            assertEquals(4.0, registry.get(QueueClientMetrics.OUTBOX).gauge().value(), "the outbox is full");
            assertThrows(BackpressureException.class, () -> rpc.send("echo", Params.of(5), Object.class));
            assertEquals(1, registry.get(CallMetrics.CALLS).tags("method", "echo", "outcome", "refused").timer().count());
            assertEquals(5.0, registry.get(CallMetrics.CALLS_IN_FLIGHT).gauge().value());
            held.gate.countDown();
            for (Call<Object> call : calls) {
                assertThrows(CallTimeoutException.class, call::join);
            }
            assertEquals(5, registry.get(CallMetrics.CALLS).tags("method", "echo", "outcome", "timeout").timer().count());
            assertEquals(0.0, registry.get(CallMetrics.CALLS_IN_FLIGHT).gauge().value());
        } finally {
            rpc.close();
            sqs.deleteQueue(b -> b.queueUrl(requests));
        }
        assertEquals(0.0, registry.get(QueueClientMetrics.OUTBOX).gauge().value(), "a closed client is no longer counted");
    }
}
