package dev.piperpc.queue;

import dev.piperpc.queue.local.LocalQueueServer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.net.URI;
import java.util.Map;
import java.util.UUID;

/**
 * One embedded ElasticMQ server per test JVM ({@code piperpc queue local}'s), on a random
 * loopback port: a real SQS-compatible server that the tests talk to over HTTP, as they would to
 * Amazon SQS.
 */
public final class EmbeddedSqs {

    private static EmbeddedSqs instance;

    private final URI endpoint;

    private EmbeddedSqs() {
        LocalQueueServer server = LocalQueueServer.start(0);
        endpoint = URI.create(server.endpoint());
        Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "elasticmq-stop"));
    }

    /** The server of this JVM, started on first use (about 1.5 s). */
    public static synchronized EmbeddedSqs get() {
        if (instance == null) {
            instance = new EmbeddedSqs();
        }
        return instance;
    }

    /** The server's URL, such as {@code http://127.0.0.1:40123}. */
    public URI endpoint() {
        return endpoint;
    }

    /** A new client for this server (dummy credentials; ElasticMQ checks none). */
    public SqsClient client() {
        return SqsClient.builder()
                .httpClient(UrlConnectionHttpClient.create())
                .endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .build();
    }

    /** Creates a queue with a unique name starting with {@code prefix}; returns its URL. */
    public String newQueue(SqsClient sqs, String prefix, Map<QueueAttributeName, String> attributes) {
        String name = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        return sqs.createQueue(b -> b.queueName(name).attributes(attributes)).queueUrl();
    }
}
