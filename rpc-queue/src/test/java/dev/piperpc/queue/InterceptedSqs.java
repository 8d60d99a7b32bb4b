package dev.piperpc.queue;

import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequest;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchResponse;
import software.amazon.awssdk.services.sqs.model.GetQueueAttributesRequest;
import software.amazon.awssdk.services.sqs.model.GetQueueAttributesResponse;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.CreateQueueRequest;
import software.amazon.awssdk.services.sqs.model.CreateQueueResponse;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.DeleteQueueRequest;
import software.amazon.awssdk.services.sqs.model.DeleteQueueResponse;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageRequest;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageResponse;
import software.amazon.awssdk.services.sqs.model.TagQueueRequest;
import software.amazon.awssdk.services.sqs.model.TagQueueResponse;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The real (embedded) SQS, with a hand on {@code SendMessageBatch}: it can hold batches at a gate,
 * and refuse a number of entries as SQS does when it fails part of a batch; and on
 * {@code ChangeMessageVisibilityBatch}: it can make lease renewals fail; and on
 * {@code GetQueueAttributes} (what an acceptor's start reads): it can hold it at a gate.
 */
final class InterceptedSqs implements SqsClient {

    private final SqsClient sqs;
    /** Opened by the test to let batches through. */
    final CountDownLatch gate = new CountDownLatch(1);
    /** Counted down when a batch reaches the gate. */
    final CountDownLatch atGate = new CountDownLatch(1);
    private volatile boolean gated;
    /** Entries still to refuse (one per entry, with a passing fault). */
    final AtomicInteger refuse = new AtomicInteger();
    /** While set, visibility changes (lease renewals) fail as when SQS cannot be reached. */
    volatile boolean loseLeases;
    /** Visibility changes that failed because of {@link #loseLeases}. */
    final AtomicInteger leasesLost = new AtomicInteger();
    /** While set, {@code GetQueueAttributes} waits until it opens. */
    volatile CountDownLatch attributesGate;
    /** Counted down when a {@code GetQueueAttributes} reaches {@link #attributesGate}. */
    final CountDownLatch atAttributesGate = new CountDownLatch(1);

    InterceptedSqs(SqsClient sqs) {
        this.sqs = sqs;
    }

    /** Holds batches at the gate until it opens. */
    InterceptedSqs gated() {
        gated = true;
        return this;
    }

    @Override
    public SendMessageBatchResponse sendMessageBatch(SendMessageBatchRequest request) {
        if (gated) {
            atGate.countDown();
            try {
                if (!gate.await(30, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("the gate never opened");
                }
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }
        List<SendMessageBatchRequestEntry> pass = new ArrayList<>();
        List<BatchResultErrorEntry> refused = new ArrayList<>();
        for (SendMessageBatchRequestEntry entry : request.entries()) {
            if (refuse.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                refused.add(BatchResultErrorEntry.builder().id(entry.id()).code("InternalError")
                        .message("refused by the test").senderFault(false).build());
            } else {
                pass.add(entry);
            }
        }
        SendMessageBatchResponse sent = pass.isEmpty() ? SendMessageBatchResponse.builder().build()
                : sqs.sendMessageBatch(request.toBuilder().entries(pass).build());
        List<BatchResultErrorEntry> failed = new ArrayList<>(sent.failed());
        failed.addAll(refused);
        return sent.toBuilder().failed(failed).build();
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
    public ChangeMessageVisibilityBatchResponse changeMessageVisibilityBatch(ChangeMessageVisibilityBatchRequest request) {
        if (loseLeases) {
            leasesLost.incrementAndGet();
            throw SdkClientException.create("lost by the test");
        }
        return sqs.changeMessageVisibilityBatch(request);
    }

    @Override
    public GetQueueAttributesResponse getQueueAttributes(GetQueueAttributesRequest request) {
        CountDownLatch gate = attributesGate;
        if (gate != null) {
            atAttributesGate.countDown();
            try {
                if (!gate.await(30, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("the gate never opened");
                }
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }
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
