package dev.piperpc.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.piperpc.queue.QueueClient;
import dev.piperpc.queue.QueueWire;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** {@code piperpc queue}: make, watch and clean up SQS queues for piperpc. */
final class QueueCommand {

    static final String USAGE = """
            usage: piperpc queue local [--port N]
                   piperpc queue create NAME [--visibility DUR] [--dlq-after N]
                   piperpc queue stats URL [--json]
                   piperpc queue sweep [--prefix P] [--stale DUR]

              local   an SQS-compatible server (ElasticMQ, in memory) on 127.0.0.1 (default port 9324)
                      until stopped; prints its endpoint URL as the first line (from its own jar:
                      start it with the ./piperpc launcher)
              create  creates the queue NAME (or finds it, if it exists with the same settings) and
                      prints its URL: the visibility timeout (default 30s; a worker renews its lease
                      while a call runs), and with --dlq-after N a dead-letter queue NAME-dlq that
                      takes a message after N receives (a RedrivePolicy)
              stats   the approximate number of messages visible, in flight and delayed, and those of
                      the dead-letter queue if there is one; --json prints one JSON object
              sweep   deletes the reply queues (names starting with P, default piperpc-reply-) of
                      managers that stopped without closing: heartbeat older than --stale (default 5m);
                      prints the URL of each queue deleted

            The AWS SDK reads the endpoint (AWS_ENDPOINT_URL_SQS, such as the URL 'queue local'
            printed), the region (AWS_REGION) and the credentials from the environment.
            Bad usage: exit 2. SQS cannot be reached or refuses: exit 3.
            """;

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,80}");
    private static final String FIFO = ".fifo";
    private static final String DLQ_SUFFIX = "-dlq";
    /** The longest retention SQS allows, for dead letters: 14 days. */
    private static final String DLQ_RETENTION_SECONDS = Long.toString(Duration.ofDays(14).toSeconds());
    private static final List<QueueAttributeName> COUNTS = List.of(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED);

    private QueueCommand() {
    }

    static int run(String[] args, PrintStream out) {
        if (args.length == 0) {
            throw new UsageException("expected local, create, stats or sweep");
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        return switch (args[0]) {
            case "--help", "-h", "help" -> {
                out.print(USAGE);
                yield 0;
            }
            case "local" -> throw new UsageException("'queue local' runs from its own jar: start it with the ./piperpc launcher");
            case "create" -> create(rest, out);
            case "stats" -> stats(rest, out);
            case "sweep" -> sweep(rest, out);
            default -> throw new UsageException("unknown queue command '" + args[0] + "': expected local, create, stats or sweep");
        };
    }

    // ---------------------------------------------------------------- create

    private static int create(String[] args, PrintStream out) {
        Arguments arguments = new Arguments(args, Set.of("--visibility", "--dlq-after"), Set.of());
        if (arguments.help) {
            out.print(USAGE);
            return 0;
        }
        if (arguments.positional.size() != 1) {
            throw new UsageException("expected the queue NAME");
        }
        String name = arguments.positional.get(0);
        boolean fifo = name.endsWith(FIFO);
        String base = fifo ? name.substring(0, name.length() - FIFO.length()) : name;
        Integer dlqAfter = arguments.flag("--dlq-after") ? dlqAfter(arguments.option("--dlq-after", null)) : null;
        int longest = 80 - (dlqAfter == null ? 0 : DLQ_SUFFIX.length()) - (fifo ? FIFO.length() : 0);
        if (!NAME.matcher(base).matches() || base.length() > longest) {
            throw new UsageException("a queue name is up to " + longest + " letters, digits, '-' or '_'"
                    + (fifo ? " before .fifo" : " (optionally ending in .fifo)") + ", not '" + name + "'");
        }
        Duration visibility = Durations.parse(arguments.option("--visibility", "30s"));
        if (visibility.toMillis() % 1000 != 0 || visibility.toSeconds() > QueueWire.MAX_VISIBILITY_SECONDS) {
            throw new UsageException("--visibility is whole seconds up to 12h, not " + arguments.option("--visibility", null));
        }
        try (SqsClient sqs = Queues.sqs()) {
            Map<QueueAttributeName, String> attributes = new LinkedHashMap<>();
            if (fifo) {
                attributes.put(QueueAttributeName.FIFO_QUEUE, "true");
            }
            attributes.put(QueueAttributeName.VISIBILITY_TIMEOUT, Long.toString(visibility.toSeconds()));
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

    private static int dlqAfter(String text) {
        try {
            int receives = Integer.parseInt(text);
            if (receives >= 1 && receives <= 1000) {
                return receives;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new UsageException("--dlq-after takes a number of receives from 1 to 1000, not " + text);
    }

    // ---------------------------------------------------------------- stats

    private static int stats(String[] args, PrintStream out) {
        Arguments arguments = new Arguments(args, Set.of(), Set.of("--json"));
        if (arguments.help) {
            out.print(USAGE);
            return 0;
        }
        if (arguments.positional.size() != 1) {
            throw new UsageException("expected the queue URL");
        }
        String url = arguments.positional.get(0);
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
            if (arguments.flag("--json")) {
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

    private static int sweep(String[] args, PrintStream out) {
        Arguments arguments = new Arguments(args, Set.of("--prefix", "--stale"), Set.of());
        if (arguments.help) {
            out.print(USAGE);
            return 0;
        }
        if (!arguments.positional.isEmpty()) {
            throw new UsageException("unexpected argument " + arguments.positional.get(0));
        }
        String prefix = arguments.option("--prefix", "piperpc-reply-");
        Duration stale = Durations.parse(arguments.option("--stale", "5m"));
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
