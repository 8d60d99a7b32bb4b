package dev.piperpc.core.transport;

import java.net.URI;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * Opens {@link Acceptor}s for the URI schemes it handles, found with {@link ServiceLoader}: a
 * module that can listen somewhere (the queue module for {@code sqs:}) lists its provider in
 * {@code META-INF/services/dev.piperpc.core.transport.AcceptorProvider}.
 */
public interface AcceptorProvider {

    /** Whether this provider opens acceptors for {@code scheme} (such as {@code sqs}), compared ignoring case. */
    boolean handles(String scheme);

    /**
     * Opens an acceptor for {@code uri}; it accepts nothing until {@link Acceptor#start started}.
     *
     * @throws IllegalArgumentException if the URI is not one this provider can use
     */
    Acceptor open(URI uri, Settings settings);

    /** The first provider on the class path (by {@link ServiceLoader}) that handles {@code scheme}. */
    static Optional<AcceptorProvider> find(String scheme) {
        for (AcceptorProvider provider : ServiceLoader.load(AcceptorProvider.class)) {
            if (provider.handles(scheme)) {
                return Optional.of(provider);
            }
        }
        return Optional.empty();
    }

    /**
     * What the server tells an acceptor about itself.
     *
     * @param concurrency how many calls the server runs at once: the acceptor takes no more work
     *                    than that at a time
     */
    record Settings(int concurrency) {
        /** Checks the values. */
        public Settings {
            if (concurrency <= 0) {
                throw new IllegalArgumentException("concurrency must be positive, not " + concurrency);
            }
        }
    }
}
