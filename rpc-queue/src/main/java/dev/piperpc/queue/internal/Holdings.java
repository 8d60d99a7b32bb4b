package dev.piperpc.queue.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The request messages this worker holds, by SQS message id, and the slots they take: the worker
 * receives no more messages than it has free slots.
 */
final class Holdings {

    private final int slots;
    private final Map<String, HeldMessage> held = new ConcurrentHashMap<>();

    Holdings(int slots) {
        this.slots = slots;
    }

    /** The message held under {@code messageId}, or {@code null}. */
    HeldMessage get(String messageId) {
        return held.get(messageId);
    }

    void add(HeldMessage message) {
        held.put(message.messageId(), message);
    }

    /** Stops holding {@code message} and frees its slot. */
    void remove(HeldMessage message) {
        if (held.remove(message.messageId(), message)) {
            synchronized (this) {
                notifyAll();
            }
        }
    }

    int size() {
        return held.size();
    }

    int free() {
        return Math.max(0, slots - held.size());
    }

    /** Waits at most {@code millis} for a free slot. */
    synchronized void awaitFree(long millis) throws InterruptedException {
        if (free() == 0) {
            wait(millis);
        }
    }

    List<HeldMessage> all() {
        return new ArrayList<>(held.values());
    }
}
