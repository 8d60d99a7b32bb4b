package dev.piperpc.micrometer;

import dev.piperpc.queue.QueueClient;
import dev.piperpc.queue.QueueClientListener;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link QueueClientListener} that records a queue client's calls as {@link CallMetrics} does,
 * and the depth of its outbox:
 *
 * <table>
 *   <caption>Meters besides those of {@link CallMetrics}</caption>
 *   <tr><th>name</th><th>type</th><th>what</th></tr>
 *   <tr><td>{@value #OUTBOX}</td><td>gauge</td><td>requests and notifications waiting to be sent to SQS</td></tr>
 * </table>
 *
 * <p>The client's calls in flight are {@value CallMetrics#CALLS_IN_FLIGHT}; the calls its full
 * outbox refused for backpressure are {@value CallMetrics#CALLS} with outcome {@code refused}.
 * The gauge adds up every open client this listener serves.
 *
 * <pre>{@code
 * QueueClient rpc = QueueClient.builder(requestQueueUrl).listener(new QueueClientMetrics(registry)).build();
 * }</pre>
 *
 * <p>Needs {@code dev.piperpc:piperpc-queue} on the class path.
 */
public final class QueueClientMetrics extends CallMetrics implements QueueClientListener {

    /** The gauge of messages waiting in the outbox. */
    public static final String OUTBOX = "piperpc.queue.outbox";

    private final Set<QueueClient> clients = ConcurrentHashMap.newKeySet();

    /** Records into {@code registry}, with no tags of its own. */
    public QueueClientMetrics(MeterRegistry registry) {
        this(registry, Tags.empty());
    }

    /** Records into {@code registry}, every meter carrying {@code tags}. */
    public QueueClientMetrics(MeterRegistry registry, Iterable<Tag> tags) {
        super(registry, tags);
        sumGauge(OUTBOX, "Requests and notifications waiting to be sent to SQS", clients, client -> client.stats().messagesQueued());
    }

    @Override
    public void clientStarted(QueueClient client) {
        clients.add(client);
    }

    @Override
    public void clientClosed(QueueClient client) {
        clients.remove(client);
    }
}
