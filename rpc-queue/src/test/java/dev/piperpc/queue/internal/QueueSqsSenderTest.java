package dev.piperpc.queue.internal;

import dev.piperpc.core.BackpressureException;
import dev.piperpc.core.ConnectionClosedException;
import dev.piperpc.queue.QueueSendException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The one SQS send path of both sides, against a recording fake of SQS. */
@Timeout(30)
class QueueSqsSenderTest {

    private final FakeSqs sqs = new FakeSqs();
    private final SqsMeter meter = new SqsMeter();
    private final List<String> sent = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, RuntimeException> notSent = new ConcurrentHashMap<>();

    private Outgoing message(String url, String body, boolean control) {
        return new Outgoing(url, body, body.length(), Map.of(), control, () -> sent.add(body), e -> notSent.put(body, e));
    }

    @Test
    void batchesByQueueUrlWithoutMixingAndTellsWhatWasSent() throws Exception {
        SqsSender sender = new SqsSender(sqs, meter, "test", 1, 1000);
        for (int i = 0; i < 25; i++) {
            sender.offer(message(i % 2 == 0 ? "http://q/a" : "http://q/b", "m" + i, false));
        }
        sender.start();
        assertTrue(sender.awaitIdle(10_000));
        assertEquals(25, sent.size());
        assertTrue(notSent.isEmpty());
        int entries = 0;
        for (SendMessageBatchRequest batch : sqs.sendBatches) {
            assertTrue(batch.entries().size() <= SqsSender.MAX_BATCH_MESSAGES);
            for (SendMessageBatchRequestEntry entry : batch.entries()) {
                int n = Integer.parseInt(entry.messageBody().substring(1));
                assertEquals(n % 2 == 0 ? "http://q/a" : "http://q/b", batch.queueUrl(), "one URL per batch");
            }
            entries += batch.entries().size();
        }
        assertEquals(25, entries);
        // 13 for a, 12 for b, all queued before the sender started: 2 + 2 full-as-possible batches
        assertEquals(4, sqs.sendBatches.size());
        assertEquals(4, meter.sendRequests());
        assertEquals(25, meter.messagesSent());
        sender.close();
        assertTrue(sender.join(Duration.ofSeconds(5)));
    }

    @Test
    void aBatchStaysWithinTheByteLimitAndALargerMessageGoesAlone() throws Exception {
        SqsSender sender = new SqsSender(sqs, meter, "test", 1, 1000);
        String big = "x".repeat(200 * 1024);
        String huge = "y".repeat(300 * 1024);
        sender.offer(message("http://q/a", big, false));
        sender.offer(message("http://q/a", big + "2", false));
        sender.offer(message("http://q/a", huge, false));
        sender.start();
        assertTrue(sender.awaitIdle(10_000));
        assertEquals(3, sent.size());
        assertEquals(2, sqs.sendBatches.size(), "200 KiB + 200 KiB do not fit in one batch");
        assertEquals(1, sqs.singles.size(), "a message over 256 KiB is sent alone");
        sender.close();
    }

    @Test
    void refusedEntriesAreTriedAgainThenGivenUp() throws Exception {
        sqs.refusals.put("twice", new AtomicInteger(2));
        sqs.refusals.put("always", new AtomicInteger(100));
        SqsSender sender = new SqsSender(sqs, meter, "test", 1, 1000);
        sender.offer(message("http://q/a", "twice", false));
        sender.offer(message("http://q/a", "always", false));
        sender.offer(message("http://q/a", "faulty", false));
        sender.offer(message("http://q/a", "fine", false));
        sender.start();
        assertTrue(sender.awaitIdle(10_000));
        assertEquals(Set.of("twice", "fine"), Set.copyOf(sent));
        assertEquals(Set.of("always", "faulty"), notSent.keySet());
        assertInstanceOf(QueueSendException.class, notSent.get("always"));
        assertTrue(notSent.get("faulty").getMessage().contains("faulty"), notSent.get("faulty").getMessage());
        assertEquals(2, meter.messagesNotSent());
        assertEquals(2, meter.messagesSent());
        sender.close();
    }

    @Test
    void aMissingQueueFailsItsMessagesAtOnceAndOthersStillGo() throws Exception {
        sqs.missingQueues.add("http://q/gone");
        SqsSender sender = new SqsSender(sqs, meter, "test", 2, 1000);
        sender.offer(message("http://q/gone", "lost", false));
        sender.offer(message("http://q/a", "kept", false));
        sender.start();
        assertTrue(sender.awaitIdle(10_000));
        assertEquals(List.of("kept"), sent);
        assertTrue(notSent.get("lost").getMessage().contains("does not exist"));
        sender.close();
    }

    @Test
    void theBoundRefusesRequestsButLetsControlMessagesPass() throws Exception {
        SqsSender sender = new SqsSender(sqs, meter, "test", 1, 4);
        for (int i = 0; i < 4; i++) {
            sender.offer(message("http://q/a", "r" + i, false));
        }
        assertFalse(sender.isWritable());
        assertThrows(BackpressureException.class, () -> sender.offer(message("http://q/a", "r4", false)));
        sender.offer(message("http://q/a", "answer", true));
        assertEquals(5, sender.size());
        List<Outgoing> left = sender.closeAndDrain();
        assertEquals(5, left.size());
        assertThrows(ConnectionClosedException.class, () -> sender.offer(message("http://q/a", "late", true)));
    }

    @Test
    void aSenderNeverWaitsForABatchToFill() throws Exception {
        sqs.gate = new CountDownLatch(1);
        SqsSender sender = new SqsSender(sqs, meter, "test", 1, 1000);
        sender.start();
        sender.offer(message("http://q/a", "first", false));
        assertTrue(sqs.atGate.await(10, TimeUnit.SECONDS), "the first message went out alone");
        for (int i = 0; i < 9; i++) {
            sender.offer(message("http://q/a", "next" + i, false));
        }
        sqs.gate.countDown();
        assertTrue(sender.awaitIdle(10_000));
        assertEquals(2, sqs.sendBatches.size());
        assertEquals(1, sqs.sendBatches.get(0).entries().size());
        assertEquals(9, sqs.sendBatches.get(1).entries().size(), "what queued meanwhile goes in one batch");
        sender.close();
        assertTrue(sender.join(Duration.ofSeconds(5)));
    }
}
