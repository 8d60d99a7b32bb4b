package dev.piperpc.core.internal;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.concurrent.Executor;

/** What a {@link PendingCall} needs from the endpoint that sent it. */
public interface CallOwner {
    /** Binds results. */
    ObjectMapper mapper();

    /** Binds results of type {@code Object} and {@code Object[]} without the mapper, or {@code null}: see {@link UntypedValues#of}. */
    default UntypedValues untypedValues() {
        return null;
    }

    /** Runs callbacks. */
    Executor executor();

    /** The peer's name, for error messages. */
    String peerName();

    /** The call was cancelled or timed out locally: forget it and tell the peer, saying why ({@code reason}). */
    void abandoned(PendingCall<?> call, String reason);

    /**
     * The calling thread waits for {@code call} until {@code untilNanos}: lets it read the
     * connection itself while the transport allows it (see
     * {@link dev.piperpc.core.transport.Transport#readWhileWaiting}); whether it read.
     */
    default boolean readWhileWaiting(PendingCall<?> call, long untilNanos) {
        return false;
    }

    /** A call whose waiting thread reads the connection ended on another thread: wake that thread. */
    default void wakeReader() {
    }
}
