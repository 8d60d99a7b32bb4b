package dev.piperpc.queue;

import dev.piperpc.core.transport.Acceptor;
import dev.piperpc.core.transport.AcceptorProvider;

import java.net.URI;
import java.time.Duration;

/**
 * Listens on {@code sqs:} URIs: {@code sqs:<request queue URL>}, optionally followed by
 * {@code ?poisonAfter=N} (receives before a message is given up as poison, default 5) and
 * {@code &idleSeconds=N} (how long a silent manager's connection stays open). The SQS client
 * comes from {@link SqsClients#fromEnvironment()}; the worker's concurrency bounds the messages
 * held. Found by {@link java.util.ServiceLoader}, so {@code PIPERPC_LISTEN=sqs:...} works when this
 * artifact is on the class path. When the environment variable {@value #BLOB_STORE_ENV} names a
 * blob store ({@code file:DIR} or {@code s3://BUCKET/PREFIX}, see {@link BlobStore#open}), the
 * acceptor uses it for texts too big for a message (claim-check), and closes it when it closes.
 */
public final class SqsAcceptorProvider implements AcceptorProvider {

    /** The scheme this provider handles. */
    public static final String SCHEME = "sqs";
    /** The environment variable that names the blob store of a worker: {@code file:DIR} or {@code s3://BUCKET/PREFIX}. */
    public static final String BLOB_STORE_ENV = "PIPERPC_BLOB_STORE";

    /** A provider; {@link java.util.ServiceLoader} makes it. */
    public SqsAcceptorProvider() {
    }

    @Override
    public boolean handles(String scheme) {
        return SCHEME.equalsIgnoreCase(scheme);
    }

    /**
     * {@inheritDoc} Its blob store is the one {@value #BLOB_STORE_ENV} names, if it is set.
     *
     * @throws IllegalArgumentException if the URI or the blob store spec is not valid
     */
    @Override
    public Acceptor open(URI uri, Settings settings) {
        return open(uri, settings, System.getenv(BLOB_STORE_ENV));
    }

    /**
     * The acceptor {@code uri} names, as {@link #open(URI, Settings)} makes it, with the blob store
     * {@code blobStore} names ({@code file:DIR} or {@code s3://BUCKET/PREFIX}; {@code null} or blank:
     * none), opened here and closed with the acceptor.
     *
     * @param uri       {@code sqs:<request queue URL>}, with settings as described above
     * @param settings  the worker's settings
     * @param blobStore the blob store spec, or {@code null}
     * @return the acceptor, not started
     * @throws IllegalArgumentException if the URI or the blob store spec is not valid
     * @throws IllegalStateException    for an {@code s3://} store without the AWS SDK's {@code s3} module
     */
    public static SqsAcceptor open(URI uri, Settings settings, String blobStore) {
        String rest = uri.getRawSchemeSpecificPart();
        int question = rest.indexOf('?');
        String queueUrl = question < 0 ? rest : rest.substring(0, question);
        if (!queueUrl.startsWith("http://") && !queueUrl.startsWith("https://")) {
            throw new IllegalArgumentException("'" + uri + "' is not sqs:<queue URL> (http or https)");
        }
        int poisonAfter = 5;
        Duration idleAfter = null;
        Duration pollWait = null;
        if (question >= 0) {
            for (String pair : rest.substring(question + 1).split("&")) {
                int equals = pair.indexOf('=');
                String name = equals < 0 ? pair : pair.substring(0, equals);
                String value = equals < 0 ? "" : pair.substring(equals + 1);
                switch (name) {
                    case "poisonAfter" -> poisonAfter = number(uri, name, value);
                    case "idleSeconds" -> idleAfter = Duration.ofSeconds(number(uri, name, value));
                    case "waitSeconds" -> pollWait = Duration.ofSeconds(number(uri, name, value));
                    default -> throw new IllegalArgumentException("'" + uri + "': unknown setting '" + name + "'");
                }
            }
        }
        BlobStore store = blobStore == null || blobStore.isBlank() ? null : BlobStore.open(blobStore.trim());
        try {
            SqsAcceptor.Builder builder = SqsAcceptor.builder(SqsClients.fromEnvironment(), queueUrl)
                    .ownsClient(true).concurrency(settings.concurrency()).poisonAfter(poisonAfter);
            if (idleAfter != null) {
                builder.idleAfter(idleAfter);
            }
            if (pollWait != null) {
                builder.pollWait(pollWait);
            }
            if (store != null) {
                builder.ownedBlobStore(store);
            }
            return builder.build();
        } catch (RuntimeException e) {
            if (store != null) {
                store.close();
            }
            throw e;
        }
    }

    private static int number(URI uri, String name, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + uri + "': " + name + " must be a whole number, not '" + value + "'");
        }
    }
}
