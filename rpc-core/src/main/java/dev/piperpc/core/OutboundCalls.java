package dev.piperpc.core;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.piperpc.core.codec.MessageWriter;
import dev.piperpc.core.internal.CallOwner;
import dev.piperpc.core.internal.CallReporter;
import dev.piperpc.core.internal.Scheduler;
import dev.piperpc.core.internal.PendingCall;
import dev.piperpc.core.internal.UntypedValues;
import dev.piperpc.core.internal.PendingTable;
import dev.piperpc.core.message.Id;
import dev.piperpc.core.message.Response;
import dev.piperpc.core.transport.Transport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * The outbound half of an {@link Endpoint}: the calls we send, from their id to their end. It
 * owns the pending table, encodes and hands requests and notifications to the transport, ends
 * calls with their response, their timeout or their cancellation (telling the peer), and fails
 * them all when the connection closes. Senders' threads send; the I/O thread completes. A
 * {@link CallReporter}, when there is one, hears of each call from its start to its end.
 */
final class OutboundCalls implements CallOwner {

    private static final Logger log = LoggerFactory.getLogger(OutboundCalls.class);

    private final Transport transport;
    private final ObjectMapper mapper;
    private final UntypedValues untypedValues;
    private final Executor executor;
    private final MessageWriter writer;
    private final Dialect dialect;
    private final CallReporter reporter;
    private final PendingTable pending = new PendingTable();
    private final LongAdder callsSent = new LongAdder();
    private final LongAdder unknownResponses = new LongAdder();
    private final LongAdder cancelsNotSent = new LongAdder();
    private volatile boolean closed;
    private volatile boolean closing;
    private volatile Throwable closeCause;

    /** The calls sent over {@code transport}; {@code reporter} may be {@code null}. */
    OutboundCalls(Transport transport, ObjectMapper mapper, Executor executor, MessageWriter writer, Dialect dialect,
                  CallReporter reporter) {
        this.transport = transport;
        this.mapper = mapper;
        this.untypedValues = UntypedValues.of(mapper);
        this.executor = executor;
        this.writer = writer;
        this.dialect = dialect;
        this.reporter = reporter;
    }

    /** Starts watching the deadlines of this connection's calls. */
    void open() {
        Scheduler.instance().register(pending);
    }

    /**
     * Sends a call under a fresh id, or under {@code chosenId} when its caller chose one.
     *
     * @throws IllegalStateException if a call with {@code chosenId} is in flight already (nothing was sent)
     */
    <T> Call<T> send(Id chosenId, String method, Params params, JavaType resultType, Duration timeout) {
        requirePositive(timeout);
        if (closing && !closed) {
            PendingCall<T> refused = new PendingCall<>(this, pending.nextId(), chosenId, method, resultType, timeout);
            if (reporter != null) {
                reporter.callStarted(refused);
            }
            refused.fail(new ConnectionClosedException("connection to " + transport.name() + " is closing: no new calls"));
            return refused;
        }
        long id = pending.nextId();
        byte[] json = chosenId == null ? writer.request(id, method, params.jsonValue())
                : writer.request(chosenId, method, params.jsonValue());
        PendingCall<T> call = new PendingCall<>(this, id, chosenId, method, resultType, timeout);
        if (reporter != null) {
            reporter.callStarted(call);
        }
        register(call);
        try {
            transport.send(json, call.deadlineNanos(), new NotSent(call));
            if (reporter != null) {
                reporter.bytesSent(method, json.length);
            }
        } catch (BackpressureException full) {
            // Never seen by the caller: it ends with the refusal, which is thrown.
            if (pending.remove(call)) {
                call.fail(full);
            }
            throw full;
        } catch (RuntimeException e) {
            if (pending.remove(call)) {
                call.fail(asCallError(e));
            }
        }
        return call;
    }

    void notify(String method, Params params) {
        if (closed || closing) {
            throw closed ? closedError() : new ConnectionClosedException("connection to " + transport.name() + " is closing");
        }
        byte[] json = writer.notification(method, params.jsonValue());
        transport.send(json);
        if (reporter != null) {
            reporter.bytesSent(method, json.length);
            reporter.notificationSent(method);
        }
    }

