package dev.piperpc.queue.internal;

import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResultEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageResponse;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A recording fake of SQS for the send and delete paths. Sends: a body starting with "faulty" is
 * refused as the sender's fault, one listed in {@link #refusals} that many times for a passing
 * fault, a queue in {@link #missingQueues} does not exist, and batches wait at {@link #gate} if
 * set. Deletes: a receipt handle starting with "stale" is refused.
 */
final class FakeSqs implements SqsClient {
    final List<SendMessageBatchRequest> sendBatches = new CopyOnWriteArrayList<>();
    final List<SendMessageRequest> singles = new CopyOnWriteArrayList<>();
    final List<DeleteMessageBatchRequest> deleteBatches = new CopyOnWriteArrayList<>();
    final Map<String, AtomicInteger> refusals = new ConcurrentHashMap<>();
    final Set<String> missingQueues = ConcurrentHashMap.newKeySet();
    volatile CountDownLatch gate;
    final CountDownLatch atGate = new CountDownLatch(1);

    @Override
    public SendMessageBatchResponse sendMessageBatch(SendMessageBatchRequest request) {
        if (gate != null) {
            atGate.countDown();
            try {
                gate.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }
        sendBatches.add(request);
        if (missingQueues.contains(request.queueUrl())) {
            throw QueueDoesNotExistException.builder().message("no such queue").build();
        }
        List<SendMessageBatchResultEntry> ok = new ArrayList<>();
        List<BatchResultErrorEntry> failed = new ArrayList<>();
        for (SendMessageBatchRequestEntry entry : request.entries()) {
            AtomicInteger left = refusals.get(entry.messageBody());
            if (entry.messageBody().startsWith("faulty")) {
                failed.add(BatchResultErrorEntry.builder().id(entry.id()).code("InvalidMessageContents").message("bad")
                        .senderFault(true).build());
            } else if (left != null && left.getAndDecrement() > 0) {
                failed.add(BatchResultErrorEntry.builder().id(entry.id()).code("InternalError").message("busy")
                        .senderFault(false).build());
            } else {
                ok.add(SendMessageBatchResultEntry.builder().id(entry.id()).messageId("m").build());
            }
        }
        return SendMessageBatchResponse.builder().successful(ok).failed(failed).build();
    }

    @Override
    public SendMessageResponse sendMessage(SendMessageRequest request) {
        singles.add(request);
        return SendMessageResponse.builder().messageId("m").build();
    }

    @Override
    public DeleteMessageBatchResponse deleteMessageBatch(DeleteMessageBatchRequest request) {
        deleteBatches.add(request);
        List<BatchResultErrorEntry> failed = new ArrayList<>();
        for (DeleteMessageBatchRequestEntry entry : request.entries()) {
            if (entry.receiptHandle().startsWith("stale")) {
                failed.add(BatchResultErrorEntry.builder().id(entry.id()).code("ReceiptHandleIsInvalid").senderFault(true).build());
            }
        }
        return DeleteMessageBatchResponse.builder().failed(failed).build();
    }

    @Override
    public String serviceName() {
        return "sqs";
    }

    @Override
    public void close() {
    }
}
