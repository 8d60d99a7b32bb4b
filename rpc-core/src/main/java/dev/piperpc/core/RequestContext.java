package dev.piperpc.core;

import dev.piperpc.core.message.Id;
import dev.piperpc.core.message.RawJson;

/** An incoming request or notification being handled, as its handler sees it. */
public interface RequestContext {

    /** The method name. */
    String method();

    /** The request id, or {@code null} for a notification. */
    Id id();

    /** The params as raw JSON, or {@code null} if there are none. */
    RawJson params();

    /** The params bound to {@code type}; -32602 (invalid params) is answered if they do not fit. */
    <T> T params(Class<T> type);

    /** Whether the caller cancelled this request ({@code $/cancelRequest} or {@code notifications/cancelled}). */
    boolean isCancelled();

    /** The dialect of the connection: the one a handler's progress and log reports are sent in. */
    Dialect dialect();

    /** The connection the request came in on: use it to notify or call the peer back. */
    Rpc endpoint();

    /**
     * The request being handled on the current thread, while a handler runs.
     *
     * @throws IllegalStateException outside a handler
     */
    static RequestContext current() {
        RequestContext context = dev.piperpc.core.internal.IncomingCall.current();
        if (context == null) {
            throw new IllegalStateException("not inside a request handler");
        }
        return context;
    }
}
