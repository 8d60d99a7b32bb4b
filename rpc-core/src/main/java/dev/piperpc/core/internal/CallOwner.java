package dev.piperpc.core.internal;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.concurrent.Executor;

/** What a {@link PendingCall} needs from the endpoint that sent it. */
public interface CallOwner {
    /** Binds results. */
    ObjectMapper mapper();

    /** Runs callbacks. */
    Executor executor();

    /** The peer's name, for error messages. */
    String peerName();

    /** The call was cancelled or timed out locally: forget it and tell the peer, saying why ({@code reason}). */
    void abandoned(PendingCall<?> call, String reason);
}
