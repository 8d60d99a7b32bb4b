package dev.piperpc.queue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A worker for the tests, on the raw AWS SDK: it consumes the request queue, answers each request
 * on the queue its {@code piperpc-reply-to} names, and deletes it. Methods: {@code echo(x)},
 * {@code add(a, b)} (by position or by name), {@code fail()} (an error object), {@code twice(x)}
 * (answers twice, as a redelivery would), {@code never()} (no answer), {@code held(x)} (answers
 * once {@link #release} is opened). Everything it receives is kept for assertions.
 */
final class TestResponder implements AutoCloseable {

    /** One message as the responder received it. */
    record Received(JsonNode body, Map<String, MessageAttributeValue> attributes, long receivedMillis) {
        String attribute(String name) {
            MessageAttributeValue value = attributes.get(name);
            return value == null ? null : value.stringValue();
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    final CountDownLatch release = new CountDownLatch(1);
    final CountDownLatch heldArrived = new CountDownLatch(1);
    private final SqsClient sqs;
    private final String queueUrl;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final ExecutorService workers = Executors.newCachedThreadPool(r -> {
        Thread thread = new Thread(r, "test-responder-worker");
        thread.setDaemon(true);
        return thread;
    });
    private final Thread poller;
    private volatile boolean stopped;

    TestResponder(SqsClient sqs, String queueUrl) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
        this.poller = new Thread(this::poll, "test-responder");
        poller.setDaemon(true);
        poller.start();
    }

    /** What arrived so far. */
    List<Received> received() {
        return List.copyOf(received);
    }

    private void poll() {
        while (!stopped) {
            List<Message> messages;
            try {
                messages = sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(1)
                        .messageAttributeNames("All")).messages();
            } catch (SdkException e) {
                if (stopped) {
                    return;
                }
                continue;
            }
            for (Message message : messages) {
                workers.execute(() -> handle(message));
            }
        }
    }

    private void handle(Message message) {
        try {
            JsonNode body = JSON.readTree(message.body());
            Received in = new Received(body, message.messageAttributes(), System.currentTimeMillis());
            received.add(in);
            String replyTo = in.attribute(QueueWire.REPLY_TO);
            if (body.isArray()) {
                List<CompletableFuture<JsonNode>> answers = new ArrayList<>();
                body.forEach(member -> answers.add(CompletableFuture.supplyAsync(() -> answer(member), workers)));
                ArrayNode out = JSON.createArrayNode();
                answers.forEach(a -> {
                    JsonNode answer = a.join();
                    if (answer != null) {
                        out.add(answer);
                    }
                });
                if (!out.isEmpty()) {
                    reply(replyTo, out, 1);
                }
            } else {
                JsonNode answer = answer(body);
                if (answer != null) {
                    reply(replyTo, answer, "twice".equals(body.path("method").asText()) ? 2 : 1);
                }
            }
            sqs.deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(message.receiptHandle()));
        } catch (Exception e) {
            if (!stopped) {
                throw new IllegalStateException(e);
            }
        }
    }

    private void reply(String replyTo, JsonNode answer, int times) throws Exception {
        String text = JSON.writeValueAsString(answer);
        for (int i = 0; i < times; i++) {
            sqs.sendMessage(b -> b.queueUrl(replyTo).messageBody(text));
        }
    }

    /** The response to one request, or {@code null} for a notification or a request left unanswered. */
    private JsonNode answer(JsonNode request) {
        if (!request.has("id")) {
            return null;
        }
        JsonNode params = request.path("params");
        ObjectNode response = JSON.createObjectNode().put("jsonrpc", "2.0");
        response.set("id", request.get("id"));
        switch (request.path("method").asText()) {
            case "echo", "twice" -> response.set("result", params.get(0));
            case "add" -> response.put("result", params.isArray() ? params.get(0).asInt() + params.get(1).asInt()
                    : params.get("a").asInt() + params.get("b").asInt());
            case "held" -> {
                heldArrived.countDown();
                try {
                    if (!release.await(60, TimeUnit.SECONDS)) {
                        return null;
                    }
                } catch (InterruptedException e) {
                    return null;
                }
                response.set("result", params.get(0));
            }
            case "never" -> {
                return null;
            }
            case "fail" -> response.putObject("error").put("code", -32000).put("message", "failed on purpose");
            default -> response.putObject("error").put("code", -32601).put("message", "method not found");
        }
        return response;
    }

    @Override
    public void close() throws InterruptedException {
        stopped = true;
        release.countDown();
        sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody("{}")); // ends a poll under way
        poller.join(10_000);
        workers.shutdownNow();
    }
}
