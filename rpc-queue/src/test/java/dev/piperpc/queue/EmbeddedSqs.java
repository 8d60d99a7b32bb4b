package dev.piperpc.queue;

import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
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
 * One embedded ElasticMQ server per test JVM, on a random loopback port: a real SQS-compatible
 * server that the tests talk to over HTTP, as they would to Amazon SQS.
 */
public final class EmbeddedSqs {

    private static EmbeddedSqs instance;

    private final SQSRestServer server;
    private final URI endpoint;

    private EmbeddedSqs() {
        server = SQSRestServerBuilder.withDynamicPort().withInterface("127.0.0.1").start();
        int port = server.waitUntilStarted().localAddress().getPort();
        endpoint = URI.create("http://127.0.0.1:" + port);
        Runtime.getRuntime().addShutdownHook(new Thread(this::stop, "elasticmq-stop"));
    }

    /**
     * Stops the server, waiting a few seconds at most: a stop that waits for a connection to end
     * must not hold the test JVM's exit.
     */
    private void stop() {
        Thread stopping = new Thread(server::stopAndWait, "elasticmq-stopping");
        stopping.setDaemon(true);
        stopping.start();
        try {
            stopping.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
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
