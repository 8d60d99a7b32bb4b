package dev.piperpc.queue.local;

import org.elasticmq.NodeAddress;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;

import java.io.PrintStream;
import java.util.concurrent.CountDownLatch;

/**
 * {@code piperpc queue local}: an SQS-compatible server (ElasticMQ, in memory) on 127.0.0.1 until
 * the process is stopped. The first line on stdout is the endpoint URL, for
 * {@code AWS_ENDPOINT_URL_SQS}; nothing else is written there.
 */
public final class LocalQueueServer {

    /** The port of ElasticMQ and of most local SQS setups. */
    public static final int DEFAULT_PORT = 9324;

    static final String USAGE = """
            usage: piperpc queue local [--port N]

            Runs an SQS-compatible server (ElasticMQ, in memory: queues go when it stops) on
            127.0.0.1 port N (default 9324; 0 picks a free port) until stopped (SIGTERM, Ctrl-C).
            The first line on stdout is its endpoint URL: export it as AWS_ENDPOINT_URL_SQS, with
            AWS_REGION and any AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY (they are not checked).
            """;

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
        int port = DEFAULT_PORT;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--help", "-h" -> {
                    out.print(USAGE);
                    return 0;
                }
                case "--port" -> {
                    if (i + 1 >= args.length) {
                        return usage(err, "--port needs a value");
                    }
                    port = parsePort(args[++i]);
                    if (port < 0) {
                        return usage(err, "--port takes a number from 0 to 65535, not " + args[i]);
                    }
                }
                default -> {
                    return usage(err, args[i].startsWith("-") ? "unknown option " + args[i] : "unexpected argument " + args[i]);
                }
            }
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

    private static int parsePort(String text) {
        try {
            int port = Integer.parseInt(text);
            return port >= 0 && port <= 65535 ? port : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static int usage(PrintStream err, String message) {
        err.println("piperpc: " + message);
        err.println("try 'piperpc queue local --help'");
        return 2;
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
