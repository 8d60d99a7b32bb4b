package dev.piperpc.core;

import dev.piperpc.core.internal.BatchAccess;
import dev.piperpc.core.internal.PendingCall;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Calls and notifications sent together as one JSON-RPC batch (a single JSON array in one frame).
 * Each call ends on its own, as its response arrives.
 *
 * <pre>{@code
 * Batch batch = rpc.batch();
 * Call<Integer> sum = batch.add("sum", Params.of(1, 2, 4), Integer.class);
 * batch.notify("notify_hello", Params.of(7));
 * batch.send();
 * }</pre>
 */
public final class Batch {

    static {
        // A pool's way to reserve room for a batch's calls; not offered to users.
        BatchAccess.install(Batch::new);
    }

    private final Endpoint endpoint;
    private final Consumer<List<PendingCall<?>>> beforeSend;
    private final List<Member> members = new ArrayList<>();
    private boolean sent;

    Batch(Endpoint endpoint) {
        this(endpoint, null);
    }

    private Batch(Endpoint endpoint, Consumer<List<PendingCall<?>>> beforeSend) {
        this.endpoint = endpoint;
        this.beforeSend = beforeSend;
    }

    /** Adds a call; its response is awaited once {@link #send()} has sent the batch. */
    public <T> Call<T> add(String method, Params params, Class<T> resultType) {
        return add(method, params, resultType, endpoint.defaultCallTimeout());
    }

    /** Adds a call with its own timeout. */
    public <T> Call<T> add(String method, Params params, Class<T> resultType, Duration timeout) {
        PendingCall<T> call = endpoint.newCall(Objects.requireNonNull(method, "method"),
                Objects.requireNonNull(resultType, "resultType"), timeout);
        addMember(new Member(method, Objects.requireNonNull(params, "params"), call));
        return call;
    }

    /** Adds a notification. */
    public void notify(String method, Params params) {
        addMember(new Member(Objects.requireNonNull(method, "method"), Objects.requireNonNull(params, "params"), null));
    }

    private synchronized void addMember(Member member) {
        if (sent) {
            throw new IllegalStateException("batch already sent");
        }
        members.add(member);
    }

    /** Number of calls and notifications added. */
    public synchronized int size() {
        return members.size();
    }

    /**
     * Sends the batch as one frame.
     *
     * @throws IllegalStateException if it is empty or was already sent
     * @throws BackpressureException if the queue to the peer is full, or (a pool's batch) the worker
     *                               has no room for its calls; nothing was sent and the batch's
     *                               calls end with the same exception
     */
    public void send() {
        List<Member> toSend;
        synchronized (this) {
            if (sent) {
                throw new IllegalStateException("batch already sent");
            }
            if (members.isEmpty()) {
                throw new IllegalStateException("a batch needs at least one call or notification");
            }
            sent = true;
            toSend = List.copyOf(members);
        }
        if (beforeSend != null) {
            List<PendingCall<?>> calls = new ArrayList<>();
            for (Member member : toSend) {
                if (member.call() != null) {
                    calls.add(member.call());
                }
            }
            try {
                beforeSend.accept(calls);
            } catch (PiperpcException e) {
                calls.forEach(call -> call.fail(e));
                throw e;
            }
        }
        endpoint.sendBatch(toSend);
    }

    /**
     * One member of a batch.
     *
     * @param method the method
     * @param params the params
     * @param call   the call, or {@code null} for a notification
     */
    record Member(String method, Params params, PendingCall<?> call) {
    }
}
