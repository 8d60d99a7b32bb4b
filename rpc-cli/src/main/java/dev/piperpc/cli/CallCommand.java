package dev.piperpc.cli;

import dev.piperpc.core.CallTimeoutException;
import dev.piperpc.core.ConnectionClosedException;
import dev.piperpc.core.Endpoint;
import dev.piperpc.core.Params;
import dev.piperpc.core.PiperpcException;
import dev.piperpc.core.RpcException;
import dev.piperpc.core.framing.Framing;
import dev.piperpc.core.message.ErrorObject;
import dev.piperpc.core.message.RawJson;
import dev.piperpc.pipe.WorkerCommand;
import dev.piperpc.pipe.WorkerProcess;
import dev.piperpc.pipe.WorkerStartException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.Callable;

/** {@code piperpc call}: one call to a worker started for it, or to a request queue. */
@Command(name = "call",
        customSynopsis = {
                "piperpc call [--framing newline|lsp|stream] [--timeout DUR]",
                "                    METHOD [PARAMS_JSON] -- CMD ARGS...",
                "       piperpc call --queue URL [--blob-store file:DIR|s3://BUCKET/PREFIX]",
                "                    [--timeout DUR] METHOD [PARAMS_JSON]"},
        description = {
                "one call to a worker started for it, or to a request queue",
                "",
                "Starts CMD as a worker (a JSON-RPC peer on stdin/stdout, in any language), calls METHOD with "
                        + "PARAMS_JSON, prints the result as JSON on stdout and exits 0. With --queue, the call goes "
                        + "to the SQS request queue at URL instead, answered by whichever worker serves it "
                        + "('piperpc serve|bridge --listen sqs:URL'): the same output and exit codes."},
        footerHeading = "%nexit codes:%n",
        footer = {
                "  0  the result is on stdout",
                "  1  a JSON-RPC error: the error object is on stderr",
                "  2  bad usage",
                "  3  the worker died or could not start; SQS cannot be reached or refused",
                "     the call",
                "  4  no answer within the timeout",
                "",
                "Over SQS, the AWS SDK reads the endpoint (AWS_ENDPOINT_URL_SQS), the region (AWS_REGION) and the "
                        + "credentials from the environment."})
final class CallCommand implements Callable<Integer>, TakesWorkerCommand {

    /** The help of --blob-store on call and send. */
    static final String BLOB_STORE = "with --queue: where texts above 256 KiB go, the message carrying a pointer (claim-check):%n"
            + "  file:DIR, a directory every host reaches,%n"
            + "  or s3://BUCKET/PREFIX%n"
            + "(default: $PIPERPC_BLOB_STORE). The workers need the same store. Without one, a message too big for SQS "
            + "(1 MiB) fails its call: exit 3.";

    @Parameters(index = "0", paramLabel = "METHOD", description = "the method to call")
    private String method;

    @Parameters(index = "1", arity = "0..1", paramLabel = "PARAMS_JSON", description = "its params: a JSON array or object (none if left out)")
    private String paramsJson;

    @Option(names = "--framing", paramLabel = "newline|lsp|stream", description = "how messages are delimited on the worker's pipes (default newline)")
    private Framing framing;

    @Option(names = "--timeout", paramLabel = "DUR", defaultValue = "30s",
            description = "how long to wait for the answer (default ${DEFAULT-VALUE}): 500ms, 30s, 2m, 1h or 1d")
    private DurationArgument timeout;

    @Option(names = "--queue", paramLabel = "URL", description = "call the SQS request queue at URL instead of a worker command")
    private String queue;

    @Option(names = "--blob-store", paramLabel = "SPEC", description = BLOB_STORE)
    private String blobStore;

    private final Invocation invocation;

    CallCommand(Invocation invocation) {
        this.invocation = invocation;
    }

    @Override
    public Integer call() {
        PrintStream out = invocation.out();
        PrintStream err = invocation.err();
        Params params = paramsJson == null ? Params.none() : parseParams(paramsJson);
        Endpoint.Builder endpoint = Endpoint.builder().defaultTimeout(timeout.value());
        Connection connection;
        if (queue != null) {
            requireQueueAlone(invocation, framing == null ? null : "--framing");
            connection = Queues.open(queue, endpoint, blobStore);
        } else {
            requireNoBlobStore(blobStore);
            WorkerCommand command = WorkerCommand.of(invocation.requireWorkerCommand())
                    .withFraming(framing == null ? Framing.NEWLINE : framing).withShutdownGrace(Duration.ofSeconds(2));
            WorkerProcess worker;
            try {
                worker = WorkerProcess.start("worker", command, endpoint);
            } catch (WorkerStartException e) {
                err.println("piperpc: " + e.getMessage());
                return 3;
            }
            connection = new Connection(worker.endpoint(), worker::close);
        }
        try (connection) {
            RawJson result = connection.rpc().call(method, params, RawJson.class);
            out.println(result);
            return 0;
        } catch (RpcException e) {
            err.println(errorJson(e.error()));
            return 1;
        } catch (CallTimeoutException e) {
            err.println("piperpc: no response to '" + method + "' within " + timeout + " (--timeout)");
            return 4;
        } catch (ConnectionClosedException e) {
            err.println("piperpc: " + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()));
            return 3;
        } catch (PiperpcException e) {
            err.println("piperpc: " + e.getMessage());
            return 3;
        }
    }

    /**
     * With --queue there is no worker command, and an option that only a worker command takes is refused.
     *
     * @param givenWorkerOptions the names of such options, {@code null} for each one not given
     */
    static void requireQueueAlone(Invocation invocation, String... givenWorkerOptions) {
        if (!invocation.workerCommand().isEmpty()) {
            throw new UsageException("give either --queue URL or a worker command after --, not both");
        }
        for (String option : givenWorkerOptions) {
            if (option != null) {
                throw new UsageException(option + " applies to a worker command, not to --queue");
            }
        }
    }

    /** --blob-store is for messages that travel over SQS; a pipe carries any size. */
    static void requireNoBlobStore(String blobStore) {
        if (blobStore != null) {
            throw new UsageException("--blob-store applies to --queue, not to a worker command");
        }
    }

    static Params parseParams(String json) {
        RawJson raw;
        try {
            raw = RawJson.parse(json);
        } catch (IllegalArgumentException e) {
            throw new UsageException("PARAMS_JSON is not JSON: " + e.getMessage());
        }
        if (!raw.isArray() && !raw.isObject()) {
            throw new UsageException("PARAMS_JSON must be a JSON array or object, not " + json);
        }
        return Params.raw(raw);
    }

    static String errorJson(ErrorObject error) {
        StringBuilder json = new StringBuilder("{\"code\":").append(error.code())
                .append(",\"message\":").append(RawJson.ofString(error.message()));
        if (error.data() != null) {
            json.append(",\"data\":").append(error.data());
        }
        return json.append('}').toString();
    }
}
