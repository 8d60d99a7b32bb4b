package dev.piperpc.cli;

import dev.piperpc.core.framing.Framing;
import dev.piperpc.core.message.RawJson;
import dev.piperpc.worker.Worker;

import java.io.PrintStream;
import java.util.Set;

/** {@code piperpc serve}: a built-in worker on this process's stdin and stdout, or on a request queue. */
final class ServeCommand {

    static final String USAGE = """
            usage: piperpc serve spec|echo [--framing newline|lsp|stream]
                   piperpc serve spec|echo --listen sqs:URL [--blob-store file:DIR|s3://BUCKET/PREFIX]

            Runs a built-in worker on stdin/stdout until stdin ends:
              spec  the methods of the JSON-RPC 2.0 specification's examples (subtract, sum, update,
                    notify_hello, notify_sum, get_data) plus echo, sleep(ms) and fail(message)
              echo  answers every method with its params
            With --listen sqs:URL it serves the SQS request queue at URL instead, until SIGTERM (then
            running calls finish and are answered, and it exits 0); 'piperpc call --queue URL' calls
            it. The AWS SDK reads AWS_ENDPOINT_URL_SQS, AWS_REGION and the credentials. SQS cannot be
            used (no region, say): exit 3. --blob-store (default: $PIPERPC_BLOB_STORE) is where requests
            above 256 KiB are read from and answers above it are stored (claim-check); the callers
            need the same store.
            """;

    private ServeCommand() {
    }

    static int run(String[] args, PrintStream out) {
        Arguments arguments = new Arguments(args, Set.of("--framing", "--listen", "--blob-store"), Set.of());
        if (arguments.help) {
            out.print(USAGE);
            return 0;
        }
        if (arguments.positional.size() != 1) {
            throw new UsageException("expected spec or echo");
        }
        Framing framing = Main.framing(arguments.option("--framing", "newline"));
        Worker.Builder worker = Worker.builder().framing(framing);
        switch (arguments.positional.get(0)) {
            case "spec" -> worker.service(new SpecWorker());
            case "echo" -> worker.fallbackHandler(request -> request.params() == null ? RawJson.NULL : request.params());
            default -> throw new UsageException("unknown worker '" + arguments.positional.get(0) + "': expected spec or echo");
        }
        String listen = arguments.option("--listen", null);
        if (listen != null) {
            if (arguments.options.containsKey("--framing")) {
                throw new UsageException("--framing applies to stdin/stdout, not to --listen");
            }
            listen(worker, listen, arguments, Runtime.getRuntime().availableProcessors());
            return runListening(worker);
        }
        if (arguments.options.containsKey("--blob-store")) {
            throw new UsageException("--blob-store applies to --listen, not to stdin/stdout");
        }
        worker.run();
        return 0;
    }

    /**
     * Makes {@code worker} (of {@code concurrency}) listen on {@code uri} (only {@code sqs:<queue
     * URL>}) with the blob store of {@code --blob-store} or {@code PIPERPC_BLOB_STORE}; its run then
     * serves until SIGTERM and ends the process itself.
     */
    static void listen(Worker.Builder worker, String uri, Arguments arguments, int concurrency) {
        if (!uri.startsWith("sqs:http://") && !uri.startsWith("sqs:https://")) {
            throw new UsageException("--listen takes sqs:<queue URL>, not " + uri);
        }
        String blobStore = arguments.option("--blob-store", null);
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
