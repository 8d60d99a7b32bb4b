package dev.piperpc.queue.internal;

import dev.piperpc.queue.QueueWire;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/** What a received SQS message says besides its body: its attributes, read leniently. */
final class Received {

    private Received() {
    }

    /** The string attribute {@code name}, or {@code null}. */
    static String attribute(Message message, String name) {
        MessageAttributeValue value = message.messageAttributes().get(name);
        return value == null ? null : value.stringValue();
    }

    /**
     * The message's {@link QueueWire#DEADLINE} in epoch milliseconds; none, or one that cannot be
     * read, is no deadline ({@code Long.MAX_VALUE}).
     */
    static long deadlineMillis(Message message) {
        String deadline = attribute(message, QueueWire.DEADLINE);
        try {
            return deadline == null ? Long.MAX_VALUE : Long.parseLong(deadline.trim());
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }

    /** How many times SQS has handed the message out, this time included. */
    static int receiveCount(Message message) {
        String count = message.attributes().get(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT);
        try {
            return count == null ? 1 : Integer.parseInt(count);
        } catch (NumberFormatException e) {
            return 1;
        }
    }
}
