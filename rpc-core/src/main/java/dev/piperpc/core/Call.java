package dev.piperpc.core;

import dev.piperpc.core.message.Id;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;

/**
 * An outgoing call that has been sent and will end exactly once: with a result, with the peer's
 * error ({@link RpcException}), or with a local error ({@link CallTimeoutException},
 * {@link CallCancelledException}, {@link ConnectionClosedException}, {@link ProtocolException}).
 *
 * @param <T> the result type
 */
public interface Call<T> {

    /** The request id. */
    Id id();

    /** The method called. */
    String method();

    /**
     * Waits for the call to end and returns its result. The wait is bounded by the call's timeout.
     *
     * @throws PiperpcException the error the call ended with
     */
    T join();

    /**
     * Waits at most {@code wait} for the call to end and returns its result.
     *
     * @throws JoinTimeoutException if {@code wait} runs out first; the call itself stays pending
     * @throws PiperpcException     the error the call ended with
     */
    T join(Duration wait);

    /** Whether the call has ended. */
    boolean isDone();

    /**
     * Cancels the call: it ends at once with {@link CallCancelledException}, and the peer is sent
     * a cancellation in the endpoint's {@link Dialect} ({@code $/cancelRequest} or
     * {@code notifications/cancelled}). A response that arrives later is dropped.
     *
     * @return whether this cancelled it ({@code false} if it had already ended)
     */
    boolean cancel();

    /**
     * Runs {@code callback} with the result (or {@code null}) and the error (or {@code null}) once
     * the call ends, on the endpoint's executor (never on the transport's I/O thread).
     *
     * @return this call
     */
    Call<T> whenDone(BiConsumer<? super T, ? super Throwable> callback);

    /**
     * A future completed when the call ends, on the endpoint's executor. Cancelling the future
     * cancels the call.
     */
    CompletableFuture<T> toCompletableFuture();

    /**
     * Waits for every call to end and returns their results in the order of {@code calls}
     * (scatter/gather).
     *
     * @throws PiperpcException the error of the first failed call in that order, once all have ended
     */
    static <T> List<T> joinAll(Collection<? extends Call<? extends T>> calls) {
        List<T> results = new ArrayList<>(calls.size());
        PiperpcException firstFailure = null;
        for (Call<? extends T> call : calls) {
            try {
                results.add(call.join());
            } catch (PiperpcException e) {
                if (firstFailure == null) {
                    firstFailure = e;
                }
                results.add(null);
            }
        }
        if (firstFailure != null) {
            throw firstFailure;
        }
        return results;
    }
}