    /** A call that is part of a batch: it gets its id now and is registered when the batch is sent. */
    <T> PendingCall<T> newBatchCall(String method, JavaType resultType, Duration timeout) {
        requirePositive(timeout);
        return new PendingCall<>(this, pending.nextId(), method, resultType, timeout);
    }

    /**
     * Sends {@code members} as one batch frame. A full queue ends the batch's calls with the
     * refusal, and throws it.
     */
    void sendBatch(List<Batch.Member> members) {
        List<byte[]> texts = new ArrayList<>(members.size());
        List<PendingCall<?>> calls = new ArrayList<>();
        for (Batch.Member member : members) {
            if (member.call() == null) {
                texts.add(writer.notification(member.method(), member.params().jsonValue()));
            } else {
                texts.add(writer.request(member.call().numericId(), member.method(), member.params().jsonValue()));
                calls.add(member.call());
            }
        }
        if (reporter != null) {
            calls.forEach(reporter::callStarted);
        }
        calls.forEach(this::register);
        try {
            if (closed || closing) {
                throw closed ? closedError() : new ConnectionClosedException("connection to " + transport.name() + " is closing");
            }
            byte[] batch = writer.batchOf(texts);
            if (calls.isEmpty()) {
                transport.send(batch);
            } else {
                long deadline = calls.stream().mapToLong(PendingCall::deadlineNanos).max().getAsLong();
                transport.send(batch, deadline, error -> notSent(calls, error));
            }
            if (reporter != null) {
                reportBatchSent(members, batch.length);
            }
        } catch (RuntimeException e) {
            PiperpcException error = asCallError(e);
            for (PendingCall<?> call : calls) {
                if (pending.remove(call)) {
                    call.fail(error);
                }
            }
            if (e instanceof BackpressureException full) {
                throw full;
            }
        }
    }

    private void reportBatchSent(List<Batch.Member> members, int bytes) {
        reporter.bytesSent(null, bytes);
        for (Batch.Member member : members) {
            if (member.call() == null) {
                reporter.notificationSent(member.method());
            }
        }
    }

    private void register(PendingCall<?> call) {
        pending.put(call);
        callsSent.increment();
        Scheduler.instance().deadlineAdded(call.deadlineNanos());
        if (closed && pending.remove(call)) {
            call.fail(closedError());
        }
    }

    /** Any thread: the transport could not deliver the text of {@code calls} after queueing it. */
    private void notSent(List<PendingCall<?>> calls, RuntimeException error) {
        PiperpcException callError = asCallError(error);
        for (PendingCall<?> call : calls) {
            if (pending.remove(call)) {
                call.fail(callError);
            }
        }
    }

    /** What ends one call whose text the transport could not deliver after queueing it. */
    private final class NotSent implements Consumer<RuntimeException> {
        private final PendingCall<?> call;

        NotSent(PendingCall<?> call) {
            this.call = call;
        }

        @Override
        public void accept(RuntimeException error) {
            notSent(List.of(call), error);
        }
    }

    private PiperpcException asCallError(RuntimeException e) {
        return e instanceof PiperpcException piperpc ? piperpc
                : new ConnectionClosedException("cannot send to " + transport.name() + ": " + e.getMessage(), e);
    }

    /** The method of the pending call a response with {@code id} would answer, or {@code null}. */
    String pendingMethod(Id id) {
        PendingCall<?> call = pending.get(id);
        return call == null ? null : call.method();
    }

    /** I/O thread (or the ordered lane): ends the call {@code response} answers. */
    void complete(Response response) {
        Id id = response.id();
        PendingCall<?> call = pending.removeAnswered(id);
        if (call == null) {
            unknownResponses.increment();
            if (id.isNull() && response.isError()) {
                log.warn("{} could not process a message we sent: {}", transport.name(), response.error());
            } else {
                log.debug("{}: response for unknown or ended call id {}", transport.name(), id);
            }
            return;
        }
        if (response.isError()) {
            call.fail(new RpcException(response.error()));
        } else {
            call.succeed(response.result());
        }
    }

