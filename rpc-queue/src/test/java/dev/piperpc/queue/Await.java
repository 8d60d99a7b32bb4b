package dev.piperpc.queue;

import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.fail;

/** Waits of the queue tests: for a condition seen from outside (a file, a queue), 45 s at most, only to turn a hang into a failure. */
final class Await {

    static final long PATIENCE_SECONDS = 45;

    /** A condition looked at again and again. */
    interface Check {
        boolean ok() throws Exception;
    }

    private Await() {
    }

    /** Waits until {@code check} holds. */
    static void until(Check check, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(PATIENCE_SECONDS);
        while (!check.ok()) {
            if (System.nanoTime() > deadline) {
                fail("timed out waiting for " + what);
            }
            Thread.sleep(10);
        }
    }

    /** Waits until {@code queue} holds no message, visible or not. */
    static void empty(SqsClient sqs, String queue) throws Exception {
        until(() -> {
            Map<QueueAttributeName, String> counts = sqs.getQueueAttributes(b -> b.queueUrl(queue).attributeNames(
                    QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
                    .attributes();
            return counts.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES).equals("0")
                    && counts.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE).equals("0");
        }, "the queue " + queue + " empty");
    }
}
