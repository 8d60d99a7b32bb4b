package dev.piperpc.core.internal;

import dev.piperpc.core.Batch;
import dev.piperpc.core.Endpoint;

import java.util.List;
import java.util.function.Consumer;

/**
 * Makes a {@link Batch} whose calls are handed to a hook just before it is sent: for a pool that
 * must reserve room for them on the worker the batch goes to. {@code Batch} hands its constructor
 * over at class initialization, so the API offers no such hook to users.
 */
public final class BatchAccess {

    /** Makes a batch on an endpoint with a hook. */
    public interface Factory {
        /** A batch on {@code endpoint} whose calls go to {@code beforeSend} just before it is sent. */
        Batch create(Endpoint endpoint, Consumer<List<PendingCall<?>>> beforeSend);
    }

    private static volatile Factory factory;

    private BatchAccess() {
    }

    /** Called once, by {@link Batch}'s static initializer. */
    public static void install(Factory installed) {
        if (factory != null) {
            throw new IllegalStateException("already installed");
        }
        factory = installed;
    }

    /**
     * A batch on {@code endpoint} whose calls are handed to {@code beforeSend} just before it is
     * sent. If {@code beforeSend} throws, nothing is sent, the batch's calls end with what it threw,
     * and {@code send()} throws it.
     */
    public static Batch create(Endpoint endpoint, Consumer<List<PendingCall<?>>> beforeSend) {
        Factory installed = factory;
        if (installed == null) {
            try {
                // Initializing Batch installs the factory.
                Class.forName(Batch.class.getName(), true, Batch.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException(e);
            }
            installed = factory;
        }
        return installed.create(endpoint, beforeSend);
    }
}
