package dev.piperpc.cli;

import dev.piperpc.core.framing.Framing;
import dev.piperpc.core.message.RawJson;
import dev.piperpc.worker.Worker;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.concurrent.Callable;

/** {@code piperpc serve}: a built-in worker on this process's stdin and stdout, or on a request queue. */
@Command(name = "serve",
        customSynopsis = {
                "piperpc serve spec|echo [--framing newline|lsp|stream]",
                "       piperpc serve spec|echo --listen sqs:URL",
                "                     [--blob-store file:DIR|s3://BUCKET/PREFIX]"},
        description = {
                "run a built-in worker (spec, echo) on stdin/stdout or a request queue",
                "",
                "Runs a built-in worker on stdin/stdout until stdin ends. With --listen sqs:URL it serves the SQS "
                        + "request queue at URL instead, until SIGTERM: then running calls finish and are answered, "
                        + "and it exits 0; 'piperpc call --queue URL' calls it."},
        footerHeading = "%nexit codes:%n",
        footer = {
                "  0  stdin ended, or SIGTERM stopped the listening worker",
                "  2  bad usage",
                "  3  SQS cannot be used (no region, say)",
                "",
                "Over SQS, the AWS SDK reads the endpoint (AWS_ENDPOINT_URL_SQS), the region (AWS_REGION) and the "
                        + "credentials from the environment."})
final class ServeCommand implements Callable<Integer> {

    /** The help of --blob-store on serve and bridge. */
    static final String LISTEN_BLOB_STORE = "with --listen: where requests above 256 KiB are read from and answers "
            + "above it are stored (claim-check):%n"
            + "  file:DIR or s3://BUCKET/PREFIX%n"
            + "(default: $PIPERPC_BLOB_STORE). The callers need the same store.";

    @Parameters(index = "0", paramLabel = "spec|echo", description = {
            "spec: the methods of the JSON-RPC 2.0 specification's examples",
            "  (subtract, sum, update, notify_hello, notify_sum,",
            "  get_data) plus echo, sleep(ms) and fail(message)",
            "echo: answers every method with its params"})
    private String name;

    @Option(names = "--framing", paramLabel = "newline|lsp|stream", description = "how messages are delimited on stdin/stdout (default newline)")
    private Framing framing;

    @Option(names = "--listen", paramLabel = "sqs:URL", description = "serve the SQS request queue at URL instead of stdin/stdout")
    private String listen;

    @Option(names = "--blob-store", paramLabel = "SPEC", description = LISTEN_BLOB_STORE)
    private String blobStore;

    @Override
    public Integer call() {
        Worker.Builder worker = Worker.builder().framing(framing == null ? Framing.NEWLINE : framing);
        switch (name) {
            case "spec" -> worker.service(new SpecWorker());
            case "echo" -> worker.fallbackHandler(request -> request.params() == null ? RawJson.NULL : request.params());
            default -> throw new UsageException("unknown worker '" + name + "': expected spec or echo");
        }
        if (listen != null) {
            if (framing != null) {
                throw new UsageException("--framing applies to stdin/stdout, not to --listen");
            }
            listen(worker, listen, blobStore, Runtime.getRuntime().availableProcessors());
            return runListening(worker);
        }
        if (blobStore != null) {
            throw new UsageException("--blob-store applies to --listen, not to stdin/stdout");
        }
        worker.run();
        return 0;
    }

    /**
     * Makes {@code worker} (of {@code concurrency}) listen on {@code uri} (only {@code sqs:<queue
     * URL>}) with the blob store {@code blobStore} names, else {@code PIPERPC_BLOB_STORE}'s; its run
     * then serves until SIGTERM and ends the process itself.
     */
    static void listen(Worker.Builder worker, String uri, String blobStore, int concurrency) {
        if (!uri.startsWith("sqs:http://") && !uri.startsWith("sqs:https://")) {
            throw new UsageException("--listen takes sqs:<queue URL>, not " + uri);
        }
        if (blobStore == null) {
            worker.listen(uri); // PIPERPC_BLOB_STORE, if set, is read where the acceptor is made
        } else {
            worker.listen(Queues.acceptor(uri, concurrency, blobStore));
        }
    }

    /** Runs a worker that listens; its failure to start listening is a usage error (the URI) or exit 3 (SQS). */
    static int runListening(Worker.Builder worker) {
        try {
            worker.run();
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        } catch (RuntimeException e) {
            throw new UnavailableException("cannot listen: " + e.getMessage());
        }
        return 0;
    }
}