    /**
     * Fails the pending call with {@code id} with the error {@code describe} makes of it.
     *
     * @return whether such a call was pending
     */
    boolean fail(Id id, java.util.function.Function<PendingCall<?>, PiperpcException> describe) {
        PendingCall<?> call = id == null ? null : pending.removeAnswered(id);
        if (call == null) {
            return false;
        }
        call.fail(describe.apply(call));
        return true;
    }

    /** Takes no new calls; those pending go on. */
    void beginClosing() {
        closing = true;
    }

    /** Fails every pending call, and every later one, because the connection closed. */
    void close(Throwable cause) {
        closeCause = cause;
        closed = true;
        Scheduler.instance().unregister(pending);
        pending.failAll(call -> new ConnectionClosedException("'" + call.method() + "' (id " + call.id()
                + ") failed: " + closedReason(), cause));
    }

    ConnectionClosedException closedError() {
        return new ConnectionClosedException(closedReason(), closeCause);
    }

    private String closedReason() {
        Throwable cause = closeCause;
        return "connection to " + transport.name() + " is closed" + (cause == null ? "" : ": " + cause.getMessage());
    }

    long callsSent() {
        return callsSent.sum();
    }

    int callsPending() {
        return pending.size();
    }

    long unknownResponses() {
        return unknownResponses.sum();
    }

    long cancelsNotSent() {
        return cancelsNotSent.sum();
    }

    // ---------------------------------------------------------------- CallOwner

    @Override
    public ObjectMapper mapper() {
        return mapper;
    }

    @Override
    public UntypedValues untypedValues() {
        return untypedValues;
    }

    @Override
    public Executor executor() {
        return executor;
    }

    @Override
    public String peerName() {
        return transport.name();
    }

    /**
     * Never throws: the call has already ended locally. The cancellation, in the endpoint's
     * dialect, passes the bound of the outbound queue (it is small, and there is at most one per
     * call sent); if the transport refuses it all the same, it is counted and dropped.
     */
    @Override
    public void abandoned(PendingCall<?> call, String reason) {
        pending.remove(call);
        if (closed) {
            return;
        }
        String method = dialect == Dialect.MCP ? ProtocolMethods.MCP_CANCELLED : ProtocolMethods.CANCEL_REQUEST;
        try {
            byte[] json = writer.notification(method, cancelParams(call.id(), reason));
            transport.sendControl(json);
            if (reporter != null) {
                reporter.bytesSent(method, json.length);
                reporter.notificationSent(method);
            }
        } catch (RuntimeException e) {
            cancelsNotSent.increment();
            log.debug("{}: could not send {} for id {}: {}", transport.name(), method, call.id(), e.getMessage());
        }
    }

    /**
     * Lends the connection's reading to the thread waiting for {@code call} when nothing else is
     * pending on it: the response then wakes that thread directly, not the I/O thread first.
     */
    @Override
    public boolean readWhileWaiting(PendingCall<?> call, long untilNanos) {
        if (pending.size() != 1 || closed) {
            return false;
        }
        return transport.readWhileWaiting(new Transport.WaitingCaller() {
            @Override
            public boolean isDone() {
                return call.isDone();
            }

            @Override
            public boolean othersAwaited() {
                return pending.size() > (call.isDone() ? 0 : 1);
            }

            @Override
            public long deadlineNanos() {
                return untilNanos;
            }
        });
    }

    @Override
    public void wakeReader() {
        transport.wakeWaitingReader();
    }

    private Map<String, Object> cancelParams(Id id, String reason) {
        Object value = id.isLong() ? (Object) id.asLong() : id.isString() ? id.asString() : id.asNumber();
        if (dialect == Dialect.LSP) {
            return Map.of("id", value);
        }
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("requestId", value);
        params.put("reason", reason);
        return params;
    }

    static void requirePositive(Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, not " + timeout);
        }
    }
}
