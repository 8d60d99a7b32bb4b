package dev.piperpc.queue;

import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * SQS clients as piperpc makes them when it is not handed one.
 *
 * <p>Everything the AWS SDK reads by itself stays the SDK's: the endpoint
 * ({@code AWS_ENDPOINT_URL_SQS} or {@code AWS_ENDPOINT_URL}), the region ({@code AWS_REGION}
 * or the profile) and the default credentials chain. The HTTP client is chosen here
 * (the JDK's {@code HttpURLConnection}), so the SDK never looks one up on the class path.
 */
public final class SqsClients {

    private SqsClients() {
    }

    /**
     * A synchronous SQS client configured from the environment as described above.
     *
     * @throws software.amazon.awssdk.core.exception.SdkClientException if the SDK finds no region
     */
    public static SqsClient fromEnvironment() {
        return SqsClient.builder().httpClient(UrlConnectionHttpClient.create()).build();
    }
}
