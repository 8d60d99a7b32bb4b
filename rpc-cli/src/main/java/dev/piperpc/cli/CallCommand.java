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

import java.io.PrintStream;
import java.time.Duration;
import java.util.Set;

/** {@code piperpc call}: one call to a worker started for it. */
final class CallCommand {

    static final String USAGE = """
            usage: piperpc call [--framing newline|lsp|stream] [--timeout DUR] METHOD [PARAMS_JSON] -- CMD ARGS...
                   piperpc call --queue URL [--blob-store file:DIR|s3://BUCKET/PREFIX] [--timeout DUR] METHOD [PARAMS_JSON]

            Starts CMD as a worker, calls METHOD with PARAMS_JSON (a JSON array or object), prints the
            result as JSON on stdout and exits 0. A JSON-RPC error: the error object on stderr, exit 1.
            Bad usage: exit 2. The worker died or could not start: exit 3. No answer within the
            timeout (default 30s; durations like 500ms, 30s, 2m): exit 4.
            With --queue, the call goes to the SQS request queue at URL instead, answered by whichever
            worker serves it (piperpc serve/bridge --listen sqs:URL); the same output and exit codes,
            and exit 3 when SQS cannot be reached or refuses the call. The AWS SDK reads the endpoint
            (AWS_ENDPOINT_URL_SQS), the region (AWS_REGION) and the credentials from the environment.
            --blob-store (default: $PIPERPC_BLOB_STORE) names where texts above 256 KiB go (claim-check:
            the message carries a pointer): a directory every host reaches, or an S3 prefix. The
            workers need the same store. Without one, a call too big for SQS (1 MiB) fails: exit 3.
            """;

    private CallCommand() {
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        Arguments arguments = new Arguments(args, Set.of("--framing", "--timeout", "--queue", "--blob-store"), Set.of());
        if (arguments.help) {
            out.print(USAGE);
            return 0;
        }
        String queue = arguments.option("--queue", null);
        String where = queue == null ? " before --" : "";
        if (arguments.positional.isEmpty() || arguments.positional.size() > 2) {
            throw new UsageException("expected METHOD and optionally PARAMS_JSON" + where);
        }
        String method = arguments.positional.get(0);
        Params params = arguments.positional.size() == 2 ? parseParams(arguments.positional.get(1)) : Params.none();
        Duration timeout = Durations.parse(arguments.option("--timeout", "30s"));
        Endpoint.Builder endpoint = Endpoint.builder().defaultTimeout(timeout);
        Connection connection;
        if (queue != null) {
            requireQueueAlone(arguments, "--framing");
            connection = Queues.open(queue, endpoint, arguments);
        } else {
            requireNoBlobStore(arguments);
            Framing framing = Main.framing(arguments.option("--framing", "newline"));
            WorkerCommand command = WorkerCommand.of(arguments.requireCommand()).withFraming(framing).withShutdownGrace(Duration.ofSeconds(2));
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
            err.println("piperpc: " + e.getMessage());
            return 4;
        } catch (ConnectionClosedException e) {
            err.println("piperpc: " + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()));
            return 3;
        } catch (PiperpcException e) {
            err.println("piperpc: " + e.getMessage());
            return 3;
        }
    }

    /** With --queue there is no worker command, and options that only a worker command takes are refused. */
    static void requireQueueAlone(Arguments arguments, String... workerOptions) {
        if (!arguments.command.isEmpty()) {
            throw new UsageException("give either --queue URL or a worker command after --, not both");
        }
        for (String option : workerOptions) {
            if (arguments.options.containsKey(option)) {
                throw new UsageException(option + " applies to a worker command, not to --queue");
            }
        }
    }

    /** --blob-store is for messages that travel over SQS; a pipe carries any size. */
    static void requireNoBlobStore(Arguments arguments) {
        if (arguments.options.containsKey("--blob-store")) {
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
