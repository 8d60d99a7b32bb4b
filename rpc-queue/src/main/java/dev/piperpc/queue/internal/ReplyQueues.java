package dev.piperpc.queue.internal;

import dev.piperpc.queue.QueueWire;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.ListQueuesResponse;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Reply queues as SQS holds them: created with a random name under a prefix and a heartbeat tag
 * (epoch milliseconds), the tag refreshed while their client lives, deleted when it closes, and
 * swept when a client died without deleting its queue.
 */
public final class ReplyQueues {

    private static final Logger log = LoggerFactory.getLogger(ReplyQueues.class);

    /** SQS queue names: at most 80 of these characters. */
    private static final int MAX_NAME_LENGTH = 80;
    private static final int SUFFIX_LENGTH = 16;
    /** The longest prefix that leaves room for the random suffix. */
    public static final int MAX_PREFIX_LENGTH = MAX_NAME_LENGTH - SUFFIX_LENGTH;

    private ReplyQueues() {
    }

    /** Whether {@code prefix} can start a reply queue's name. */
    public static boolean isValidPrefix(String prefix) {
        return !prefix.isEmpty() && prefix.length() <= MAX_PREFIX_LENGTH && prefix.matches("[A-Za-z0-9_-]+");
    }

    /** Creates a reply queue named {@code prefix} and a random suffix, with a fresh heartbeat; returns its URL. */
    static String create(SqsClient sqs, String prefix, SqsMeter meter) {
        String name = prefix + UUID.randomUUID().toString().replace("-", "").substring(0, SUFFIX_LENGTH);
        meter.request();
        return sqs.createQueue(b -> b.queueName(name).tags(heartbeatNow())).queueUrl();
    }

    /** Refreshes the heartbeat of {@code queueUrl}; never throws. */
    static void beat(SqsClient sqs, String queueUrl, SqsMeter meter) {
        try {
            meter.request();
            sqs.tagQueue(b -> b.queueUrl(queueUrl).tags(heartbeatNow()));
        } catch (SdkException e) {
            log.warn("could not refresh the heartbeat of {}: {}", queueUrl, e.toString());
        }
    }

    /** Deletes {@code queueUrl}; never throws. */
    static void delete(SqsClient sqs, String queueUrl, SqsMeter meter) {
        try {
            meter.request();
            sqs.deleteQueue(b -> b.queueUrl(queueUrl));
        } catch (QueueDoesNotExistException e) {
            log.debug("reply queue {} was already deleted", queueUrl);
        } catch (SdkException e) {
            log.warn("could not delete reply queue {}: {}", queueUrl, e.toString());
        }
    }

    /**
     * Deletes the queues whose names start with {@code prefix} and whose heartbeat is older than {@code staleAfter};
     * queues without a readable heartbeat are left alone. Returns the URLs of those deleted.
     */
    public static List<String> sweep(SqsClient sqs, String prefix, Duration staleAfter) {
        long oldest = System.currentTimeMillis() - staleAfter.toMillis();
        List<String> deleted = new ArrayList<>();
        String token = null;
        do {
            String next = token;
            ListQueuesResponse page = sqs.listQueues(b -> b.queueNamePrefix(prefix).maxResults(1000).nextToken(next));
            for (String url : page.queueUrls()) {
                Long beat = heartbeat(sqs, url);
                if (beat != null && beat < oldest) {
                    try {
                        sqs.deleteQueue(b -> b.queueUrl(url));
                        deleted.add(url);
                        log.info("swept reply queue {}: its last heartbeat was {} ms ago", url,
                                System.currentTimeMillis() - beat);
                    } catch (QueueDoesNotExistException e) {
                        log.debug("reply queue {} went away while being swept", url);
                    }
                }
            }
            token = page.nextToken();
        } while (token != null && !token.isEmpty());
        return deleted;
    }

    private static Long heartbeat(SqsClient sqs, String url) {
        try {
            String value = sqs.listQueueTags(b -> b.queueUrl(url)).tags().get(QueueWire.HEARTBEAT_TAG);
            return value == null ? null : Long.valueOf(value);
        } catch (QueueDoesNotExistException | NumberFormatException e) {
            return null;
        }
    }

    private static Map<String, String> heartbeatNow() {
        return Map.of(QueueWire.HEARTBEAT_TAG, Long.toString(System.currentTimeMillis()));
    }
}
