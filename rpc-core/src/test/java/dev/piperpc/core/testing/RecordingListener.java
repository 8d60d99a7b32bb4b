package dev.piperpc.core.testing;

import dev.piperpc.core.listen.CallListener;
import dev.piperpc.core.listen.CallOutcome;
import dev.piperpc.core.message.Id;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/** A call listener that counts what it hears, per method and outcome, and checks that each call ends once. */
public final class RecordingListener implements CallListener {

    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> callEnds = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> requestEnds = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> bytes = new ConcurrentHashMap<>();
    private final Semaphore requestsEnded = new Semaphore(0);
    private final Semaphore callsEnded = new Semaphore(0);

    private void count(String key) {
        counts.computeIfAbsent(key, k -> new LongAdder()).increment();
    }

    @Override
    public void callStarted(String connection, String method, Id id) {
        count("callStarted");
        count("callStarted " + method);
    }

    @Override
    public void callEnded(String connection, String method, Id id, CallOutcome outcome, long durationNanos) {
        if (durationNanos < 0) {
            count("negativeDuration");
        }
        count("callEnded");
        count("callEnded " + outcome.kind());
        count("callEnded " + method + " " + outcome.kind());
        if (outcome.kind() == CallOutcome.Kind.ERROR) {
            count("callEnded code " + outcome.error().code());
        }
        callEnds.computeIfAbsent(connection + " " + id, k -> new AtomicInteger()).incrementAndGet();
        callsEnded.release();
    }

    @Override
    public void notificationSent(String connection, String method) {
        count("notificationSent " + method);
    }

    @Override
    public void requestStarted(String connection, String method, Id id) {
        count("requestStarted");
        count("requestStarted " + method);
    }

    @Override
    public void requestEnded(String connection, String method, Id id, CallOutcome outcome, long durationNanos) {
        if (durationNanos < 0) {
            count("negativeDuration");
        }
        count("requestEnded");
        count("requestEnded " + outcome.kind());
        count("requestEnded " + method + " " + outcome.kind());
        if (id != null) {
            requestEnds.computeIfAbsent(connection + " " + id, k -> new AtomicInteger()).incrementAndGet();
        }
        requestsEnded.release();
    }

    @Override
    public void bytesSent(String connection, String method, int bytes) {
        this.bytes.computeIfAbsent("sent " + method, k -> new LongAdder()).add(bytes);
    }

    @Override
    public void bytesReceived(String connection, String method, int bytes) {
        this.bytes.computeIfAbsent("received " + method, k -> new LongAdder()).add(bytes);
    }

    /** How many events {@code key} names were heard, such as {@code "callEnded TIMEOUT"} or {@code "requestEnded add RESULT"}. */
    public long count(Object... key) {
        StringBuilder name = new StringBuilder();
        for (Object part : key) {
            name.append(name.length() == 0 ? "" : " ").append(part);
        }
        LongAdder adder = counts.get(name.toString());
        return adder == null ? 0 : adder.sum();
    }

    /** Bytes sent ({@code "sent"}) or received ({@code "received"}) for {@code method} ({@code null}: no one method). */
    public long bytes(String direction, String method) {
        LongAdder adder = bytes.get(direction + " " + method);
        return adder == null ? 0 : adder.sum();
    }

    /** Calls whose end was heard more than once, by connection and id. */
    public Map<String, Integer> callsEndedTwice() {
        return twice(callEnds);
    }

    /** Requests whose end was heard more than once, by connection and id. */
    public Map<String, Integer> requestsEndedTwice() {
        return twice(requestEnds);
    }

    private static Map<String, Integer> twice(Map<String, AtomicInteger> ends) {
        Map<String, Integer> twice = new java.util.TreeMap<>();
        ends.forEach((key, count) -> {
            if (count.get() != 1) {
                twice.put(key, count.get());
            }
        });
        return twice;
    }

    /** Waits until {@code count} more requests (and notifications) have ended; {@code false} if they did not within a minute. */
    public boolean awaitRequestsEnded(int count) throws InterruptedException {
        return requestsEnded.tryAcquire(count, 60, TimeUnit.SECONDS);
    }

    /** Waits until {@code count} more calls have ended; {@code false} if they did not within a minute. */
    public boolean awaitCallsEnded(int count) throws InterruptedException {
        return callsEnded.tryAcquire(count, 60, TimeUnit.SECONDS);
    }
}
