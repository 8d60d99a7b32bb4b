package dev.piperpc.cli;

import dev.piperpc.core.Endpoint;
import dev.piperpc.core.framing.Framing;
import dev.piperpc.pipe.WorkerCommand;
import dev.piperpc.pipe.WorkerPool;
import dev.piperpc.pipe.WorkerStartException;
import dev.piperpc.worker.Worker;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * {@code piperpc bridge}: any stdio JSON-RPC worker serves a request queue unchanged. The queue is
 * consumed as by any queue worker (the same receiving, leases, deletes and dedupe), and each
 * request is forwarded to a pool of CMD processes: method and params as they came, the worker's
 * result or error object back as it answered.
 */
@Command(name = "bridge",
        customSynopsis = {
                "piperpc bridge --listen sqs:URL [--workers N] [--framing newline|lsp|stream]",
                "                      [--timeout DUR] [--blob-store file:DIR|s3://BUCKET/PREFIX]",
                "                      -- CMD ARGS..."},
        description = {
                "a stdio worker, in any language, serves a request queue unchanged",
                "",
                "Serves the SQS request queue at URL with N processes of CMD, a JSON-RPC worker on stdin/stdout: "
                        + "each request is forwarded to a worker and its result or error object goes back to the "
                        + "caller as the worker wrote it; notifications are forwarded too. At most 4 requests per "
                        + "worker are taken from the queue at once. A worker's own notifications (progress, logs) "
                        + "go to the caller whose progress token they name (LSP's workDoneToken or "
                        + "partialResultToken, MCP's _meta.progressToken), or to the only caller with calls running; "
                        + "else they are dropped. Its requests are answered -32601. Runs until SIGTERM: it stops "
                        + "taking requests, lets running ones finish, exits 0."},
        footerHeading = "%nexit codes:%n",
        footer = {
                "  0  SIGTERM stopped it",
                "  2  bad usage",
                "  3  the workers could not start; SQS cannot be used",
                "",
                "The AWS SDK reads the endpoint (AWS_ENDPOINT_URL_SQS), the region (AWS_REGION) and the credentials "
                        + "from the environment."})
final class BridgeCommand implements Callable<Integer>, TakesWorkerCommand {

    /** How many requests the bridge holds per worker process. */
    static final int REQUESTS_PER_WORKER = 4;

    @Option(names = "--listen", required = true, paramLabel = "sqs:URL", description = "the SQS request queue to serve")
    private String listen;

    @Option(names = "--workers", paramLabel = "N", defaultValue = "1", description = "how many processes of CMD to run (default ${DEFAULT-VALUE})")
    private int workers;

    @Option(names = "--framing", paramLabel = "newline|lsp|stream", defaultValue = "newline",
            description = "how messages are delimited on the workers' pipes (default ${DEFAULT-VALUE})")
    private Framing framing;

    @Option(names = "--timeout", paramLabel = "DUR", defaultValue = "1h",
            description = "a request still unanswered after DUR is cancelled and answered with an error (default ${DEFAULT-VALUE}): 500ms, 30s, 2m, 1h or 1d")
    private DurationArgument timeout;

    @Option(names = "--blob-store", paramLabel = "SPEC", description = ServeCommand.LISTEN_BLOB_STORE)
    private String blobStore;

    private final Invocation invocation;

    BridgeCommand(Invocation invocation) {
        this.invocation = invocation;
    }

    @Override
    public Integer call() {
        int size = SendCommand.requirePositive("--workers", workers);
        WorkerCommand command = WorkerCommand.of(invocation.requireWorkerCommand()).withFraming(framing).withShutdownGrace(Duration.ofSeconds(10));
        Worker.Builder bridge = Worker.builder().concurrency(size * REQUESTS_PER_WORKER);
        ServeCommand.listen(bridge, listen, blobStore, size * REQUESTS_PER_WORKER);

        BridgeRoutes routes = new BridgeRoutes();
        Endpoint.Builder toWorkers = Endpoint.builder().defaultTimeout(timeout.value()).fallbackHandler(routes::fromWorker);
        WorkerPool pool;
        try {
            pool = WorkerPool.builder(command).size(size).endpoint(toWorkers).acquireTimeout(timeout.value()).start();
        } catch (WorkerStartException e) {
            invocation.err().println("piperpc: " + e.getMessage());
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
