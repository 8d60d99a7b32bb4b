package dev.piperpc.core;

import dev.piperpc.core.internal.ProxyFactory;
import dev.piperpc.core.message.Id;

import java.lang.reflect.Type;
import java.time.Duration;

/**
 * The call styles shared by a single connection ({@link Endpoint}) and by a pool of workers: send
 * now and join later, call and wait, notify, and typed proxies. Callbacks, scatter/gather and
 * send/fetch build on the {@link Call}s these return.
 */
public interface Rpc {

    /**
     * Sends a call and returns at once. The result will be bound to {@code resultType}
     * ({@link dev.piperpc.core.message.RawJson} keeps it unparsed, {@link Void} ignores it). The
     * call times out after {@link #defaultCallTimeout()}.
     *
     * @throws IllegalArgumentException if the params cannot be serialized
     */
    <T> Call<T> send(String method, Params params, Class<T> resultType);

    /** Sends a call that times out after {@code timeout}; see {@link #send(String, Params, Class)}. */
    <T> Call<T> send(String method, Params params, Class<T> resultType, Duration timeout);

    /** Sends a call whose result is bound to a generic type, such as {@code List<Item>}. */
    <T> Call<T> send(String method, Params params, Type resultType, Duration timeout);

    /**
     * Sends a call under an id of the caller's choosing, as it is on the wire: for a caller that
     * speaks of the request to the peer itself (writes its own {@code $/cancelRequest}, or matches
     * progress to it), as a protocol session in a terminal does. Otherwise as
     * {@link #send(String, Params, Type, Duration)}. The id names one call in flight on its
     * connection: while a call with that id has not ended there, another is refused. A numeric id
     * can clash with the ids the connection gives its other calls (from 1 up): that clash is refused
     * too; strings never clash.
     *
     * @throws IllegalArgumentException if {@code id} is the null id
     * @throws IllegalStateException    if a call with that id is in flight on the connection (nothing was sent)
     */
    <T> Call<T> send(Id id, String method, Params params, Type resultType, Duration timeout);

    /**
     * Calls and waits for the result (the synchronous style).
     *
     * @throws PiperpcException the error the call ended with
     */
    default <T> T call(String method, Params params, Class<T> resultType) {
        return send(method, params, resultType).join();
    }

    /**
     * Sends a notification: no id, no response.
     *
     * @throws ConnectionClosedException if the connection is closed
     */
    void notify(String method, Params params);

    /** How long calls wait for their response unless given their own timeout. */
    Duration defaultCallTimeout();

    /**
     * A typed proxy: each method of {@code api} calls the method of the same name (or the name in
     * its {@code @JsonRpcMethod}). Methods returning {@link java.util.concurrent.CompletableFuture}
     * return at once; others wait for the result. Params are sent by name when every parameter has
     * a {@code @JsonRpcParam}, else by position.
     */
    default <A> A proxy(Class<A> api) {
        return ProxyFactory.create((method, params, resultType) -> send(method, params, resultType, defaultCallTimeout()),
                toString(), api);
    }
}
