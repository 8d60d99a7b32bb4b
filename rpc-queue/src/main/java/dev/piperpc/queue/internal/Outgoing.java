package dev.piperpc.queue.internal;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Consumer;

import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/**
 * One message waiting in an {@link SqsSender}: where it goes, its body, its attributes, and whom
 * to tell once SQS took it or it was given up on.
 *
 * @param queueUrl   the queue it goes to
 * @param body       the JSON text
 * @param size       what SQS counts against its message size limit: body and attributes, in bytes
 * @param attributes the message attributes
 * @param control    whether it may be queued past the sender's bound (a cancellation or an answer)
 * @param sent       run, once, when SQS accepted it; {@code null} when nobody waits for that
 * @param notSent    told, once, when it is given up on; {@code null} when nobody waits for it
 * @param blob       where the body's text is stored when the body is a claim-check pointer, or
 *                   {@code null}; a message given up on releases it
 */
record Outgoing(String queueUrl, String body, int size, Map<String, MessageAttributeValue> attributes, boolean control,
                Runnable sent, Consumer<RuntimeException> notSent, String blob) {

    private static final String STRING = "String";

    /** A message that carries its text itself. */
    Outgoing(String queueUrl, String body, int size, Map<String, MessageAttributeValue> attributes, boolean control,
             Runnable sent, Consumer<RuntimeException> notSent) {
        this(queueUrl, body, size, attributes, control, sent, notSent, null);
    }

    /**
     * Puts the String attribute {@code name} = {@code value} into {@code attributes}; returns the
     * bytes SQS counts for it against the message size limit.
     */
    static int attribute(Map<String, MessageAttributeValue> attributes, String name, String value) {
        attributes.put(name, MessageAttributeValue.builder().dataType(STRING).stringValue(value).build());
        return name.length() + STRING.length() + value.getBytes(StandardCharsets.UTF_8).length;
    }
}
