package dev.piperpc.core.internal;

import com.fasterxml.jackson.databind.JavaType;
import dev.piperpc.core.Call;
import dev.piperpc.core.CallCancelledException;
import dev.piperpc.core.CallTimeoutException;
import dev.piperpc.core.JoinTimeoutException;
import dev.piperpc.core.PiperpcException;
import dev.piperpc.core.ProtocolException;
import dev.piperpc.core.message.Id;
import dev.piperpc.core.message.RawJson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * The one implementation of {@link Call}. It ends exactly once, by a compare-and-set. Internal
 * bookkeeping registered with {@link #onEnding} (such as a pool's in-flight count) runs before the
 * outcome becomes visible, so a caller that sees the call done also sees its effects. Ending it
 * wakes threads blocked in {@link #join()} directly, with no thread hop; callbacks and
 * futures are handed to the owner's executor, so whoever ends the call (the transport's I/O thread)
 * never runs user code. The raw result is bound to the result type lazily, by the thread that asks.
 */
public final class PendingCall<T> implements Call<T> {

    private static final Logger log = LoggerFactory.getLogger(PendingCall.class);
    private static final VarHandle ENDING;
    private static final VarHandle READER;
    private static final VarHandle FIRST_ENDING;
    /** {@link #firstEnding} once the call has run it: listeners added later run at once. */
    private static final Runnable FIRST_ENDING_RAN = () -> { };
    /** A listener list once its phase of ending has passed: listeners added later run at once. */
    private static final List<Runnable> ENDED = Collections.unmodifiableList(new ArrayList<>(0));

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            ENDING = lookup.findVarHandle(PendingCall.class, "ending", boolean.class);
            READER = lookup.findVarHandle(PendingCall.class, "reader", Thread.class);
            FIRST_ENDING = lookup.findVarHandle(PendingCall.class, "firstEnding", Runnable.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final CallOwner owner;
    private final long id;
    private final Id chosenId;
    private final String method;
    private final JavaType resultType;
    private final long timeoutNanos;
    private final long deadlineNanos;

    /** Set by the one thread that ends the call. */
    private volatile boolean ending;
    /** {@code null} while pending; then a {@link RawJson} result or a {@link PiperpcException}. */
    private volatile Object outcome;
    /** What the call ends with, from the start of its ending; guarded by this call's lock. */
    private Object endingWith;
    private List<Runnable> executorListeners;
    private List<Runnable> endingListeners;
    /**
     * The first ending listener, added without the call's lock (a pool's release, added by the
     * caller while the response may already be ending the call); the others go to the list.
     */
    private volatile Runnable firstEnding;
    private List<Runnable> inlineListeners;
    private int waiters;
    /** The thread that waits for this call reading the connection itself, while it does. */
    private volatile Thread reader;
    private boolean bound;
    private T value;
    private PiperpcException bindFailure;
    private CompletableFuture<T> future;

    /** A call with request id {@code id}, ending by {@code timeout} at the latest. */
    public PendingCall(CallOwner owner, long id, String method, JavaType resultType, Duration timeout) {
        this(owner, id, null, method, resultType, timeout);
    }

    /**
     * A call whose request id was chosen by its caller ({@code chosenId}; {@code null}: the
     * endpoint's {@code id}), ending by {@code timeout} at the latest.
     */
    public PendingCall(CallOwner owner, long id, Id chosenId, String method, JavaType resultType, Duration timeout) {
        this.owner = owner;
        this.id = id;
        this.chosenId = chosenId;
        this.method = method;
        this.resultType = resultType;
        this.timeoutNanos = timeout.toNanos();
        long now = System.nanoTime();
        this.deadlineNanos = now + timeoutNanos;
    }

    /** The numeric request id the endpoint gave the call (its id on the wire unless {@link #chosenId()} is set). */
    public long numericId() {
        return id;
    }

    /** The request id its caller chose, or {@code null} when the endpoint chose it ({@link #numericId()}). */
    public Id chosenId() {
        return chosenId;
    }

    /** When the call times out, in {@link System#nanoTime()} terms. */
    public long deadlineNanos() {
        return deadlineNanos;
    }

    @Override
    public Id id() {
        return chosenId != null ? chosenId : Id.of(id);
    }

    @Override
    public String method() {
        return method;
    }

    /** Ends the call with a result. */
    public boolean succeed(RawJson result) {
        return end(result);
    }

    /** Ends the call with an error. */
    public boolean fail(PiperpcException error) {
        return end(error);
    }

    /** Ends the call with a timeout error and tells the owner. */
    public boolean expire() {
        return end(new CallTimeoutException("no response to '" + method + "' (id " + id() + ") from "
                + owner.peerName() + " within " + Duration.ofNanos(timeoutNanos)),
                () -> owner.abandoned(this, "no response within " + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms"));
    }

    private boolean end(Object result) {
        return end(result, null);
    }

    /**
     * Ends the call with {@code result}, once: runs the ending listeners, then {@code beforeOutcome}
     * (the owner's word to the peer, queued before anyone waiting can see the call ended and close
     * the connection), then makes the outcome visible.
     */
    private boolean end(Object result, Runnable beforeOutcome) {
        if (!ENDING.compareAndSet(this, false, true)) {
            return false;
        }
        List<Runnable> ending;
        synchronized (this) {
            ending = endingListeners;
            endingListeners = ENDED;
            endingWith = result;
        }
        Runnable first = (Runnable) FIRST_ENDING.getAndSet(this, FIRST_ENDING_RAN);
        if (first != null) {
            first.run();
        }
        if (ending != null) {
            ending.forEach(Runnable::run);
        }
        if (beforeOutcome != null) {
            beforeOutcome.run();
        }
        List<Runnable> inline;
        List<Runnable> deferred;
        synchronized (this) {
            outcome = result;
            if (waiters > 0) {
                notifyAll();
            }
            inline = inlineListeners;
            deferred = executorListeners;
            inlineListeners = ENDED;
            executorListeners = null;
        }
        Thread waitingReader = reader;
        if (waitingReader != null && waitingReader != Thread.currentThread()) {
            owner.wakeReader();
        }
        if (inline != null) {
            inline.forEach(Runnable::run);
        }
        if (deferred != null) {
            owner.executor().execute(() -> deferred.forEach(PendingCall::runSafely));
        }
        return true;
    }

    private static void runSafely(Runnable listener) {
        try {
            listener.run();
        } catch (RuntimeException | Error e) {
            log.warn("a call's callback threw", e);
        }
    }

    /**
     * Runs {@code listener} on the thread that ends the call, before the outcome becomes visible
     * (or at once if the call is already ending). For bookkeeping that others must see once the
     * call is done; quick, never blocking, never user code.
     */
    public void onEnding(Runnable listener) {
        // Once the first listener has run, so has the list: enlist then says so.
        if (!FIRST_ENDING.compareAndSet(this, null, listener) && !enlist(true, listener)) {
            listener.run();
        }
    }

    /**
     * Runs {@code listener} on the thread that ends the call, once the outcome is visible (or at
     * once if the call has ended). For internal bookkeeping that is quick and never blocks; never
     * for user code.
     */
    public void onEnd(Runnable listener) {
        if (!enlist(false, listener)) {
            listener.run();
        }
    }

    /**
     * What the call ends with, for an {@link #onEnding} listener: its result ({@link RawJson}) or
     * its error ({@link PiperpcException}); {@code null} until the call begins to end.
     */
    public synchronized Object endingWith() {
        return endingWith;
    }

    /** Adds {@code listener} to the ending or the end list; {@code false} if that phase has passed. */
    private synchronized boolean enlist(boolean ending, Runnable listener) {
        List<Runnable> listeners = ending ? endingListeners : inlineListeners;
        if (listeners == ENDED) {
            return false;
        }
        if (listeners == null) {
            listeners = new ArrayList<>(2);
            if (ending) {
                endingListeners = listeners;
            } else {
                inlineListeners = listeners;
            }
        }
        listeners.add(listener);
        return true;
    }

    private void onEndInExecutor(Runnable listener) {
        synchronized (this) {
            if (outcome == null) {
                if (executorListeners == null) {
                    executorListeners = new ArrayList<>(2);
                }
                executorListeners.add(listener);
                return;
            }
        }
        owner.executor().execute(() -> runSafely(listener));
    }

    @Override
    public T join() {
        awaitEnd(Long.MAX_VALUE, null);
        return result();
    }

    @Override
    public T join(Duration wait) {
        awaitEnd(wait.toNanos(), wait);
        return result();
    }

    /** Waits up to {@code waitNanos} for the call to end ({@code Long.MAX_VALUE}: as long as it takes). */
    private void awaitEnd(long waitNanos, Duration wait) {
        if (outcome != null) {
            return;
        }
        long deadline = waitNanos == Long.MAX_VALUE ? Long.MAX_VALUE : System.nanoTime() + waitNanos;
        if (readWhileWaiting(deadline)) {
            return;
        }
        synchronized (this) {
            waiters++;
            try {
                while (outcome == null) {
                    if (waitNanos == Long.MAX_VALUE) {
                        wait();
                        continue;
                    }
                    long remaining = deadline - System.nanoTime();
                    if (remaining <= 0) {
                        throw new JoinTimeoutException("no response to '" + method + "' (id " + id() + ") from "
                                + owner.peerName() + " while waiting " + wait + "; the call is still pending");
                    }
                    wait(Math.max(1, remaining / 1_000_000), 0);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new PiperpcException("interrupted while waiting for '" + method + "' (id " + id() + ")", e);
            } finally {
                waiters--;
            }
        }
    }

    /**
     * Reads the connection on this thread while waiting, if the owner lets it (one thread switch
     * per round trip); whether the call has ended. An interrupt is left for the wait that follows.
     */
    private boolean readWhileWaiting(long deadline) {
        if (!READER.compareAndSet(this, null, Thread.currentThread())) {
            return false; // another thread waiting for this call reads
        }
        try {
            owner.readWhileWaiting(this, deadline);
        } finally {
            reader = null;
        }
        return outcome != null;
    }

    /** The result of an ended call, bound on first use. */
    private T result() {
        Object ended = outcome;
        if (ended instanceof PiperpcException error) {
            throw error;
        }
        synchronized (this) {
            if (!bound) {
                bind((RawJson) ended);
                bound = true;
            }
        }
        if (bindFailure != null) {
            throw bindFailure;
        }
        return value;
    }

    @SuppressWarnings("unchecked")
    private void bind(RawJson raw) {
        Class<?> rawClass = resultType.getRawClass();
        if (rawClass == RawJson.class) {
            value = (T) raw;
        } else if (rawClass == Void.class || rawClass == void.class) {
            value = null;
        } else {
            try {
                UntypedValues untyped = owner.untypedValues();
                Object read = untyped != null && UntypedValues.reads(resultType)
                        ? TrustedJson.readUntyped(raw, untyped, rawClass) : UntypedValues.NOT_READ;
                value = read != UntypedValues.NOT_READ ? (T) read : raw.bind(owner.mapper(), resultType);
            } catch (IOException | RuntimeException e) {
                bindFailure = new ProtocolException("the result of '" + method + "' (id " + id() + ") from " + owner.peerName()
                        + " does not fit " + resultType.toCanonical() + ": "
                        + (e instanceof com.fasterxml.jackson.core.JsonProcessingException processing
                        ? processing.getOriginalMessage() : e.getMessage()), e);
            }
        }
    }

    @Override
    public boolean isDone() {
        return outcome != null;
    }

    @Override
    public boolean cancel() {
        return end(new CallCancelledException("'" + method + "' (id " + id() + ") to " + owner.peerName() + " was cancelled"),
                () -> owner.abandoned(this, "cancelled by the caller"));
    }

    @Override
    public Call<T> whenDone(BiConsumer<? super T, ? super Throwable> callback) {
        onEndInExecutor(() -> {
            T result;
            try {
                result = result();
            } catch (PiperpcException e) {
                callback.accept(null, e);
                return;
            }
            callback.accept(result, null);
        });
        return this;
    }

    @Override
    public synchronized CompletableFuture<T> toCompletableFuture() {
        if (future == null) {
            CompletableFuture<T> created = new CompletableFuture<>() {
                @Override
                public boolean cancel(boolean mayInterruptIfRunning) {
                    PendingCall.this.cancel();
                    return super.cancel(mayInterruptIfRunning);
                }
            };
            future = created;
            whenDone((result, error) -> {
                if (error != null) {
                    created.completeExceptionally(error);
                } else {
                    created.complete(result);
                }
            });
        }
        return future;
    }

    @Override
    public String toString() {
        Object ended = outcome;
        return "Call[" + method + " id=" + id + (ended == null ? " pending" : ended instanceof Throwable t ? " failed: " + t.getMessage() : " done") + "]";
    }
}
