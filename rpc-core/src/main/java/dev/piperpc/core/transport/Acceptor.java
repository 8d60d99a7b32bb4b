package dev.piperpc.core.transport;

import java.time.Duration;
import java.util.function.Consumer;

/**
 * A source of incoming connections: what a worker listens on when it is not serving its own stdin
 * and stdout (a request queue shared by many worker hosts, for instance). The worker serves every
 * accepted {@link Transport} with the same handlers and the same bounded executor.
 *
 * <p>Lifecycle: {@link #start} once; then, to shut down, {@link #stopAccepting()} (no new work is
 * taken, work received but not started is handed back to the peer), let the running calls finish
 * and answer, and {@link #close(Duration)}. A stop can come at any time (a SIGTERM while the
 * worker starts): {@code stopAccepting} and {@code close} may be called before {@code start} or
 * while it runs, from another thread; {@code start} then leaves nothing running and returns.
 *
 * <p>An acceptor bounds what it takes by the concurrency it was opened with
 * ({@link AcceptorProvider.Settings#concurrency()}): it accepts no more work than that many calls
 * at a time.
 */
public interface Acceptor extends AutoCloseable {

    /**
     * Starts accepting. {@code onConnection} is called, from the acceptor's own thread, for each
     * new connection before any message of it is delivered; it connects an endpoint to it (which
     * starts the transport). A connection may be closed by the acceptor later (when idle, or at
     * {@link #close}); its listener then sees {@link Transport.Listener#onClosed}. Returns once
     * the acceptor accepts, or at once if it was closed before or while it started.
     *
     * @throws dev.piperpc.core.ConnectionClosedException if the acceptor cannot start (and was not closed)
     */
    void start(Consumer<Transport> onConnection);

    /**
     * Stops taking new work from the peers; work received but not yet started is handed back
     * to them at once. Connections stay open, so calls that are running can still answer.
     * Idempotent; any thread.
     */
    void stopAccepting();

    /**
     * Stops accepting, waits at most {@code grace} for answers already given to connections to
     * leave, then closes every connection and releases what the acceptor holds. Idempotent.
     */
    void close(Duration grace);

    /** Closes as {@link #close(Duration)} does, with a grace of 5 s. */
    @Override
    default void close() {
        close(Duration.ofSeconds(5));
    }

    /** A short name for messages and logs, such as {@code sqs:https://.../requests}. */
    String name();
}
