package dev.piperpc.micrometer;

import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.CreateQueueRequest;
import software.amazon.awssdk.services.sqs.model.CreateQueueResponse;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.DeleteQueueRequest;
import software.amazon.awssdk.services.sqs.model.DeleteQueueResponse;
import software.amazon.awssdk.services.sqs.model.GetQueueAttributesRequest;
import software.amazon.awssdk.services.sqs.model.GetQueueAttributesResponse;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageRequest;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageResponse;
import software.amazon.awssdk.services.sqs.model.TagQueueRequest;
import software.amazon.awssdk.services.sqs.model.TagQueueResponse;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** The real (embedded) SQS, holding every {@code SendMessageBatch} at a gate until the test opens it. */
final class GatedSqs implements SqsClient {

    private final SqsClient sqs;
    /** Opened by the test to let batches through. */
    final CountDownLatch gate = new CountDownLatch(1);
    /** Counted down when a batch reaches the gate. */
    final CountDownLatch atGate = new CountDownLatch(1);

    GatedSqs(SqsClient sqs) {
        this.sqs = sqs;
    }

    @Override
    public SendMessageBatchResponse sendMessageBatch(SendMessageBatchRequest request) {
        atGate.countDown();
        try {
            if (!gate.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the gate never opened");
            }
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
        return sqs.sendMessageBatch(request);
    }

    @Override
    public SendMessageResponse sendMessage(SendMessageRequest request) {
        return sqs.sendMessage(request);
    }

    @Override
    public ReceiveMessageResponse receiveMessage(ReceiveMessageRequest request) {
        return sqs.receiveMessage(request);
    }

    @Override
    public DeleteMessageBatchResponse deleteMessageBatch(DeleteMessageBatchRequest request) {
        return sqs.deleteMessageBatch(request);
    }

    @Override
    public GetQueueAttributesResponse getQueueAttributes(GetQueueAttributesRequest request) {
        return sqs.getQueueAttributes(request);
    }

    @Override
    public CreateQueueResponse createQueue(CreateQueueRequest request) {
        return sqs.createQueue(request);
    }

    @Override
    public TagQueueResponse tagQueue(TagQueueRequest request) {
        return sqs.tagQueue(request);
    }

    @Override
    public DeleteQueueResponse deleteQueue(DeleteQueueRequest request) {
        return sqs.deleteQueue(request);
    }

    @Override
    public String serviceName() {
        return sqs.serviceName();
    }

    @Override
    public void close() {
        // The test's client stays open.
    }
}
