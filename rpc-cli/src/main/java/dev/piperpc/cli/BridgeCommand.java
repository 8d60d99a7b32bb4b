package dev.piperpc.cli;

import dev.piperpc.core.Endpoint;
import dev.piperpc.core.framing.Framing;
import dev.piperpc.pipe.WorkerCommand;
import dev.piperpc.pipe.WorkerPool;
import dev.piperpc.pipe.WorkerStartException;
import dev.piperpc.worker.Worker;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Set;

/**
 * {@code piperpc bridge}: any stdio JSON-RPC worker serves a request queue unchanged. The queue is
 * consumed as by any queue worker (the same receiving, leases, deletes and dedupe), and each
 * request is forwarded to a pool of CMD processes: method and params as they came, the worker's
 * result or error object back as it answered.
 */
final class BridgeCommand {

    /** How many requests the bridge holds per worker process. */
    static final int REQUESTS_PER_WORKER = 4;

    static final String USAGE = """
            usage: piperpc bridge --listen sqs:URL [--workers N] [--framing newline|lsp|stream] [--timeout DUR]
                                  [--blob-store file:DIR|s3://BUCKET/PREFIX] -- CMD ARGS...

            Serves the SQS request queue at URL with N (default 1) processes of CMD, a JSON-RPC worker on
            stdin/stdout in any language, unchanged: each request is forwarded to a worker and its
            result or error object goes back to the caller as the worker wrote it; notifications are
            forwarded too. At most 4 requests per worker are taken from the queue at once; a request
            still unanswered after --timeout (default 1h) is cancelled and answered with an error.
            A worker's own notifications (progress, logs) go to the caller whose progress token they
            name (LSP's workDoneToken/partialResultToken, MCP's _meta.progressToken), or to the only
            caller with calls running; else they are dropped. Its requests are answered -32601.
            Runs until SIGTERM: it stops taking requests, lets running ones finish, exits 0.
            --blob-store (default: $PIPERPC_BLOB_STORE): where requests above 256 KiB are read from and
            answers above it are stored (claim-check), as 'piperpc serve --help' says.
            The AWS SDK reads AWS_ENDPOINT_URL_SQS, AWS_REGION and the credentials. Bad usage: exit 2;
            the workers could not start or SQS cannot be used: exit 3.
            """;

    private BridgeCommand() {
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        Arguments arguments = new Arguments(args, Set.of("--listen", "--workers", "--framing", "--timeout", "--blob-store"), Set.of());
        if (arguments.help) {
            out.print(USAGE);
            return 0;
        }
        if (!arguments.positional.isEmpty()) {
            throw new UsageException("unexpected argument " + arguments.positional.get(0) + " (the worker command goes after --)");
        }
        String listen = arguments.option("--listen", null);
        if (listen == null) {
            throw new UsageException("missing --listen sqs:URL");
        }
        int workers = SendCommand.parseWorkers(arguments.option("--workers", "1"));
        Framing framing = Main.framing(arguments.option("--framing", "newline"));
        Duration timeout = Durations.parse(arguments.option("--timeout", "1h"));
        WorkerCommand command = WorkerCommand.of(arguments.requireCommand()).withFraming(framing).withShutdownGrace(Duration.ofSeconds(10));
        Worker.Builder bridge = Worker.builder().concurrency(workers * REQUESTS_PER_WORKER);
        ServeCommand.listen(bridge, listen, arguments, workers * REQUESTS_PER_WORKER);

        BridgeRoutes routes = new BridgeRoutes();
        Endpoint.Builder toWorkers = Endpoint.builder().defaultTimeout(timeout).fallbackHandler(routes::fromWorker);
        WorkerPool pool;
        try {
            pool = WorkerPool.builder(command).size(workers).endpoint(toWorkers).acquireTimeout(timeout).start();
        } catch (WorkerStartException e) {
            err.println("piperpc: " + e.getMessage());
            return 3;
        }
        bridge.fallbackHandler(request -> routes.forward(pool, request));
        try {
            return ServeCommand.runListening(bridge);
        } finally {
            pool.close();
        }
    }
}
