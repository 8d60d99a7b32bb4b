package dev.piperpc.core.internal;

import dev.piperpc.core.Call;

/**
 * Internal bookkeeping on the end of a {@link Call}: the one place that knows the calls an
 * endpoint makes are {@link PendingCall}s, whose hooks run on the thread that ends the call with
 * no hop to an executor.
 */
public final class CallHooks {

    private CallHooks() {
    }

    /**
     * Runs {@code listener} once {@code call} has ended: on the ending thread for an endpoint's
     * call, through {@link Call#whenDone} for any other. Quick, never blocking, never user code.
     */
    public static void onEnd(Call<?> call, Runnable listener) {
        if (call instanceof PendingCall<?> pending) {
            pending.onEnd(listener);
        } else {
            call.whenDone((result, error) -> listener.run());
        }
    }

    /**
     * Runs {@code listener} on the thread that ends {@code call}, before its outcome becomes
     * visible, so that whoever sees the call done also sees what {@code listener} did.
     *
     * @throws IllegalArgumentException if {@code call} was not made by an endpoint
     */
    public static void onEnding(Call<?> call, Runnable listener) {
        if (!(call instanceof PendingCall<?> pending)) {
            throw new IllegalArgumentException("not a call made by an endpoint: " + call);
        }
        pending.onEnding(listener);
    }
}
