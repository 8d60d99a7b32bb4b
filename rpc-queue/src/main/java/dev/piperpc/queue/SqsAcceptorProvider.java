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
 * artifact is on the class path.
 */
public final class SqsAcceptorProvider implements AcceptorProvider {

    /** The scheme this provider handles. */
    public static final String SCHEME = "sqs";

    /** A provider; {@link java.util.ServiceLoader} makes it. */
    public SqsAcceptorProvider() {
    }

    @Override
    public boolean handles(String scheme) {
        return SCHEME.equalsIgnoreCase(scheme);
    }

    @Override
    public Acceptor open(URI uri, Settings settings) {
        String rest = uri.getRawSchemeSpecificPart();
        int question = rest.indexOf('?');
        String queueUrl = question < 0 ? rest : rest.substring(0, question);
        if (!queueUrl.startsWith("http://") && !queueUrl.startsWith("https://")) {
            throw new IllegalArgumentException("'" + uri + "' is not sqs:<queue URL> (http or https)");
        }
        SqsAcceptor.Builder builder = SqsAcceptor.builder(SqsClients.fromEnvironment(), queueUrl)
                .ownsClient(true).concurrency(settings.concurrency());
        if (question >= 0) {
            for (String pair : rest.substring(question + 1).split("&")) {
                int equals = pair.indexOf('=');
                String name = equals < 0 ? pair : pair.substring(0, equals);
                String value = equals < 0 ? "" : pair.substring(equals + 1);
                switch (name) {
                    case "poisonAfter" -> builder.poisonAfter(number(uri, name, value));
                    case "idleSeconds" -> builder.idleAfter(Duration.ofSeconds(number(uri, name, value)));
                    case "waitSeconds" -> builder.pollWait(Duration.ofSeconds(number(uri, name, value)));
                    default -> throw new IllegalArgumentException("'" + uri + "': unknown setting '" + name + "'");
                }
            }
        }
        return builder.build();
    }

    private static int number(URI uri, String name, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + uri + "': " + name + " must be a whole number, not '" + value + "'");
        }
    }
}
