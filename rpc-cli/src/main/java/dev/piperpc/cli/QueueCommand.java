package dev.piperpc.cli;

import dev.piperpc.queue.QueueWire;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.concurrent.Callable;
import java.util.regex.Pattern;

/**
 * {@code piperpc queue}: make, watch and clean up SQS queues for piperpc. The commands check their
 * arguments here; {@link QueueAdmin} does the work, so that this class mentions no AWS SDK type.
 */
@Command(name = "queue", synopsisSubcommandLabel = "local|create|stats|sweep",
        description = {
                "SQS queues for piperpc: a local server; create, stats, sweep"},
        subcommands = {OwnJarCommands.QueueLocal.class, QueueCommand.Create.class, QueueCommand.Stats.class, QueueCommand.Sweep.class},
        footerHeading = "%n",
        footer = {
                "The AWS SDK reads the endpoint (AWS_ENDPOINT_URL_SQS, such as the URL 'queue local' prints), the "
                        + "region (AWS_REGION) and the credentials from the environment. Bad usage: exit 2. SQS cannot "
                        + "be reached or refuses: exit 3.",
                "",
                "'piperpc queue COMMAND --help' tells more."})
final class QueueCommand implements Callable<Integer> {

    private static final String ENVIRONMENT = "The AWS SDK reads the endpoint (AWS_ENDPOINT_URL_SQS), the region "
            + "(AWS_REGION) and the credentials from the environment. Bad usage: exit 2. SQS cannot be reached or refuses: exit 3.";

    @Override
    public Integer call() {
        throw new UsageException("expected local, create, stats or sweep");
    }

    /** {@code piperpc queue create}. */
    @Command(name = "create",
            description = {
                    "create a queue and print its URL",
                    "",
                    "Creates the queue NAME (or finds it, if it exists with the same settings) and prints its URL as "
                            + "the only line on stdout. A name ending in .fifo makes a FIFO queue."},
            footerHeading = "%n", footer = ENVIRONMENT)
    static final class Create implements Callable<Integer> {

        private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,80}");
        private static final String FIFO = ".fifo";

        @Parameters(paramLabel = "NAME", description = "the queue's name: letters, digits, '-' and '_'")
        private String name;

        @Option(names = "--visibility", paramLabel = "DUR", defaultValue = "30s",
                description = "the visibility timeout, whole seconds up to 12h (default ${DEFAULT-VALUE}); a worker renews its lease while a call runs")
        private DurationArgument visibility;

        @Option(names = "--dlq-after", paramLabel = "N",
                description = "also create the dead-letter queue NAME-dlq, which takes a message after N (1 to 1000) receives (a RedrivePolicy)")
        private Integer dlqAfter;

        private final Invocation invocation;

        Create(Invocation invocation) {
            this.invocation = invocation;
        }

        @Override
        public Integer call() {
            if (dlqAfter != null && (dlqAfter < 1 || dlqAfter > 1000)) {
                throw new UsageException("--dlq-after takes a number of receives from 1 to 1000, not " + dlqAfter);
            }
            boolean fifo = name.endsWith(FIFO);
            String base = fifo ? name.substring(0, name.length() - FIFO.length()) : name;
            int longest = 80 - (dlqAfter == null ? 0 : "-dlq".length()) - (fifo ? FIFO.length() : 0);
            if (!NAME.matcher(base).matches() || base.length() > longest) {
                throw new UsageException("a queue name is up to " + longest + " letters, digits, '-' or '_'"
                        + (fifo ? " before .fifo" : " (optionally ending in .fifo)") + ", not '" + name + "'");
            }
            if (visibility.value().toMillis() % 1000 != 0 || visibility.value().toSeconds() > QueueWire.MAX_VISIBILITY_SECONDS) {
                throw new UsageException("--visibility is whole seconds up to 12h, not " + visibility);
            }
            return QueueAdmin.create(name, visibility.value().toSeconds(), dlqAfter, invocation.out());
        }
    }

    /** {@code piperpc queue stats}. */
    @Command(name = "stats",
            description = {
                    "the messages of a queue and of its dead-letter queue",
                    "",
                    "Prints the approximate number of messages visible, in flight and delayed in the queue at URL, "
                            + "and those of its dead-letter queue if it has one: one 'label: value' line each."},
            footerHeading = "%n", footer = ENVIRONMENT)
    static final class Stats implements Callable<Integer> {

        @Parameters(paramLabel = "URL", description = "the queue's URL")
        private String url;

        @Option(names = "--json", description = "print one JSON object instead: url, visible, inFlight, delayed, and dlq (the same and maxReceiveCount, or null)")
        private boolean json;

        private final Invocation invocation;

        Stats(Invocation invocation) {
            this.invocation = invocation;
        }

        @Override
        public Integer call() {
            return QueueAdmin.stats(url, json, invocation.out());
        }
    }

    /** {@code piperpc queue sweep}. */
    @Command(name = "sweep",
            description = {
                    "delete the reply queues of managers that stopped without closing",
                    "",
                    "Deletes the reply queues whose heartbeat is older than --stale and prints the URL of each queue "
                            + "deleted."},
            footerHeading = "%n", footer = ENVIRONMENT)
    static final class Sweep implements Callable<Integer> {

        @Option(names = "--prefix", paramLabel = "P", defaultValue = "piperpc-reply-",
                description = "the start of the reply queues' names (default ${DEFAULT-VALUE})")
        private String prefix;

        @Option(names = "--stale", paramLabel = "DUR", defaultValue = "5m",
                description = "how old a heartbeat is when its manager is taken for gone (default ${DEFAULT-VALUE})")
        private DurationArgument stale;

        private final Invocation invocation;

        Sweep(Invocation invocation) {
            this.invocation = invocation;
        }

        @Override
        public Integer call() {
            return QueueAdmin.sweep(prefix, stale.value(), invocation.out());
        }
    }
}
