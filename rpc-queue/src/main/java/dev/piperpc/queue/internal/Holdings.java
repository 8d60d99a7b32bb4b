package dev.piperpc.queue.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The request messages this worker holds, by SQS message id, and the slots they take: the worker
 * receives no more messages than it has free slots. A message takes its slot while it runs; once
 * its answer was sent it frees the slot and is held only until its delete is done (so that a
 * redelivery meanwhile is still recognised and not run again).
 */
final class Holdings {

    private final int slots;
    private final Map<String, HeldMessage> held = new ConcurrentHashMap<>();
    private int running;

    Holdings(int slots) {
        this.slots = slots;
    }

    /** The message held under {@code messageId}, or {@code null}. */
    HeldMessage get(String messageId) {
        return held.get(messageId);
    }

    synchronized void add(HeldMessage message) {
        held.put(message.messageId(), message);
        running++;
    }

    /** {@code message} was answered: its slot is free, though it is held until deleted. */
    synchronized void answered(HeldMessage message) {
        if (held.get(message.messageId()) == message && message.finish()) {
            running--;
            notifyAll();
        }
    }

    /** Stops holding {@code message} and frees its slot if it still had one. */
    synchronized void remove(HeldMessage message) {
        if (held.remove(message.messageId(), message)) {
            if (message.finish()) {
                running--;
            }
            notifyAll();
        }
    }

    /** Messages held, running or waiting for their delete. */
    int size() {
        return held.size();
    }

    synchronized int free() {
        return Math.max(0, slots - running);
    }

    /** Waits at most {@code millis} for {@code slots} free slots. */
    synchronized void awaitFree(int slots, long millis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        long left;
        while (free() < slots && (left = deadline - System.nanoTime()) > 0) {
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }

    /** The slots: how many messages may run at once. */
    int slots() {
        return slots;
    }

    /** Messages that take a slot now. */
    synchronized int running() {
        return running;
    }

    /** How many messages received less than {@code nanos} ago are still unanswered. */
    int unansweredSince(long nanos) {
        long now = System.nanoTime();
        int count = 0;
        for (HeldMessage message : held.values()) {
            if (!message.isFinished() && now - message.receivedNanos() < nanos) {
                count++;
            }
        }
        return count;
    }

    /** The messages held. */
    List<HeldMessage> all() {
        return new ArrayList<>(held.values());
    }
}
