package dev.piperpc.queue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Real worker processes listening on an embedded SQS server through {@code PIPERPC_LISTEN}, driven
 * with the raw SDK as a manager would drive them: requests on the request queue, answers read from
 * reply queues the test creates.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class QueueWorkerTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final EmbeddedSqs server = EmbeddedSqs.get();
    private final SqsClient sqs = server.client();
    private final List<String> queues = new ArrayList<>();
    private final List<Process> workers = new ArrayList<>();

    @TempDir
    Path dir;

    @AfterEach
    void cleanUp() {
        for (Process worker : workers) {
            worker.destroyForcibly();
        }
        for (String queue : queues) {
            sqs.deleteQueue(b -> b.queueUrl(queue));
        }
        sqs.close();
    }

    @Test
    void answersEachManagerOnItsOwnReplyQueueWithItsProgress() throws Exception {
        String requests = queue("requests", 30, null);
        String managerA = queue("reply-a", 30, null);
        String managerB = queue("reply-b", 30, null);
        Path marker = dir.resolve("expired");
        send(requests, managerA, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"echo\",\"params\":[\"from a\"]}", null);
        send(requests, managerA, "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"progress\",\"params\":[3]}", null);
        send(requests, managerB, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"echo\",\"params\":[\"from b\"]}", null);
        send(requests, managerB, "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"work\",\"params\":[\"" + marker + "\",\"\",0]}",
                System.currentTimeMillis() - 1);
        startWorker(requests, null, null);

        List<JsonNode> a = awaitMessages(managerA, 5, message -> true);
        assertEquals("from a", byId(a, 1).get("result").asText());
        assertEquals(3, byId(a, 2).get("result").asInt());
        List<Integer> progress = new ArrayList<>();
        for (JsonNode message : a) {
            if (message.has("method")) {
                assertEquals("$/progress", message.get("method").asText());
                progress.add(message.get("params").get("value").asInt());
            }
        }
        progress.sort(null);
        // A standard queue keeps no order: only that all of them arrived.
        assertEquals(List.of(1, 2, 3), progress, "progress reaches the caller's reply queue");
        List<JsonNode> b = awaitReplies(managerB, 1);
        assertEquals("from b", byId(b, 1).get("result").asText(), "the same id from another manager is answered to that manager");

        awaitEmpty(requests);
        assertFalse(Files.exists(marker), "a request past its deadline is deleted unrun");
        assertTrue(receive(managerB, 1).isEmpty(), "nothing answers the expired request");
    }

    @Test
    void neverHoldsMoreRequestsThanItsConcurrency() throws Exception {
        String requests = queue("requests", 30, null);
        String replies = queue("replies", 30, null);
        Path gate = dir.resolve("gate");
        for (int i = 1; i <= 5; i++) {
            send(requests, replies, work(i, dir.resolve("m" + i), gate, 0), null);
        }
        startWorker(requests, 2, null);
        awaitCount(dir, "started", 2);
        Map<QueueAttributeName, String> counts = sqs.getQueueAttributes(b -> b.queueUrl(requests).attributeNames(
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
                .attributes();
        assertEquals("2", counts.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE), "received: only the free slots");
        assertEquals("3", counts.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES), "the rest wait on the queue");
        Files.createFile(gate);
        List<JsonNode> answers = awaitReplies(replies, 5);
        for (int i = 1; i <= 5; i++) {
            assertEquals(1, byId(answers, i).get("result").asInt());
        }
        awaitEmpty(requests);
    }

    @Test
    void aLeaseKeepsALongCallFromBeingTakenAgain() throws Exception {
        String requests = queue("requests", 2, null);
        String replies = queue("replies", 30, null);
        Path marker = dir.resolve("long");
        send(requests, replies, work(7, marker, null, 6000), null);
        startWorker(requests, 2, null);
        awaitCount(dir, "started", 1);
        List<Message> stolen = new ArrayList<>();
        List<JsonNode> answers = new ArrayList<>();
        while (answers.isEmpty()) {
            stolen.addAll(sqs.receiveMessage(b -> b.queueUrl(requests).waitTimeSeconds(1)).messages());
            answers.addAll(receive(replies, 0));
        }
        assertEquals(List.of(), stolen, "no other consumer got the request while it ran (4 visibility timeouts)");
        assertEquals(1, byId(answers, 7).get("result").asInt(), "run once");
        awaitEmpty(requests);
        assertEquals(1, QueueTestWorker.count(marker.toString(), "started"));
    }

    @Test
    void aRequestOfAKilledWorkerIsCompletedByAnotherOnce() throws Exception {
        String requests = queue("requests", 2, null);
        String replies = queue("replies", 30, null);
        Path marker = dir.resolve("crash");
        Path gate = dir.resolve("gate");
        send(requests, replies, work(9, marker, gate, 0), null);
        Process first = startWorker(requests, 1, null);
        awaitCount(dir, "started", 1);
        first.destroyForcibly().waitFor();
        Files.createFile(gate);
        startWorker(requests, 1, null);
        List<JsonNode> answers = awaitReplies(replies, 1);
        assertEquals(2, byId(answers, 9).get("result").asInt(), "the second run answers");
        awaitEmpty(requests);
        assertEquals(List.of(), receive(replies, 1), "answered exactly once");
    }

    @Test
    void aPoisonRequestEndsInTheDeadLetterQueueAndItsCallerGetsAnError() throws Exception {
        String deadLetters = queue("dead", 30, null);
        String deadLettersArn = sqs.getQueueAttributes(b -> b.queueUrl(deadLetters).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
        String requests = queue("requests", 1, "{\"maxReceiveCount\":\"2\",\"deadLetterTargetArn\":\"" + deadLettersArn + "\"}");
        String replies = queue("replies", 30, null);
        send(requests, replies, "{\"jsonrpc\":\"2.0\",\"id\":13,\"method\":\"die\",\"params\":[]}", null);
        Process first = startWorker(requests, 1, "poisonAfter=1");
        assertEquals(3, first.waitFor(), "the request ended the first worker");
        startWorker(requests, 1, "poisonAfter=1");
        List<JsonNode> answers = awaitReplies(replies, 1);
        JsonNode error = byId(answers, 13).get("error");
        assertEquals(SqsAcceptor.POISON_ERROR_CODE, error.get("code").asInt());
        assertTrue(error.get("message").asText().contains("dead-letter"), error.toString());
        List<Message> dead = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (dead.isEmpty() && System.nanoTime() < deadline) {
            dead.addAll(sqs.receiveMessage(b -> b.queueUrl(deadLetters).waitTimeSeconds(1)).messages());
        }
        assertEquals(1, dead.size(), "the dead-letter queue took it");
        assertTrue(dead.get(0).body().contains("\"die\""));
    }

    @Test
    void sigtermAnswersTheRunningCallExitsZeroAndLeavesTheRestVisible() throws Exception {
        String requests = queue("requests", 30, null);
        String replies = queue("replies", 30, null);
        Path gate = dir.resolve("gate");
        send(requests, replies, work(1, dir.resolve("m1"), gate, 0), null);
        Process worker = startWorker(requests, 1, null);
        awaitCount(dir, "started", 1);
        send(requests, replies, "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"echo\",\"params\":[\"later\"]}", null);
        send(requests, replies, "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"echo\",\"params\":[\"later\"]}", null);
        worker.destroy();
        awaitLog(worker, "stopping");
        Files.createFile(gate);
        List<JsonNode> answers = awaitReplies(replies, 1);
        assertEquals(1, byId(answers, 1).get("result").asInt(), "the running call is answered");
        assertTrue(worker.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, worker.exitValue());
        List<Message> left = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (left.size() < 2 && System.nanoTime() < deadline) {
            left.addAll(sqs.receiveMessage(b -> b.queueUrl(requests).maxNumberOfMessages(10).waitTimeSeconds(1)).messages());
        }
        assertEquals(2, left.size(), "the requests not started are visible at once (the timeout is 30 s), the answered one is gone");
        left.forEach(m -> assertTrue(m.body().contains("echo")));
    }

    @Test
    void aRequestThatReachesAStoppingWorkersPollGoesBackAtOnce() throws Exception {
        // Visibility 120 s: a request lost to the poll of a worker gone would not come back within the test.
        String requests = queue("requests", 120, null);
        String replies = queue("replies", 30, null);
        Process stopping = startWorker(requests, 1, "waitSeconds=5");
        awaitLog(stopping, "worker listening on");
        stopping.destroy();
        awaitLog(stopping, "stopping");
        // The stopping worker's poll is under way: SQS may hand it this request.
        send(requests, replies, "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"echo\",\"params\":[\"after the stop\"]}", null);
        assertTrue(stopping.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, stopping.exitValue());
        startWorker(requests, 1, null);
        List<JsonNode> answers = awaitReplies(replies, 1);
        assertEquals("after the stop", byId(answers, 7).get("result").asText());
    }

    @Test
    void aSigtermWhileTheWorkerStartsEndsItCleanly() throws Exception {
        // An SQS endpoint that holds every request until the test lets it go: the SIGTERM comes
        // while the worker reads its queue's attributes, before it listens.
        CountDownLatch reached = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        HttpServer silent = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        silent.createContext("/", exchange -> {
            reached.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.sendResponseHeaders(500, -1);
            exchange.close();
        });
        silent.start();
        try {
            URI endpoint = URI.create("http://127.0.0.1:" + silent.getAddress().getPort());
            Path log = dir.resolve("worker-" + workers.size() + ".log");
            Process worker = QueueTestWorker.process(endpoint + "/000000000000/requests", null, 1, endpoint, log).start();
            workers.add(worker);
            assertTrue(reached.await(30, TimeUnit.SECONDS), "the worker reads its queue");
            worker.destroy();
            assertTrue(worker.waitFor(30, TimeUnit.SECONDS));
            String output = Files.readString(log);
            assertEquals(0, worker.exitValue(), output);
            assertTrue(output.contains("stopping"), output);
            assertFalse(output.contains("worker listening on"), "it never listened: " + output);
        } finally {
            release.countDown();
            silent.stop(0);
        }
    }

    @Test
    void aWorkerWhoseQueueCannotBeReadExitsWithTheError() throws Exception {
        String missing = queue("requests", 30, null) + "-missing";
        Process worker = startWorker(missing, 1, null);
        assertTrue(worker.waitFor(30, TimeUnit.SECONDS));
        assertNotEquals(0, worker.exitValue(), "a worker that cannot start does not end as if stopped");
        awaitLog(worker, "cannot read the request queue");
    }

    @Test
    void aRequestStillRunningAtItsDeadlineIsCancelledOnTheWorker() throws Exception {
        String requests = queue("requests", 30, null);
        String replies = queue("replies", 30, null);
        Path marker = dir.resolve("overdue");
        // No cancellation is ever sent: the deadline alone stops it.
        send(requests, replies, untilCancelled(5, marker), System.currentTimeMillis() + 3000);
        startWorker(requests, 2, null);
        JsonNode error = byId(awaitReplies(replies, 1), 5).get("error");
        assertEquals(-32800, error.get("code").asInt(), "answered as cancelled: " + error);
        assertEquals(List.of("started", "cancelled"), Files.readAllLines(marker));
        awaitEmpty(requests);
    }

    @Test
    void aCancellationThatArrivesBeforeItsRequestKeepsItFromRunning() throws Exception {
        String requests = queue("requests", 30, null);
        String replies = queue("replies", 30, null);
        Path marker = dir.resolve("never");
        send(requests, replies, "{\"jsonrpc\":\"2.0\",\"method\":\"$/cancelRequest\",\"params\":{\"id\":6}}", null);
        Process worker = startWorker(requests, 2, null);
        // The worker saw the cancellation, which names no request of its own, and handed it back.
        Await.until(() -> "1".equals(sqs.getQueueAttributes(b -> b.queueUrl(requests)
                .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes()
                .get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)), "the cancellation handed back");
        send(requests, replies, untilCancelled(6, marker), null);
        // The same id of another caller is not touched by it.
        String other = queue("other", 30, null);
        send(requests, other, "{\"jsonrpc\":\"2.0\",\"id\":6,\"method\":\"echo\",\"params\":[\"other\"]}", null);
        assertEquals("other", byId(awaitReplies(other, 1), 6).get("result").asText());
        awaitEmpty(requests);
        assertFalse(Files.exists(marker), "the cancelled request never ran");
        assertTrue(receive(replies, 1).isEmpty(), "nothing answers it: its caller has stopped waiting");
        assertTrue(worker.isAlive());
    }

    private String queue(String prefix, int visibilitySeconds, String redrivePolicy) {
        Map<QueueAttributeName, String> attributes = new HashMap<>();
        attributes.put(QueueAttributeName.VISIBILITY_TIMEOUT, Integer.toString(visibilitySeconds));
        if (redrivePolicy != null) {
            attributes.put(QueueAttributeName.REDRIVE_POLICY, redrivePolicy);
        }
        String url = server.newQueue(sqs, prefix, attributes);
        queues.add(url);
        return url;
    }

    private static String work(int id, Path marker, Path gate, long millis) {
        return "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"work\",\"params\":[\"" + marker + "\",\""
                + (gate == null ? "" : gate.toString()) + "\"," + millis + "]}";
    }

    private static String untilCancelled(int id, Path marker) {
        return "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"untilCancelled\",\"params\":[\"" + marker + "\"]}";
    }

    private void send(String queue, String replyTo, String body, Long deadlineMillis) {
        Map<String, MessageAttributeValue> attributes = new HashMap<>();
        attributes.put(QueueWire.REPLY_TO, MessageAttributeValue.builder().dataType("String").stringValue(replyTo).build());
        if (deadlineMillis != null) {
            attributes.put(QueueWire.DEADLINE,
                    MessageAttributeValue.builder().dataType("String").stringValue(Long.toString(deadlineMillis)).build());
        }
        sqs.sendMessage(b -> b.queueUrl(queue).messageBody(body).messageAttributes(attributes));
    }

    private Process startWorker(String queue, Integer concurrency, String settings) throws IOException {
        Process process = QueueTestWorker.process(queue, settings, concurrency, server.endpoint(),
                dir.resolve("worker-" + workers.size() + ".log")).start();
        workers.add(process);
        return process;
    }

    private void awaitLog(Process worker, String text) throws Exception {
        Path log = dir.resolve("worker-" + workers.indexOf(worker) + ".log");
        Await.until(() -> Files.readString(log).contains(text), "'" + text + "' in " + log);
    }

    /** Waits until the marker files in {@code directory} hold {@code count} lines {@code line} in all. */
    private static void awaitCount(Path directory, String line, int count) throws Exception {
        Await.until(() -> {
            int total = 0;
            try (var files = Files.list(directory)) {
                for (Path file : (Iterable<Path>) files::iterator) {
                    if (!file.getFileName().toString().endsWith(".log")) {
                        total += QueueTestWorker.count(file.toString(), line);
                    }
                }
            }
            return total >= count;
        }, count + " '" + line + "'");
    }

    private void awaitEmpty(String queue) throws Exception {
        Await.empty(sqs, queue);
    }

    private List<JsonNode> awaitReplies(String queue, int count) throws Exception {
        return awaitMessages(queue, count, isResponse());
    }

    /** Receives from {@code queue} until {@code count} of the messages match {@code wanted}; returns all of them. */
    private List<JsonNode> awaitMessages(String queue, int count, Predicate<JsonNode> wanted) throws Exception {
        List<JsonNode> replies = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(45);
        while (replies.stream().filter(wanted).count() < count) {
            if (System.nanoTime() > deadline) {
                fail("timed out waiting for " + count + " answers; got " + replies + workerLogs());
            }
            replies.addAll(receive(queue, 1));
        }
        return replies;
    }

    /** What the workers started by the test logged, for a failure's message. */
    private String workerLogs() throws IOException {
        StringBuilder logs = new StringBuilder();
        for (int i = 0; i < workers.size(); i++) {
            Path log = dir.resolve("worker-" + i + ".log");
            if (Files.exists(log)) {
                logs.append("\n--- worker ").append(i).append(" ---\n").append(Files.readString(log));
            }
        }
        return logs.toString();
    }

    private static Predicate<JsonNode> isResponse() {
        return node -> node.has("result") || node.has("error");
    }

    /** Receives and deletes what is on {@code queue} now, waiting at most {@code waitSeconds}. */
    private List<JsonNode> receive(String queue, int waitSeconds) throws IOException {
        List<JsonNode> bodies = new ArrayList<>();
        for (Message message : sqs.receiveMessage(b -> b.queueUrl(queue).maxNumberOfMessages(10).waitTimeSeconds(waitSeconds)).messages()) {
            bodies.add(JSON.readTree(message.body()));
            sqs.deleteMessage(b -> b.queueUrl(queue).receiptHandle(message.receiptHandle()));
        }
        return bodies;
    }

    private static JsonNode byId(List<JsonNode> messages, int id) {
        return messages.stream().filter(isResponse()).filter(m -> m.get("id").asInt() == id).findFirst()
                .orElseThrow(() -> new AssertionError("no answer for id " + id + " in " + messages));
    }
}
