package dev.piperpc.queue;

import dev.piperpc.core.listen.CallListener;

/**
 * Hears what a {@link QueueClient} does, for metrics: its calls (as a {@link CallListener}; a
 * call the full outbox refuses ends with
 * {@link dev.piperpc.core.listen.CallOutcome.Kind#REFUSED}, one whose message SQS would not take
 * with {@link dev.piperpc.core.listen.CallOutcome.Kind#FAILED}), and when the client starts and
 * closes, so that gauges such as {@link QueueClient#stats()}{@code .messagesQueued()} (the
 * outbox's depth) are read only in between. Registered with {@link QueueClient.Builder#listener};
 * every method does nothing unless overridden.
 *
 * <p>Threads: as for {@link CallListener}, methods may run on the client's receiver and sender
 * threads and must be quick and never block; the client's start and close are told on the thread
 * that builds or closes it. What a method throws is logged and otherwise ignored.
 */
public interface QueueClientListener extends CallListener {

    /** {@code client} was built: its reply queue exists and its threads run. */
    default void clientStarted(QueueClient client) {
    }

    /** {@code client} has closed. Told once. */
    default void clientClosed(QueueClient client) {
    }
}
