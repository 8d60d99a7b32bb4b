package dev.piperpc.queue.internal;

import dev.piperpc.core.message.Id;
import dev.piperpc.core.transport.Transport;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The open connections of a queue worker, one per reply queue (one more for messages that name
 * none). A connection is opened by the first request for its reply queue and closed when it has
 * had nothing to do for a while; both happen under one lock, so a request is never handed to a
 * connection that is closing.
 */
final class ReplyConnections {

    private static final String NO_REPLY = "";

    private final Function<String, ReplyConnection> factory;
    private final Consumer<Transport> onConnection;
    private final Map<String, ReplyConnection> open = new HashMap<>();

    /**
     * @param factory      makes the connection of a reply queue ({@code null}: none)
     * @param onConnection connects a new connection to its endpoint
     */
    ReplyConnections(Function<String, ReplyConnection> factory, Consumer<Transport> onConnection) {
        this.factory = factory;
        this.onConnection = onConnection;
    }

    /** The open connection of {@code replyTo}, or {@code null}. */
    synchronized ReplyConnection get(String replyTo) {
        return open.get(key(replyTo));
    }

    /**
     * Opens (or reuses) the connection of {@code replyTo} and makes it expect answers for
     * {@code ids}, the requests of the message {@code held} makes for it; returns that message, or
     * {@code null} when one of the ids already runs there (under another message), and then
     * nothing is expected.
     */
    synchronized HeldMessage expect(String replyTo, List<Id> ids, Function<ReplyConnection, HeldMessage> held) {
        ReplyConnection connection = open.get(key(replyTo));
        if (connection == null) {
            connection = factory.apply(replyTo);
            onConnection.accept(connection);
            open.put(key(replyTo), connection);
        }
        if (!connection.canExpect(ids)) {
            return null;
        }
        HeldMessage message = held.apply(connection);
        connection.expect(ids, message);
        return message;
    }

    /** Whether an endpoint has stopped reading (its queue is full): then nothing more is received. */
    synchronized boolean anyPaused() {
        for (ReplyConnection connection : open.values()) {
            if (!connection.isReading()) {
                return true;
            }
        }
        return false;
    }

    /** Closes the connections that have had nothing to do for {@code idleNanos}. */
    void closeIdle(long idleNanos) {
        List<ReplyConnection> idle = new ArrayList<>();
        synchronized (this) {
            open.values().removeIf(connection -> {
                if (connection.isIdle(idleNanos)) {
                    idle.add(connection);
                    return true;
                }
                return false;
            });
        }
        idle.forEach(ReplyConnection::close);
    }

    /** Closes every connection. */
    void closeAll() {
        List<ReplyConnection> all;
        synchronized (this) {
            all = new ArrayList<>(open.values());
            open.clear();
        }
        all.forEach(ReplyConnection::close);
    }

    private static String key(String replyTo) {
        return replyTo == null ? NO_REPLY : replyTo;
    }
}
