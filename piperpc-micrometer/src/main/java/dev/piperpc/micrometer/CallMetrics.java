package dev.piperpc.micrometer;

import dev.piperpc.core.listen.CallListener;
import dev.piperpc.core.listen.CallOutcome;
import dev.piperpc.core.message.Id;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.ToDoubleFunction;

/**
 * A {@link CallListener} that records calls and requests as Micrometer meters:
 *
 * <table>
 *   <caption>Meters</caption>
 *   <tr><th>name</th><th>type</th><th>tags</th><th>what</th></tr>
 *   <tr><td>{@value #CALLS}</td><td>timer</td><td>{@code method}, {@code outcome}</td>
 *       <td>calls sent, from start to end</td></tr>
 *   <tr><td>{@value #CALLS_IN_FLIGHT}</td><td>gauge</td><td></td><td>calls started and not yet ended</td></tr>
 *   <tr><td>{@value #REQUESTS}</td><td>timer</td><td>{@code method}, {@code outcome}</td>
 *       <td>the peer's requests and notifications handled, from arrival to answer</td></tr>
 *   <tr><td>{@value #REQUESTS_IN_FLIGHT}</td><td>gauge</td><td></td><td>requests arrived and not yet answered</td></tr>
 *   <tr><td>{@value #NOTIFICATIONS_SENT}</td><td>counter</td><td>{@code method}</td><td>notifications sent</td></tr>
 *   <tr><td>{@value #MESSAGE_SIZE}</td><td>distribution summary, bytes</td><td>{@code direction}
 *       ({@code sent}, {@code received}), {@code method}</td><td>the JSON texts written and read</td></tr>
 * </table>
 *
 * <p>{@code outcome} is a {@link CallOutcome.Kind} in lower case: {@code result}, {@code error},
 * {@code timeout}, {@code cancelled}, {@code connection_closed}, {@code refused}, {@code failed}.
 * {@code method} is {@code none} for texts that have no one method (batches, say). Every meter
 * also carries the tags given to the constructor. Percentiles and histograms are Micrometer's to
 * configure, with a {@link io.micrometer.core.instrument.config.MeterFilter}.
 *
 * <pre>{@code
 * CallMetrics metrics = new CallMetrics(registry, Tags.of("peer", "indexer"));
 * Endpoint rpc = Endpoint.builder().callListener(metrics).connect(transport);
 * }</pre>
 *
 * <p>One instance serves any number of endpoints and counts them together; make one per registry
 * and set of tags (a second with the same tags would find the first one's gauges taken).
 * Thread-safe; it records without locks or blocking, as a call listener must.
 */
public class CallMetrics implements CallListener {

    /** The timer of calls sent, tagged with method and outcome. */
    public static final String CALLS = "piperpc.calls";
    /** The gauge of calls started and not yet ended. */
    public static final String CALLS_IN_FLIGHT = "piperpc.calls.in.flight";
    /** The timer of the peer's requests and notifications handled, tagged with method and outcome. */
    public static final String REQUESTS = "piperpc.requests";
    /** The gauge of the peer's requests arrived and not yet answered. */
    public static final String REQUESTS_IN_FLIGHT = "piperpc.requests.in.flight";
    /** The counter of notifications sent, tagged with method. */
    public static final String NOTIFICATIONS_SENT = "piperpc.notifications.sent";
    /** The distribution summary of the JSON texts' sizes in bytes, tagged with direction and method. */
    public static final String MESSAGE_SIZE = "piperpc.message.size";

    private static final String NO_METHOD = "none";
    private static final String[] OUTCOMES = outcomeTags();

    private final MeterRegistry registry;
    private final Tags tags;
    private final AtomicInteger callsInFlight = new AtomicInteger();
    private final AtomicInteger requestsInFlight = new AtomicInteger();
    private final Map<String, AtomicReferenceArray<Timer>> callTimers = new ConcurrentHashMap<>();
    private final Map<String, AtomicReferenceArray<Timer>> requestTimers = new ConcurrentHashMap<>();
    private final Map<String, Counter> notifications = new ConcurrentHashMap<>();
    private final Map<String, DistributionSummary> sentSizes = new ConcurrentHashMap<>();
    private final Map<String, DistributionSummary> receivedSizes = new ConcurrentHashMap<>();

