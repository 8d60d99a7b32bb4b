package dev.piperpc.cli;

import dev.piperpc.core.Endpoint;
import dev.piperpc.core.transport.AcceptorProvider;
import dev.piperpc.queue.BlobStore;
import dev.piperpc.queue.BlobStoreException;
import dev.piperpc.queue.QueueClient;
import dev.piperpc.queue.SqsAcceptor;
import dev.piperpc.queue.SqsAcceptorProvider;
import dev.piperpc.queue.SqsClients;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.net.URI;

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
     * @param endpoint  the endpoint settings: call timeout, handlers of what workers send up
     * @param blobStore the {@code --blob-store} option, or {@code null}
     * @throws UnavailableException if the reply queue cannot be created (SQS unreachable, no region, refused)
     */
    static Connection open(String requestQueueUrl, Endpoint.Builder endpoint, String blobStore) {
        BlobStore store = blobStore(blobStore);
        QueueClient client;
        try {
            QueueClient.Builder builder = QueueClient.builder(requestQueueUrl).endpoint(endpoint);
            if (store != null) {
                builder.blobStore(store);
            }
            client = builder.build();
        } catch (SdkException e) {
            closeQuietly(store);
            throw new UnavailableException("cannot use SQS: " + e.getMessage());
        } catch (RuntimeException e) {
            closeQuietly(store);
            throw e;
        }
        return new Connection(client, () -> {
            try {
                client.close();
            } finally {
                closeQuietly(store);
            }
        });
    }

    /**
     * The blob store that {@code option} (the {@code --blob-store} option, or {@code null}), else
     * {@code PIPERPC_BLOB_STORE}, names; {@code null} if neither does.
     *
     * @throws UsageException       for a spec that is neither file:DIR nor s3://BUCKET/PREFIX
     * @throws UnavailableException if the store cannot be used (a directory that cannot be made, no region)
     */
    static BlobStore blobStore(String option) {
        String given = option != null ? option : System.getenv(SqsAcceptorProvider.BLOB_STORE_ENV);
        String spec = given == null || given.isBlank() ? null : given.trim();
        if (spec == null) {
            return null;
        }
        try {
            return BlobStore.open(spec);
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new UsageException("--blob-store: " + e.getMessage());
        } catch (BlobStoreException | SdkException e) {
            throw new UnavailableException("cannot use the blob store " + spec + ": " + e.getMessage());
        }
    }

    /**
     * The acceptor of {@code listen} ({@code sqs:<queue URL>}) with the blob store that
     * {@code --blob-store} names (closed with the acceptor), for a worker of {@code concurrency}.
     *
     * @throws UsageException       for a bad URI or blob store spec
     * @throws UnavailableException if SQS or the store cannot be used
     */
    static SqsAcceptor acceptor(String listen, int concurrency, String blobStore) {
        try {
            return SqsAcceptorProvider.open(URI.create(listen), new AcceptorProvider.Settings(concurrency), blobStore);
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new UsageException(e.getMessage());
        } catch (BlobStoreException | SdkException e) {
            throw new UnavailableException("cannot listen: " + e.getMessage());
        }
    }

    private static void closeQuietly(BlobStore store) {
        if (store != null) {
            store.close();
        }
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
