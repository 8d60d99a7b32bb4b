package dev.piperpc.queue.internal;

import java.util.Map;
import java.util.function.Consumer;

import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/**
 * One message waiting in the outbox: its body, its attributes, and whom to tell if it cannot be
 * sent.
 *
 * @param body       the JSON text
 * @param size       what SQS counts against its message size limit: body and attributes, in bytes
 * @param attributes the message attributes
 * @param control    whether it was queued past the outbox's bound (a cancellation or an answer)
 * @param notSent    told, once, when the message is given up on; {@code null} when nobody waits for it
 */
record Outgoing(String body, int size, Map<String, MessageAttributeValue> attributes, boolean control,
                Consumer<RuntimeException> notSent) {
}
