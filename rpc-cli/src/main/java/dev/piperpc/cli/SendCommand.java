package dev.piperpc.cli;

import dev.piperpc.core.Call;
import dev.piperpc.core.Dialect;
import dev.piperpc.core.Endpoint;
import dev.piperpc.core.PiperpcException;
import dev.piperpc.core.RequestContext;
import dev.piperpc.core.Rpc;
import dev.piperpc.core.codec.MessageWriter;
import dev.piperpc.core.framing.Framing;
import dev.piperpc.core.message.Notification;
import dev.piperpc.core.message.RawJson;
import dev.piperpc.core.message.Request;
import dev.piperpc.pipe.WorkerCommand;
import dev.piperpc.pipe.WorkerEvent;
import dev.piperpc.pipe.WorkerPool;
import dev.piperpc.pipe.WorkerStartException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/** {@code piperpc send}: messages from stdin, pipelined to one or more workers, responses printed as they arrive. */
@Command(name = "send",
        customSynopsis = {
                "piperpc send [--framing newline|lsp|stream] [--workers N] [--timeout DUR] [--wait]",
                "                    [--lsp[=ROOT] | --mcp] [--notifications] [--reply METHOD=JSON]... -- CMD ARGS...",
                "       piperpc send --queue URL [--blob-store file:DIR|s3://BUCKET/PREFIX]",
                "                    [--timeout DUR] [--wait]"},
        description = {
                "pipeline JSON-RPC messages from stdin to workers or a request queue",
                "",
                "Reads JSON-RPC messages from stdin, one JSON text per line (requests, notifications or batch "
                        + "arrays), sends them as they come (spread over N processes of CMD), and prints each "
                        + "response on stdout as one line, in the order they arrive. A request goes out under its "
                        + "own id, so that a $/cancelRequest or notifications/cancelled written on a later line names "
                        + "it; a second request with the id of one still unanswered is refused. The members of a "
                        + "batch are sent as separate messages and answered one line each.",
                "",
                "A request from the server is printed (it has a \"method\" and an \"id\"; responses have no "
                        + "\"method\": jq 'select(.method)' keeps what the server sent) and waits for its answer: a "
                        + "--reply rule, or a response line typed with its id, "
                        + "{\"jsonrpc\":\"2.0\",\"id\":<its id>,\"result\":...}; once stdin has ended it is answered "
                        + "-32601. A server that exits is not restarted: send reports it and ends.",
                "",
                "With --queue, the messages go to the SQS request queue at URL instead: the same output and exit codes."},
        footerHeading = "%nexit codes:%n",
        footer = {
                "  0  every request got a response (error responses included)",
                "  1  some request got none (the reason per missing id is on stderr), or a line was not sent",
                "  2  bad usage",
                "  3  the worker could not start; SQS cannot be reached",
                "",
                "--workers, --framing, --reply, --lsp and --mcp apply to a worker command only. Over SQS, the AWS SDK "
                        + "reads the endpoint (AWS_ENDPOINT_URL_SQS), the region (AWS_REGION) and the credentials "
                        + "from the environment."})
final class SendCommand implements Callable<Integer>, TakesWorkerCommand {

    @Option(names = "--framing", paramLabel = "newline|lsp|stream", description = "how messages are delimited on the workers' pipes (default newline; lsp with --lsp)")
    private Framing framing;

    @Option(names = "--workers", paramLabel = "N", description = "how many processes of CMD to spread the messages over (default 1)")
    private Integer workers;

    @Option(names = "--timeout", paramLabel = "DUR", defaultValue = "30s",
            description = "how long each request may wait for its response (default ${DEFAULT-VALUE}): 500ms, 30s, 2m, 1h or 1d")
    private DurationArgument timeout;

    @Option(names = "--wait", description = "send a line only once every request of the lines before it was answered")
    private boolean waitEach;

    @Option(names = "--lsp", arity = "0..1", fallbackValue = ".", paramLabel = "ROOT",
            description = "a language server session: initialize (workspace ROOT, default the current directory) and "
                    + "initialized before the first line, shutdown and exit after the last; LSP framing")
    private Path lspRoot;

    @Option(names = "--mcp", description = "an MCP session: initialize and notifications/initialized before the first line; "
            + "cancellations as notifications/cancelled")
    private boolean mcp;

    @Option(names = "--notifications", description = "also print the worker's notifications")
    private boolean showNotifications;

