package dev.piperpc.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.piperpc.queue.QueueClient;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.io.PrintStream;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the {@code piperpc queue} commands do to SQS, with arguments already checked. Only the queue
 * commands load this class, so the others never load the AWS SDK.
 */
final class QueueAdmin {

    private static final String FIFO = ".fifo";
    private static final String DLQ_SUFFIX = "-dlq";
    /** The longest retention SQS allows, for dead letters: 14 days. */
    private static final String DLQ_RETENTION_SECONDS = Long.toString(Duration.ofDays(14).toSeconds());
    private static final List<QueueAttributeName> COUNTS = List.of(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED);

    private QueueAdmin() {
    }

    // ---------------------------------------------------------------- create

    /**
     * Creates the queue {@code name} (and its dead-letter queue {@code NAME-dlq} when {@code dlqAfter}
     * is not {@code null}) and prints its URL.
     */
    static int create(String name, long visibilitySeconds, Integer dlqAfter, PrintStream out) {
        boolean fifo = name.endsWith(FIFO);
        String base = fifo ? name.substring(0, name.length() - FIFO.length()) : name;
        try (SqsClient sqs = Queues.sqs()) {
            Map<QueueAttributeName, String> attributes = new LinkedHashMap<>();
            if (fifo) {
                attributes.put(QueueAttributeName.FIFO_QUEUE, "true");
            }
            attributes.put(QueueAttributeName.VISIBILITY_TIMEOUT, Long.toString(visibilitySeconds));
            if (dlqAfter != null) {
                Map<QueueAttributeName, String> dlqAttributes = new LinkedHashMap<>();
                if (fifo) {
                    dlqAttributes.put(QueueAttributeName.FIFO_QUEUE, "true");
                }
                dlqAttributes.put(QueueAttributeName.MESSAGE_RETENTION_PERIOD, DLQ_RETENTION_SECONDS);
                String dlqName = base + DLQ_SUFFIX + (fifo ? FIFO : "");
                String dlqUrl = sqs.createQueue(b -> b.queueName(dlqName).attributes(dlqAttributes)).queueUrl();
                String dlqArn = sqs.getQueueAttributes(b -> b.queueUrl(dlqUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                        .attributes().get(QueueAttributeName.QUEUE_ARN);
                attributes.put(QueueAttributeName.REDRIVE_POLICY,
                        "{\"deadLetterTargetArn\":\"" + dlqArn + "\",\"maxReceiveCount\":\"" + dlqAfter + "\"}");
            }
            out.println(sqs.createQueue(b -> b.queueName(name).attributes(attributes)).queueUrl());
            return 0;
        } catch (SdkException e) {
            throw new UnavailableException("cannot create queue '" + name + "': " + e.getMessage());
        }
    }

    // ---------------------------------------------------------------- stats

    /** Prints the approximate message counts of the queue at {@code url}, and of its dead-letter queue. */
    static int stats(String url, boolean asJson, PrintStream out) {
        try (SqsClient sqs = Queues.sqs()) {
            List<QueueAttributeName> names = new java.util.ArrayList<>(COUNTS);
            names.add(QueueAttributeName.REDRIVE_POLICY);
            Map<QueueAttributeName, String> attributes = sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(names)).attributes();
            ObjectMapper mapper = new ObjectMapper();
            ObjectNode json = counts(mapper, url, attributes);
            String policy = attributes.get(QueueAttributeName.REDRIVE_POLICY);
            if (policy != null && !policy.isBlank()) {
                com.fasterxml.jackson.databind.JsonNode redrive = mapper.readTree(policy);
                String arn = redrive.path("deadLetterTargetArn").asText();
                String[] parts = arn.split(":");
                String dlqUrl = sqs.getQueueUrl(b -> b.queueName(parts[parts.length - 1]).queueOwnerAWSAccountId(parts[parts.length - 2]))
                        .queueUrl();
                ObjectNode dlq = counts(mapper, dlqUrl, sqs.getQueueAttributes(b -> b.queueUrl(dlqUrl).attributeNames(COUNTS)).attributes());
                dlq.put("maxReceiveCount", redrive.path("maxReceiveCount").asInt());
                json.set("dlq", dlq);
            } else {
                json.putNull("dlq");
            }
            if (asJson) {
                out.println(mapper.writeValueAsString(json));
            } else {
                printCounts(out, "", json);
                if (json.get("dlq").isObject()) {
                    printCounts(out, "dlq ", json.get("dlq"));
                    out.println("dlq after:     " + json.get("dlq").get("maxReceiveCount").asInt() + " receives");
                }
            }
            return 0;
        } catch (SdkException e) {
            throw new UnavailableException("cannot read the queue " + url + ": " + e.getMessage());
        } catch (com.fasterxml.jackson.core.JsonProcessingException | ArrayIndexOutOfBoundsException e) {
            throw new UnavailableException("the queue " + url + " has a RedrivePolicy that is not understood: " + e.getMessage());
        }
    }

    private static ObjectNode counts(ObjectMapper mapper, String url, Map<QueueAttributeName, String> attributes) {
        ObjectNode node = mapper.createObjectNode();
        node.put("url", url);
        node.put("visible", count(attributes, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES));
        node.put("inFlight", count(attributes, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
        node.put("delayed", count(attributes, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED));
        return node;
    }

    private static long count(Map<QueueAttributeName, String> attributes, QueueAttributeName name) {
        String value = attributes.get(name);
        return value == null ? 0 : Long.parseLong(value);
    }

    private static void printCounts(PrintStream out, String prefix, com.fasterxml.jackson.databind.JsonNode counts) {
        out.println(pad(prefix + "queue:") + counts.get("url").asText());
        out.println(pad(prefix + "visible:") + counts.get("visible").asLong());
        out.println(pad(prefix + "in flight:") + counts.get("inFlight").asLong());
        out.println(pad(prefix + "delayed:") + counts.get("delayed").asLong());
    }

    private static String pad(String label) {
        return String.format("%-15s", label);
    }

    // ---------------------------------------------------------------- sweep

    /** Deletes the reply queues whose names start with {@code prefix} and whose heartbeat is older than {@code stale}, and prints their URLs. */
    static int sweep(String prefix, Duration stale, PrintStream out) {
        try (SqsClient sqs = Queues.sqs()) {
            List<String> deleted = QueueClient.sweep(sqs, prefix, stale);
            deleted.forEach(out::println);
            return 0;
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        } catch (SdkException e) {
            throw new UnavailableException("cannot sweep: " + e.getMessage());
        }
    }
}
