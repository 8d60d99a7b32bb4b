package dev.piperpc.queue.local;

import org.elasticmq.NodeAddress;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;

/**
 * {@code piperpc queue local}: an SQS-compatible server (ElasticMQ, in memory) on 127.0.0.1 until
 * the process is stopped. The first line on stdout is the endpoint URL, for
 * {@code AWS_ENDPOINT_URL_SQS}; nothing else is written there.
 */
public final class LocalQueueServer {

    /** The port of ElasticMQ and of most local SQS setups. */
    public static final int DEFAULT_PORT = 9324;

    /** The command line of {@code piperpc queue local}. */
    // The build writes the project version into the resource bundle version.properties.
    @Command(name = "piperpc queue local", mixinStandardHelpOptions = true,
            version = "piperpc ${bundle:piperpc.version}", resourceBundle = "dev.piperpc.queue.local.version",
            synopsisHeading = "usage: ", descriptionHeading = "%n", optionListHeading = "%noptions:%n", sortOptions = false,
            description = {
                    "an SQS-compatible server (ElasticMQ, in memory) on 127.0.0.1",
                    "",
                    "Runs an SQS-compatible server (in memory: queues go when it stops) until stopped (SIGTERM, "
                            + "Ctrl-C). The first line on stdout is its endpoint URL: export it as AWS_ENDPOINT_URL_SQS, "
                            + "with AWS_REGION and any AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY (they are not checked)."},
            footerHeading = "%n",
            footer = "Bad usage: exit 2. The port cannot be used: exit 3.")
    static final class Options {
        @Option(names = "--port", paramLabel = "N", defaultValue = "" + DEFAULT_PORT,
                description = "the port (default ${DEFAULT-VALUE}; 0 picks a free port)")
        int port;
    }

    private final SQSRestServer server;
    private final String endpoint;

    private LocalQueueServer(SQSRestServer server, String endpoint) {
        this.server = server;
        this.endpoint = endpoint;
    }

    /**
     * Starts a server on 127.0.0.1.
     *
     * @param port the port, or 0 for a free one
     * @return the running server
     */
    public static LocalQueueServer start(int port) {
        SQSRestServer server = port == 0
                ? SQSRestServerBuilder.withDynamicPort().withInterface("127.0.0.1").start()
                : SQSRestServerBuilder.withPort(port).withInterface("127.0.0.1")
                        .withServerAddress(new NodeAddress("http", "127.0.0.1", port, "")).start();
        int bound = server.waitUntilStarted().localAddress().getPort();
        return new LocalQueueServer(server, "http://127.0.0.1:" + bound);
    }

    /** The endpoint URL, such as {@code http://127.0.0.1:9324}. */
    public String endpoint() {
        return endpoint;
    }

    /**
     * Stops the server, waiting a few seconds at most: a stop that waits for a client's
     * connection to end must not hold the process's exit.
     */
    public void stop() {
        Thread stopping = new Thread(server::stopAndWait, "elasticmq-stopping");
        stopping.setDaemon(true);
        stopping.start();
        try {
            stopping.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Runs the server until the process is stopped.
     *
     * @param args {@code [--port N]}
     */
    public static void main(String[] args) throws InterruptedException {
        setDefault("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        setDefault("org.slf4j.simpleLogger.showThreadName", "false");
        int code = run(args, System.out, System.err);
        if (code >= 0) {
            System.exit(code);
        }
    }

    /** Returns an exit code, or starts the server, prints its URL and waits until the process is stopped. */
    static int run(String[] args, PrintStream out, PrintStream err) throws InterruptedException {
        CommandLine cli = new CommandLine(new Options()).setOut(new PrintWriter(out, true)).setExpandAtFiles(false);
        int port;
        try {
            ParseResult parsed = cli.parseArgs(args);
            if (CommandLine.printHelpIfRequested(parsed)) {
                return 0;
            }
            port = cli.<Options>getCommand().port;
            if (port < 0 || port > 65535) {
                throw new ParameterException(cli, "--port takes a number from 0 to 65535, not " + port);
            }
        } catch (ParameterException e) {
            String message = e.getMessage().strip().replaceAll("\\s*\\R\\s*", " ");
            err.println("piperpc: " + message.substring(0, 1).toLowerCase(Locale.ROOT) + message.substring(1));
            err.println("try 'piperpc queue local --help'");
            return 2;
        }
        LocalQueueServer server;
        try {
            server = start(port);
        } catch (RuntimeException e) {
            err.println("piperpc: could not start the local queue server on 127.0.0.1:" + port + ": " + rootMessage(e));
            return 3;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.stop();
            stopped.countDown();
        }, "piperpc-queue-local-stop"));
        out.println(server.endpoint());
        out.flush();
        err.println("piperpc: local SQS server on " + server.endpoint() + " (in memory); stop it with Ctrl-C");
        stopped.await();
        return -1;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() != null ? root.getMessage() : root.toString();
    }

    private static void setDefault(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
