package dev.piperpc.core;

import dev.piperpc.core.internal.CallHooks;

import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Takes calls in the order they end, not the order they were sent (send/fetch). Calls from any
 * endpoint may be added.
 *
 * <pre>{@code
 * CompletionQueue<String> queue = new CompletionQueue<>();
 * for (String url : urls) queue.add(rpc.send("fetch", Params.of(url), String.class));
 * while (queue.outstanding() > 0) handle(queue.take());
 * }</pre>
 *
 * @param <T> the result type
 */
public final class CompletionQueue<T> {

    private final LinkedBlockingQueue<Call<T>> ended = new LinkedBlockingQueue<>();
    private final AtomicInteger outstanding = new AtomicInteger();

    /**
     * Adds a call; it is handed out by {@link #take()} once it ends.
     *
     * @return {@code call}
     */
    public Call<T> add(Call<T> call) {
        outstanding.incrementAndGet();
        CallHooks.onEnd(call, () -> ended.add(call));
        return call;
    }

    /** Number of added calls not yet taken. */
    public int outstanding() {
        return outstanding.get();
    }

    /**
     * Waits for the next call to end and returns it. Every call ends (at the latest at its timeout),
     * so this does not wait forever while calls are outstanding.
     *
     * @throws IllegalStateException if no call is outstanding
     */
    public Call<T> take() {
        if (outstanding.get() == 0) {
            throw new IllegalStateException("no call outstanding");
        }
        try {
            Call<T> call = ended.take();
            outstanding.decrementAndGet();
            return call;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PiperpcException("interrupted while waiting for a call to end", e);
        }
    }

    /** The next call to end within {@code wait}, or {@code null} if none did. */
    public Call<T> poll(Duration wait) {
        try {
            Call<T> call = ended.poll(wait.toNanos(), TimeUnit.NANOSECONDS);
            if (call != null) {
                outstanding.decrementAndGet();
            }
            return call;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PiperpcException("interrupted while waiting for a call to end", e);
        }
    }
}
