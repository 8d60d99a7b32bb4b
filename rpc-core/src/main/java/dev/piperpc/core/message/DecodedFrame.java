package dev.piperpc.core.message;

import java.util.List;

/**
 * The content of one frame: a single message, or the members of a batch.
 *
 * @param messages the messages, in the order they appeared
 * @param batch    whether the frame was a batch (a JSON array); its responses then go back as one array
 */
public record DecodedFrame(List<Message> messages, boolean batch) {
    /** Copies the list. */
    public DecodedFrame {
        messages = List.copyOf(messages);
    }

    /** A frame holding one message. */
    public static DecodedFrame single(Message message) {
        return new DecodedFrame(List.of(message), false);
    }
}
