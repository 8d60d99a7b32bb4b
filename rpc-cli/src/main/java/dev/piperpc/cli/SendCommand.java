package dev.piperpc.cli;

import dev.piperpc.core.Call;
import dev.piperpc.core.CompletionQueue;
import dev.piperpc.core.Endpoint;
import dev.piperpc.core.Params;
import dev.piperpc.core.PiperpcException;
import dev.piperpc.core.RequestContext;
import dev.piperpc.core.Rpc;
import dev.piperpc.core.RpcException;
import dev.piperpc.core.codec.MessageReader;
import dev.piperpc.core.codec.MessageWriter;
import dev.piperpc.core.framing.Framing;
import dev.piperpc.core.message.DecodedFrame;
import dev.piperpc.core.message.ErrorCodes;
import dev.piperpc.core.message.Id;
import dev.piperpc.core.message.InvalidMessage;
import dev.piperpc.core.message.Message;
import dev.piperpc.core.message.Notification;
import dev.piperpc.core.message.RawJson;
import dev.piperpc.core.message.Request;
import dev.piperpc.core.message.Response;
import dev.piperpc.pipe.WorkerCommand;
import dev.piperpc.pipe.WorkerPool;
import dev.piperpc.pipe.WorkerStartException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/** {@code piperpc send}: messages from stdin, pipelined to one or more workers, responses printed as they arrive. */
@Command(name = "send",
        customSynopsis = {
                "piperpc send [--framing newline|lsp|stream] [--workers N] [--timeout DUR]",
                "                    [--notifications] [--reply METHOD=JSON]... -- CMD ARGS...",
                "       piperpc send --queue URL [--blob-store file:DIR|s3://BUCKET/PREFIX]",
                "                    [--timeout DUR]"},
        description = {
                "pipeline JSON-RPC messages from stdin to workers or a request queue",
                "",
                "Reads JSON-RPC messages from stdin, one JSON text per line (requests, notifications or batch "
                        + "arrays), sends them all without waiting (spread over N processes of CMD), and prints "
                        + "each response on stdout as one line, in the order they arrive. The members of a batch "
                        + "are sent as separate messages and answered one line each. With --queue, the messages go "
                        + "to the SQS request queue at URL instead: the same output and exit codes."},
        footerHeading = "%nexit codes:%n",
        footer = {
                "  0  every request got a response (error responses included)",
                "  1  some request got none: the reason per missing id is on stderr",
                "  2  bad usage",
                "  3  the worker could not start; SQS cannot be reached",
                "",
                "--workers, --framing and --reply apply to a worker command only. Over SQS, the AWS SDK reads the "
                        + "endpoint (AWS_ENDPOINT_URL_SQS), the region (AWS_REGION) and the credentials from the "
                        + "environment."})
final class SendCommand implements Callable<Integer>, TakesWorkerCommand {

    @Option(names = "--framing", paramLabel = "newline|lsp|stream", description = "how messages are delimited on the workers' pipes (default newline)")
    private Framing framing;

    @Option(names = "--workers", paramLabel = "N", description = "how many processes of CMD to spread the messages over (default 1)")
    private Integer workers;

    @Option(names = "--timeout", paramLabel = "DUR", defaultValue = "30s",
            description = "how long each request may wait for its response (default ${DEFAULT-VALUE}): 500ms, 30s, 2m, 1h or 1d")
    private DurationArgument timeout;

    @Option(names = "--notifications", description = "also print the worker's notifications and requests to us")
    private boolean showNotifications;

    @Option(names = "--reply", paramLabel = "METHOD=JSON",
            description = "answer the worker's requests for METHOD with the result JSON (other requests from the worker get -32601); repeatable")
    private List<String> replySpecs = new ArrayList<>();

    @Option(names = "--queue", paramLabel = "URL", description = "send to the SQS request queue at URL instead of a worker command")
    private String queue;

    @Option(names = "--blob-store", paramLabel = "SPEC", description = CallCommand.BLOB_STORE)
    private String blobStore;

    private final Invocation invocation;

    SendCommand(Invocation invocation) {
        this.invocation = invocation;
    }

    @Override
    public Integer call() throws IOException {
        PrintStream out = invocation.out();
        PrintStream err = invocation.err();
        Duration timeout = this.timeout.value();
        Map<String, RawJson> replies = parseReplies(replySpecs);
        MessageReader messages = new MessageReader();
        MessageWriter writer = new MessageWriter(new com.fasterxml.jackson.databind.ObjectMapper());

        Endpoint.Builder endpoint = Endpoint.builder().defaultTimeout(timeout).fallbackHandler(request -> fromWorker(request, replies, showNotifications, writer, out));
        Connection connection;
        if (queue != null) {
            // A queue worker's own requests find no way back to this tool over SQS.
            CallCommand.requireQueueAlone(invocation, framing == null ? null : "--framing", workers == null ? null : "--workers",
                    replySpecs.isEmpty() ? null : "--reply");
            connection = Queues.open(queue, endpoint, blobStore);
        } else {
            CallCommand.requireNoBlobStore(blobStore);
            int size = requirePositive("--workers", workers == null ? 1 : workers);
            WorkerCommand command = WorkerCommand.of(invocation.requireWorkerCommand())
                    .withFraming(framing == null ? Framing.NEWLINE : framing).withShutdownGrace(Duration.ofSeconds(2));
            WorkerPool pool;
            try {
                pool = WorkerPool.builder(command).size(size).endpoint(endpoint)
                        .acquireTimeout(timeout).start();
            } catch (WorkerStartException e) {
                err.println("piperpc: " + e.getMessage());
                return 3;
            }
            connection = new Connection(pool, pool::close);
        }
        Rpc rpc = connection.rpc();
        // Calls are taken in the order they end, so the lines come out in arrival order.
        CompletionQueue<RawJson> arrivals = new CompletionQueue<>();
        Map<Call<RawJson>, Id> ids = new ConcurrentHashMap<>();
        AtomicBoolean inputEnded = new AtomicBoolean();
        AtomicInteger problems = new AtomicInteger();
        Thread printer = new Thread(() -> {
            try {
                printArrivals(arrivals, ids, inputEnded, problems, writer, out, err);
            } catch (RuntimeException | Error e) {
                // The exit code must say that answers went unprinted.
                err.println("piperpc: printing responses failed: " + e);
                problems.incrementAndGet();
            }
        }, "piperpc-send-printer");
        try (connection) {
            printer.start();
            try {
                BufferedReader reader = new BufferedReader(new InputStreamReader(invocation.in(), StandardCharsets.UTF_8));
                String line;
                int lineNumber = 0;
                while ((line = reader.readLine()) != null) {
                    lineNumber++;
                    if (line.isBlank()) {
                        continue;
                    }
                    DecodedFrame frame = messages.decode(line.getBytes(StandardCharsets.UTF_8));
                    for (Message message : frame.messages()) {
                        problems.addAndGet(forward(message, lineNumber, rpc, arrivals, ids, err));
                    }
                }
            } finally {
                inputEnded.set(true);
            }
            joinQuietly(printer);
        }
        return problems.get() == 0 ? 0 : 1;
    }