    @Option(names = "--reply", paramLabel = "METHOD=JSON",
            description = "answer the worker's requests for METHOD with the result JSON at once; repeatable")
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
    public Integer call() throws InterruptedException {
        PrintStream out = invocation.out();
        PrintStream err = invocation.err();
        Duration timeout = this.timeout.value();
        if (lspRoot != null && mcp) {
            throw new UsageException("give --lsp or --mcp, not both");
        }
        Handshake handshake = lspRoot != null ? Handshake.lsp(lspRoot) : mcp ? Handshake.mcp() : null;
        MessageWriter writer = new MessageWriter(new com.fasterxml.jackson.databind.ObjectMapper());
        ServerRequests serverRequests = new ServerRequests(parseReplies(replySpecs));
        Endpoint.Builder endpoint = Endpoint.builder().defaultTimeout(timeout)
                .dialect(handshake == null ? Dialect.LSP : handshake.dialect())
                .fallbackHandler(request -> fromWorker(request, serverRequests, writer, out));
        AtomicReference<String> serverGone = new AtomicReference<>();
        // Once every answer is in, the server's exit is the session's end, not news.
        AtomicBoolean ending = new AtomicBoolean();
        AtomicInteger exited = new AtomicInteger();
        Connection connection;
        if (queue != null) {
            CallCommand.requireQueueAlone(invocation, framing == null ? null : "--framing", workers == null ? null : "--workers",
                    replySpecs.isEmpty() ? null : "--reply", lspRoot == null ? null : "--lsp", mcp ? "--mcp" : null);
            connection = Queues.open(queue, endpoint, blobStore);
        } else {
            CallCommand.requireNoBlobStore(blobStore);
            int size = requirePositive("--workers", workers == null ? 1 : workers);
            if (handshake != null && size != 1) {
                throw new UsageException((mcp ? "--mcp" : "--lsp") + " is a session with one server: it takes no --workers " + size);
            }
            Framing framing = this.framing != null ? this.framing : lspRoot != null ? Framing.LSP : Framing.NEWLINE;
            WorkerCommand command = WorkerCommand.of(invocation.requireWorkerCommand()).withFraming(framing)
                    .withShutdownGrace(Duration.ofSeconds(2));
            // The session reports its servers' exits itself, once each: not the pool's log too.
            System.setProperty("org.slf4j.simpleLogger.log.dev.piperpc.pipe.WorkerPool", "error");
            WorkerPool pool;
            try {
                // A session ends with its server: a server that exits is never started again.
                pool = WorkerPool.builder(command).size(size).endpoint(endpoint).acquireTimeout(timeout).restarts(false)
                        .onEvent(event -> {
                            if (event.kind() != WorkerEvent.Kind.EXITED) {
                                return;
                            }
                            if (!ending.get()) {
                                err.println("piperpc: " + event.reason());
                            }
                            // The session ends with its last server.
                            if (exited.incrementAndGet() == size) {
                                serverGone.set(event.reason());
                            }
                        }).start();
            } catch (WorkerStartException e) {
                err.println("piperpc: " + e.getMessage());
                return 3;
            }
            connection = new Connection(pool, pool::close);
        }
        Rpc rpc = connection.rpc();
        int problems;
        try (connection) {
            SendSession session = new SendSession(rpc, timeout, waitEach, serverRequests, writer, out, err);
            boolean opened = handshake == null || open(handshake, rpc, session, timeout, err);
            if (opened) {
                session.run(new InputLines(invocation.in()), () -> serverGone.get() != null);
            }
            problems = session.finish() + (opened ? 0 : 1);
            ending.set(true);
            if (opened && handshake != null && serverGone.get() == null) {
                String problem = handshake.close(rpc, timeout);
                if (problem != null) {
                    err.println("piperpc: the server did not take the shutdown: " + problem);
                }
            }
        }
        return problems == 0 ? 0 : 1;
    }

    /** Runs the handshake's opening; its answer is printed as any other. Whether the session may go on. */
    private static boolean open(Handshake handshake, Rpc rpc, SendSession session, Duration timeout, PrintStream err) {
        Call<RawJson> initialize = handshake.initialize(rpc, timeout);
        session.track(initialize);
        try {
            initialize.join();
        } catch (PiperpcException e) {
            err.println("piperpc: the server did not initialize: " + e.getMessage());
            return false;
        }
        handshake.initialized(rpc);
        return true;
    }

    /** What the worker sends us: its requests are printed and wait for an answer; notifications are printed if asked. */
    private Object fromWorker(RequestContext request, ServerRequests serverRequests, MessageWriter writer, PrintStream out) {
        if (request.id() == null) {
            if (showNotifications) {
                SendSession.print(out, writer.message(new Notification(request.method(), request.params())));
            }
            return null;
        }
        // Waiting for its answer before it is printed: a response typed at once finds it.
        try {
            return serverRequests.answer(request);
        } finally {
            SendSession.print(out, writer.message(new Request(request.id(), request.method(), request.params())));
        }
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
