package dev.piperpc.core.internal;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.concurrent.Executor;

/** The owner of calls made in a test without an endpoint: a plain mapper, listeners run inline, nothing told of abandoned calls. */
final class InlineCallOwner implements CallOwner {

    private final ObjectMapper mapper = new ObjectMapper();

    @Override
    public ObjectMapper mapper() {
        return mapper;
    }

    @Override
    public Executor executor() {
        return Runnable::run;
    }

    @Override
    public String peerName() {
        return "peer";
    }

    @Override
    public void abandoned(PendingCall<?> call, String reason) {
    }
}
