package dev.piperpc.queue;

import dev.piperpc.core.Call;
import dev.piperpc.core.CallCancelledException;
import dev.piperpc.core.Params;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a caller's cancellation and a worker's questions do over a queue, between a real
 * {@link QueueClient} and a real worker process ({@link QueueTestWorker}).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class QueueCancelTest {

    private final EmbeddedSqs server = EmbeddedSqs.get();
    private final SqsClient sqs = server.client();
    private final String prefix = "cancel-reply-" + UUID.randomUUID().toString().substring(0, 8) + "-";
    private String requests;
    private Process worker;
    private QueueClient rpc;

    @TempDir
    Path dir;

    @BeforeEach
    void start() throws Exception {
        requests = server.newQueue(sqs, "cancel-requests", Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "30"));
        worker = QueueTestWorker.process(requests, null, 4, server.endpoint(), dir.resolve("worker.log")).start();
        rpc = QueueClient.builder(requests).sqs(sqs).replyQueuePrefix(prefix).build();
    }

    @AfterEach
    void cleanUp() throws InterruptedException {
        rpc.closeNow();
        worker.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        sqs.deleteQueue(b -> b.queueUrl(requests));
        for (String url : sqs.listQueues(b -> b.queueNamePrefix(prefix)).queueUrls()) {
            sqs.deleteQueue(b -> b.queueUrl(url));
        }
        sqs.close();
    }

    @Test
    void aCancelledCallStopsOnTheWorkerThatRunsIt() throws Exception {
        Path marker = dir.resolve("running");
        Call<String> call = rpc.send("untilCancelled", Params.of(marker.toString()), String.class);
        Await.until(() -> Files.exists(marker), "the call running on the worker");
        call.cancel();
        assertThrows(CallCancelledException.class, call::join, "the call ends at once for its caller");
        Await.until(() -> Files.readAllLines(marker).contains("cancelled"), "the method seeing the cancellation");
        assertEquals(List.of("started", "cancelled"), Files.readAllLines(marker));
        Await.empty(sqs, requests);
        assertEquals("still serving", rpc.call("echo", Params.of("still serving"), String.class));
    }

    @Test
    void aWorkerOnAQueueAskingItsManagerGetsAClearErrorAtOnce() {
        String answer = rpc.call("askManager", Params.none(), String.class);
        assertTrue(answer.contains("cannot call its manager"), answer);
        assertTrue(worker.isAlive());
    }
}