    /** Records into {@code registry}, with no tags of its own. */
    public CallMetrics(MeterRegistry registry) {
        this(registry, Tags.empty());
    }

    /** Records into {@code registry}, every meter carrying {@code tags}. */
    public CallMetrics(MeterRegistry registry, Iterable<Tag> tags) {
        this.registry = registry;
        this.tags = Tags.of(tags);
        gauge(CALLS_IN_FLIGHT, "Calls sent and not yet ended", callsInFlight);
        gauge(REQUESTS_IN_FLIGHT, "Requests of the peer arrived and not yet answered", requestsInFlight);
    }

    private static String[] outcomeTags() {
        CallOutcome.Kind[] kinds = CallOutcome.Kind.values();
        String[] tags = new String[kinds.length];
        for (CallOutcome.Kind kind : kinds) {
            tags[kind.ordinal()] = kind.name().toLowerCase(Locale.ROOT);
        }
        return tags;
    }

    /** The registry recorded into. */
    protected final MeterRegistry registry() {
        return registry;
    }

    /** The tags every meter carries. */
    protected final Tags tags() {
        return tags;
    }

    /** Registers a gauge of {@code value} summed over {@code sources} (the pools or clients started and not yet closed). */
    final <S> void sumGauge(String name, String description, Iterable<S> sources, ToDoubleFunction<S> value) {
        Gauge.builder(name, sources, live -> {
            double sum = 0;
            for (S source : live) {
                sum += value.applyAsDouble(source);
            }
            return sum;
        }).description(description).tags(tags).register(registry);
    }

    private void gauge(String name, String description, AtomicInteger value) {
        Gauge.builder(name, value, AtomicInteger::get).description(description).tags(tags).register(registry);
    }

    @Override
    public final void callStarted(String connection, String method, Id id) {
        callsInFlight.incrementAndGet();
    }

    @Override
    public final void callEnded(String connection, String method, Id id, CallOutcome outcome, long durationNanos) {
        callsInFlight.decrementAndGet();
        timer(callTimers, CALLS, "Calls sent, from start to end", method, outcome.kind())
                .record(durationNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public final void requestStarted(String connection, String method, Id id) {
        requestsInFlight.incrementAndGet();
    }

    @Override
    public final void requestEnded(String connection, String method, Id id, CallOutcome outcome, long durationNanos) {
        requestsInFlight.decrementAndGet();
        timer(requestTimers, REQUESTS, "Requests of the peer handled, from arrival to answer", method, outcome.kind())
                .record(durationNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public final void notificationSent(String connection, String method) {
        notifications.computeIfAbsent(method, name -> Counter.builder(NOTIFICATIONS_SENT).description("Notifications sent")
                .tags(tags).tag("method", name).register(registry)).increment();
    }

    @Override
    public final void bytesSent(String connection, String method, int bytes) {
        size(sentSizes, "sent", method).record(bytes);
    }

    @Override
    public final void bytesReceived(String connection, String method, int bytes) {
        size(receivedSizes, "received", method).record(bytes);
    }

    private Timer timer(Map<String, AtomicReferenceArray<Timer>> timers, String name, String description, String method, CallOutcome.Kind kind) {
        AtomicReferenceArray<Timer> byOutcome = timers.get(method);
        if (byOutcome == null) {
            byOutcome = timers.computeIfAbsent(method, m -> new AtomicReferenceArray<>(OUTCOMES.length));
        }
        Timer timer = byOutcome.get(kind.ordinal());
        if (timer == null) {
            // Two threads may both register: the registry hands both the same timer.
            timer = Timer.builder(name).description(description).tags(tags).tag("method", method)
                    .tag("outcome", OUTCOMES[kind.ordinal()]).register(registry);
            byOutcome.set(kind.ordinal(), timer);
        }
        return timer;
    }

    private DistributionSummary size(Map<String, DistributionSummary> sizes, String direction, String method) {
        String key = method == null ? NO_METHOD : method;
        DistributionSummary summary = sizes.get(key);
        if (summary == null) {
            summary = sizes.computeIfAbsent(key, name -> DistributionSummary.builder(MESSAGE_SIZE)
                    .description("JSON texts sent and received").baseUnit("bytes").tags(tags)
                    .tag("direction", direction).tag("method", name).register(registry));
        }
        return summary;
    }
}
