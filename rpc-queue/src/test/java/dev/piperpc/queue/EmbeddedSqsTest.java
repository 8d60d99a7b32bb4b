package dev.piperpc.queue;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class EmbeddedSqsTest {

    @Test
    void aMessageSentIsReceivedWithItsBodyByteForByte() {
        try (SqsClient sqs = EmbeddedSqs.get().client()) {
            String url = EmbeddedSqs.get().newQueue(sqs, "smoke", Map.of());
            String body = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"echo\",\"params\":[\"é\\u0000\"]}";
            sqs.sendMessage(b -> b.queueUrl(url).messageBody(body));
            List<Message> received = sqs.receiveMessage(b -> b.queueUrl(url).waitTimeSeconds(5)).messages();
            assertEquals(1, received.size());
            assertEquals(body, received.get(0).body());
        }
    }
}
