package dev.piperpc.core.internal;

import dev.piperpc.core.Endpoint;
import dev.piperpc.core.listen.CallListener;
import dev.piperpc.core.transport.Transport;

/**
 * Connects an endpoint that reports to a listener of its own besides the one its builder names:
 * for a pool or a queue client, whose listener hears of the calls on the connections they make
 * without writing into the endpoint builder they were given. {@code Endpoint} hands its way of
 * doing so over at class initialization, so the API offers no such hook to users.
 */
public final class EndpointAccess {

    /** Connects an endpoint with an added listener. */
    public interface Connector {
        /** An endpoint built by {@code builder} on {@code transport}, reporting to {@code listener} too. */
        Endpoint connect(Endpoint.Builder builder, Transport transport, CallListener listener);
    }

    private static volatile Connector connector;

    private EndpointAccess() {
    }

    /** Called once, by {@link Endpoint}'s static initializer. */
    public static void install(Connector installed) {
        if (connector != null) {
            throw new IllegalStateException("already installed");
        }
        connector = installed;
    }

    /**
     * Starts an endpoint built by {@code builder} on {@code transport} whose calls and requests are
     * reported to {@code listener} ({@code null}: none) as well as to the builder's own listener.
     */
    public static Endpoint connect(Endpoint.Builder builder, Transport transport, CallListener listener) {
        Connector installed = connector;
        if (installed == null) {
            try {
                // Initializing Endpoint installs the connector.
                Class.forName(Endpoint.class.getName(), true, Endpoint.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException(e);
            }
            installed = connector;
        }
        return installed.connect(builder, transport, listener);
    }
}