    /** Prints each response as its call ends, until stdin has ended and every call was printed. */
    private static void printArrivals(CompletionQueue<RawJson> arrivals, Map<Call<RawJson>, Id> ids, AtomicBoolean inputEnded,
                                      AtomicInteger problems, MessageWriter writer, PrintStream out, PrintStream err) {
        while (true) {
            boolean lastChance = inputEnded.get();
            Call<RawJson> call = arrivals.poll(Duration.ofMillis(50));
            if (call == null) {
                if (lastChance && arrivals.outstanding() == 0) {
                    return;
                }
                continue;
            }
            Id id = ids.remove(call);
            try {
                print(out, writer.message(Response.success(id, call.join())));
            } catch (RpcException rpc) {
                print(out, writer.message(Response.failure(id, rpc.error())));
            } catch (PiperpcException e) {
                err.println("piperpc: no response for id " + id + ": " + reason(e));
                problems.incrementAndGet();
            }
        }
    }

    private static void joinQuietly(Thread thread) {
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static int forward(Message message, int lineNumber, Rpc rpc, CompletionQueue<RawJson> arrivals, Map<Call<RawJson>, Id> ids, PrintStream err) {
        if (message instanceof Request request) {
            Params params = request.params() == null ? Params.none() : Params.raw(request.params());
            Call<RawJson> call;
            try {
                call = rpc.send(request.method(), params, RawJson.class);
            } catch (PiperpcException e) {
                err.println("piperpc: could not send id " + request.id() + ": " + e.getMessage());
                return 1;
            }
            ids.put(call, request.id());
            arrivals.add(call);
            return 0;
        }
        if (message instanceof Notification notification) {
            try {
                rpc.notify(notification.method(), notification.params() == null ? Params.none() : Params.raw(notification.params()));
            } catch (PiperpcException e) {
                err.println("piperpc: could not send the notification of line " + lineNumber + ": " + e.getMessage());
                return 1;
            }
            return 0;
        }
        if (message instanceof InvalidMessage invalid) {
            err.println("piperpc: line " + lineNumber + " is not a valid JSON-RPC message: " + invalid.error().message()
                    + (invalid.error().data() == null ? "" : " " + invalid.error().data()));
            return 1;
        }
        err.println("piperpc: line " + lineNumber + " is a response; only requests and notifications are sent");
        return 1;
    }

    /** Handles what the worker sends us: prints it if asked, and answers requests. */
    private static Object fromWorker(RequestContext request, Map<String, RawJson> replies, boolean show, MessageWriter writer,
                                     PrintStream out) {
        if (show) {
            Message message = request.id() == null
                    ? new Notification(request.method(), request.params())
                    : new Request(request.id(), request.method(), request.params());
            print(out, writer.message(message));
        }
        if (request.id() == null) {
            return null;
        }
        RawJson reply = replies.get(request.method());
        if (reply == null) {
            throw new RpcException(ErrorCodes.METHOD_NOT_FOUND, ErrorCodes.standardMessage(ErrorCodes.METHOD_NOT_FOUND));
        }
        return reply;
    }

    private static void print(PrintStream out, byte[] json) {
        synchronized (out) {
            out.println(new String(json, StandardCharsets.UTF_8));
            out.flush();
        }
    }

    private static String reason(PiperpcException e) {
        return e.getCause() instanceof PiperpcException cause ? e.getMessage() + " (" + cause.getMessage() + ")" : e.getMessage();
    }

    /** {@code value} of {@code option}, which must be a positive number. */
    static int requirePositive(String option, int value) {
        if (value < 1) {
            throw new UsageException(option + " takes a positive number, not " + value);
        }
        return value;
    }

    private static Map<String, RawJson> parseReplies(List<String> specs) {
        Map<String, RawJson> replies = new LinkedHashMap<>();
        for (String spec : specs) {
            int equals = spec.indexOf('=');
            if (equals <= 0) {
                throw new UsageException("--reply takes METHOD=JSON, not " + spec);
            }
            try {
                replies.put(spec.substring(0, equals), RawJson.parse(spec.substring(equals + 1)));
            } catch (IllegalArgumentException e) {
                throw new UsageException("the JSON of --reply " + spec + " is not valid: " + e.getMessage());
            }
        }
        return replies;
    }
}
