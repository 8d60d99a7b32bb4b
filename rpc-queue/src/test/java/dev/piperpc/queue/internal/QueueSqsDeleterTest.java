package dev.piperpc.queue.internal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequest;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The batched deletes of both sides, against a recording fake of SQS. */
@Timeout(30)
class QueueSqsDeleterTest {

    private final FakeSqs sqs = new FakeSqs();
    private final SqsMeter meter = new SqsMeter();
    private final AtomicInteger refused = new AtomicInteger();

    @Test
    void aLoneDeleteGoesWithinItsDelayAndRunsItsAfter() throws Exception {
        SqsDeleter deleter = new SqsDeleter(sqs, meter, "http://q/a", "test-delete", Duration.ofMillis(50), refused::addAndGet);
        CountDownLatch after = new CountDownLatch(1);
        deleter.delete(() -> "h1", after::countDown);
        assertTrue(after.await(5, TimeUnit.SECONDS), "deleted without others to share the request");
        assertEquals(1, sqs.deleteBatches.size());
        assertEquals("http://q/a", sqs.deleteBatches.get(0).queueUrl());
        assertEquals(1, meter.deleteRequests());
        deleter.close();
        assertTrue(deleter.join(Duration.ofSeconds(5)));
    }

    @Test
    void deletesShareRequestsOfAtMostTenAndRefusalsAreCounted() throws Exception {
        SqsDeleter deleter = new SqsDeleter(sqs, meter, "http://q/a", "test-delete", Duration.ofSeconds(10), refused::addAndGet);
        CountDownLatch after = new CountDownLatch(25);
        for (int i = 0; i < 25; i++) {
            deleter.delete(i == 3 ? () -> "stale" : () -> "h", after::countDown);
        }
        // 20 go at once as two full batches; the last 5 wait (10 s) unless flushed.
        assertTrue(deleter.flush(5_000));
        assertTrue(after.await(5, TimeUnit.SECONDS));
        assertEquals(3, sqs.deleteBatches.size());
        for (DeleteMessageBatchRequest batch : sqs.deleteBatches) {
            assertTrue(batch.entries().size() <= 10);
        }
        assertEquals(1, refused.get());
        deleter.close();
        assertTrue(deleter.join(Duration.ofSeconds(5)));
    }

    @Test
    void closeSendsWhatWaitsAndLaterDeletesOnlyRunTheirAfter() throws Exception {
        SqsDeleter deleter = new SqsDeleter(sqs, meter, "http://q/a", "test-delete", Duration.ofSeconds(10), refused::addAndGet);
        deleter.delete(() -> "h", null);
        deleter.close();
        assertTrue(deleter.join(Duration.ofSeconds(5)));
        assertEquals(1, sqs.deleteBatches.size());
        CountDownLatch after = new CountDownLatch(1);
        deleter.delete(() -> "late", after::countDown);
        assertEquals(0, after.getCount());
        assertEquals(1, sqs.deleteBatches.size());
    }
}
