package dev.piperpc.core;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.piperpc.core.codec.MessageWriter;
import dev.piperpc.core.internal.CallReporter;
import dev.piperpc.core.message.Id;
import dev.piperpc.core.message.Message;
import dev.piperpc.core.message.Response;
import dev.piperpc.core.transport.Transport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiConsumer;

/**
 * How an endpoint answers its peer: single responses and batch arrays go past the bound of
 * {@link Transport#send} (their number is bounded by the requests run), answers to junk only
 * while the outbound queue is below its low-water mark. What cannot be sent is counted.
 */
final class PeerAnswers {

    private static final Logger log = LoggerFactory.getLogger(Endpoint.class);

    private final Transport transport;
    private final MessageWriter writer;
    private final BiConsumer<String, Object[]> warn;
    private final CallReporter reporter;
    private final LongAdder notSent = new LongAdder();

    /**
     * Answers over {@code transport}; {@code warn} logs a (limited) warning about the peer;
     * {@code reporter} (or {@code null}) hears of the texts sent.
     */
    PeerAnswers(Transport transport, MessageWriter writer, BiConsumer<String, Object[]> warn, CallReporter reporter) {
        this.transport = transport;
        this.writer = writer;
        this.warn = warn;
        this.reporter = reporter;
    }

    /** Sends one response that answers no one method (a text that was not a valid request, say). */
    void send(Message response) {
        send(response, null);
    }

    /** Sends one response to a request for {@code method}. */
    void send(Message response, String method) {
        send(writer.message(response), response, method);
    }

    /** Sends a successful response to a request for {@code method}, {@code value} serialized straight into it. */
    void sendResult(Id id, Object value, ObjectMapper resultMapper, String method) {
        send(writer.result(id, value, resultMapper), new ResponseTo(id), method);
    }

    /**
     * Answers a text that was not a valid request, unless the outbound queue is above its
     * low-water mark: a peer printing junk cannot fill it with our answers.
     */
    void sendToInvalid(Message response) {
        if (!transport.isWritable()) {
            notSent.increment();
            return;
        }
        send(response);
    }

    /** A collector for the answers of one incoming batch of {@code size} members, {@code expected} of which are answered. */
    BatchAnswer batch(int size, int expected) {
        return new BatchAnswer(size, expected);
    }

    /** Answers not sent. */
    long notSent() {
        return notSent.sum();
    }

    private void send(byte[] json, Object what, String method) {
        try {
            transport.sendControl(json);
            if (reporter != null) {
                reporter.bytesSent(method, json.length);
            }
        } catch (ConnectionClosedException e) {
            log.debug("{}: dropped {} because the connection is closed", transport.name(), what);
        } catch (BackpressureException e) {
            notSent.increment();
            warn.accept("dropped {}: {}", new Object[] {what, e.getMessage()});
        }
    }

    /** What a response is, for log lines: made into text only when one is written. */
    private record ResponseTo(Id id) {
        @Override
        public String toString() {
            return "the response to " + id;
        }
    }

    /** Gathers the answers of one incoming batch and sends them as one array, in member order. */
    final class BatchAnswer {
        private final Response[] slots;
        private int missing;

        private BatchAnswer(int size, int expected) {
            this.slots = new Response[size];
            this.missing = expected;
        }

        /** The answer to member {@code slot}; the last one expected sends the array. */
        void put(int slot, Response response) {
            List<Message> responses;
            synchronized (this) {
                slots[slot] = response;
                if (--missing > 0) {
                    return;
                }
                responses = new ArrayList<>();
                for (Response each : slots) {
                    if (each != null) {
                        responses.add(each);
                    }
                }
            }
            send(writer.batch(responses), "a batch response", null);
        }
    }
}
