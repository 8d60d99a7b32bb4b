package dev.piperpc.samples.chatbot;

import dev.piperpc.core.Rpc;

/**
 * Where the chat bot's jobs run. The bot itself only sees an {@link Rpc}: a pool of worker
 * processes on this machine ({@link PipeWorkers}) or worker processes behind an SQS request queue
 * ({@link QueueWorkers}) take the same calls.
 */
interface Workers extends AutoCloseable {

    /** Where calls go. */
    Rpc rpc();

    /** How many parts a job split over all workers gets. */
    int parallelism();

    /** A few lines on the workers, for the {@code status} command. */
    String status();

    /** Stops the workers, letting calls in flight finish. */
    @Override
    void close();
}
