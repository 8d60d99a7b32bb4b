package dev.piperpc.queue;

import dev.piperpc.core.BackpressureException;
import dev.piperpc.core.Batch;
import dev.piperpc.core.Call;
import dev.piperpc.core.CallTimeoutException;
import dev.piperpc.core.Endpoint;
import dev.piperpc.core.Params;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How calls end when answers come late or twice, and when their message cannot be sent. */
class QueueClientFailuresTest extends QueueTestBase {

    @Test
    void aCallTimesOutAndItsLateAnswerIsIgnoredAndCounted() throws InterruptedException {
        TestResponder responder = responder();
        QueueClient rpc = client();
        Call<Integer> call = rpc.send("held", Params.of(7), Integer.class, Duration.ofMillis(500));
        assertThrows(CallTimeoutException.class, () -> call.join());
        assertTrue(responder.heldArrived.await(PATIENCE_MILLIS, TimeUnit.MILLISECONDS), "the request arrived");
        responder.release.countDown();
        await(() -> rpc.stats().ignoredResponses() == 1, "the late answer was received and ignored");
        assertThrows(CallTimeoutException.class, () -> call.join(), "still ended by its timeout");
        assertEquals(0, rpc.stats().endpoint().callsPending());
    }

    @Test
    void duplicateAnswersAreCountedAndEachCallEndsOnce() throws InterruptedException {
        responder();
        QueueClient rpc = client();
        AtomicInteger ends = new AtomicInteger();
        List<Call<Integer>> calls = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            calls.add(rpc.send("twice", Params.of(i), Integer.class).whenDone((result, error) -> ends.incrementAndGet()));
        }
        for (int i = 0; i < 10; i++) {
            assertEquals(i, calls.get(i).join());
        }
        await(() -> rpc.stats().ignoredResponses() == 10, "ten duplicates received and ignored");
        await(() -> ends.get() >= 10, "every callback ran");
        assertEquals(10, ends.get(), "each call ended exactly once");
        assertEquals(20, rpc.stats().messagesReceived());
    }

    @Test
    void aMessageTooBigForSqsFailsAtOnce() {
        QueueClient rpc = client();
        String big = "x".repeat(QueueWire.MAX_BODY_BYTES);
        Call<String> call = rpc.send("echo", Params.of(big), String.class);
        assertTrue(call.isDone(), "ended without waiting for a timeout");
        QueueSendException error = assertThrows(QueueSendException.class, call::join);
        assertTrue(error.getMessage().contains("too big for SQS") && error.getMessage().contains("blob store"), error.getMessage());

        assertThrows(QueueSendException.class, () -> rpc.notify("log", Params.of(big)));

        Batch batch = rpc.batch();
        Call<String> member = batch.add("echo", Params.of(big), String.class);
        batch.send();
        assertThrows(QueueSendException.class, member::join);
        assertEquals(0, rpc.stats().sendRequests(), "nothing went to SQS");
        assertEquals(0, rpc.stats().endpoint().callsPending());
    }

    @Test
    void theOutboxRefusesPastItsBound() throws InterruptedException {
        responder();
        InterceptedSqs held = new InterceptedSqs(sqs).gated();
        QueueClient rpc = client(b -> b.sqs(held).senders(1).maxQueuedRequests(4));
        List<Call<Integer>> calls = new ArrayList<>();
        calls.add(rpc.send("echo", Params.of(0), Integer.class));
        assertTrue(held.atGate.await(PATIENCE_MILLIS, TimeUnit.MILLISECONDS), "the sender holds the first call");
        for (int i = 1; i <= 4; i++) {
            calls.add(rpc.send("echo", Params.of(i), Integer.class));
        }
        assertFalse(rpc.stats().messagesQueued() < 4);
        assertThrows(BackpressureException.class, () -> rpc.send("echo", Params.of(5), Integer.class));
        assertThrows(BackpressureException.class, () -> rpc.notify("log", Params.of(5)));
        assertEquals(5, rpc.stats().endpoint().callsPending(), "the refused call was never pending");
        held.gate.countDown();
        for (int i = 0; i <= 4; i++) {
            assertEquals(i, calls.get(i).join());
        }
    }

    @Test
    void entriesSqsRefusesAreTriedAgain() {
        responder();
        InterceptedSqs refusing = new InterceptedSqs(sqs);
        refusing.refuse.set(2);
        QueueClient rpc = client(b -> b.sqs(refusing));
        assertEquals(1, rpc.call("echo", Params.of(1), Integer.class));
        assertEquals(0, rpc.stats().messagesNotSent());
    }

    @Test
    void aCallWhoseMessageSqsKeepsRefusingEndsWithTheReason() {
        InterceptedSqs refusing = new InterceptedSqs(sqs);
        refusing.refuse.set(Integer.MAX_VALUE);
        QueueClient rpc = client(b -> b.sqs(refusing).endpoint(Endpoint.builder().defaultTimeout(Duration.ofMinutes(5))));
        Call<Integer> call = rpc.send("echo", Params.of(1), Integer.class);
        QueueSendException error = assertThrows(QueueSendException.class, () -> call.join(Duration.ofMillis(PATIENCE_MILLIS)));
        assertTrue(error.getMessage().contains("refused by the test"), error.getMessage());
        assertEquals(1, rpc.stats().messagesNotSent());
        assertEquals(0, rpc.stats().endpoint().callsPending());
    }

    @Test
    void aCallToAQueueThatIsGoneEndsWithTheReason() {
        String gone = EmbeddedSqs.get().newQueue(sqs, "gone", Map.of());
        sqs.deleteQueue(b -> b.queueUrl(gone));
        QueueClient rpc = QueueClient.builder(gone).sqs(sqs).replyQueuePrefix(prefix).endpoint(Endpoint.builder().defaultTimeout(Duration.ofMinutes(5)))
                .build();
        try {
            Call<Integer> call = rpc.send("echo", Params.of(1), Integer.class);
            QueueSendException error = assertThrows(QueueSendException.class,
                    () -> call.join(Duration.ofMillis(PATIENCE_MILLIS)));
            assertTrue(error.getMessage().contains("does not exist"), error.getMessage());
            assertInstanceOf(QueueDoesNotExistException.class, error.getCause());
        } finally {
            rpc.closeNow();
        }
    }
}
