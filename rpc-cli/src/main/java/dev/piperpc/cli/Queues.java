package dev.piperpc.cli;

import dev.piperpc.core.Endpoint;
import dev.piperpc.queue.QueueClient;
import dev.piperpc.queue.SqsClients;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Every SQS client and {@link QueueClient} the tool makes. The AWS SDK reads the endpoint
 * ({@code AWS_ENDPOINT_URL_SQS}), the region ({@code AWS_REGION}) and the credentials itself.
 * Only commands that use a queue load this class, so the pipe commands never load the SDK.
 */
final class Queues {

    private Queues() {
    }

    /**
     * A client sending to {@code requestQueueUrl}, as what {@code call} and {@code send}.
     *
     * @param endpoint the endpoint settings: call timeout, handlers of what workers send up
     * @throws UnavailableException if the reply queue cannot be created (SQS unreachable, no region, refused)
     */
    static Connection open(String requestQueueUrl, Endpoint.Builder endpoint) {
        QueueClient client;
        try {
            client = QueueClient.builder(requestQueueUrl).endpoint(endpoint).build();
        } catch (SdkException e) {
            throw new UnavailableException("cannot use SQS: " + e.getMessage());
        }
        return new Connection(client, client::close);
    }

    /**
     * An SQS client configured from the environment.
     *
     * @throws UnavailableException if the SDK cannot make one (no region)
     */
    static SqsClient sqs() {
        try {
            return SqsClients.fromEnvironment();
        } catch (SdkException e) {
            throw new UnavailableException("cannot use SQS: " + e.getMessage());
        }
    }
}
