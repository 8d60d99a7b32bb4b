package dev.piperpc.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.piperpc.core.Call;
import dev.piperpc.core.CallTimeoutException;
import dev.piperpc.core.ConnectionClosedException;
import dev.piperpc.core.Dialect;
import dev.piperpc.core.Endpoint;
import dev.piperpc.core.JoinTimeoutException;
import dev.piperpc.core.Params;
import dev.piperpc.core.PiperpcException;
import dev.piperpc.core.Rpc;
import dev.piperpc.core.RpcException;
import dev.piperpc.core.framing.Framing;
import dev.piperpc.core.message.RawJson;
import dev.piperpc.pipe.WorkerCommand;
import dev.piperpc.pipe.WorkerEvent;
import dev.piperpc.pipe.WorkerExit;
import dev.piperpc.pipe.WorkerExitedException;
import dev.piperpc.pipe.WorkerPool;
import dev.piperpc.pipe.WorkerStartException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A Model Context Protocol session with one server started for it on stdio (one JSON text per
 * line). {@link #open} starts the server as a pool of one worker that is never restarted, in the
 * MCP {@link Dialect} (a request given up is cancelled with {@code notifications/cancelled}), and
 * does the handshake before anything else is sent: the {@code initialize} request, then the
 * {@code notifications/initialized} notification. What follows goes through {@link #request} (or
 * {@link #rpc()}); {@link #close()} ends the session as MCP's stdio transport asks: the server's
 * stdin is closed, it has {@value #EXIT_GRACE_SECONDS} s to exit, then it is sent SIGTERM (then
 * SIGKILL after as long again).
 *
 * <p>How things fail, for the commands to turn into exit codes: a server that cannot start, exits
 * before answering, refuses {@code initialize} or answers what MCP does not say is an
 * {@link UnavailableException} (exit code 3); no answer in time a {@link CallTimeoutException}
 * (exit code 4); the server's error answer to a request after the handshake the
 * {@link RpcException} (exit code 1).
 */
final class McpSession implements AutoCloseable {

    /** How the tool reads and writes MCP's JSON: numbers kept exactly as written, one JSON text per input. */
    static final ObjectMapper JSON = JsonMapper.builder()
            .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS, DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private static final int EXIT_GRACE_SECONDS = 2;
    private static final String INITIALIZE = "initialize";

    private final WorkerPool server;
    private final DurationArgument timeout;
    /** How the server exited, once it has. */
    private final AtomicReference<WorkerExit> exit;
    /** Set by {@link #open} before it returns the session. */
    private ObjectNode initializeResult;

    private McpSession(WorkerPool server, DurationArgument timeout, AtomicReference<WorkerExit> exit) {
        this.server = server;
        this.timeout = timeout;
        this.exit = exit;
    }

    /**
     * Starts {@code command} as an MCP server and does the handshake. {@code endpoint} is set to
     * the MCP dialect and given a handler for the server's {@code ping}; any other request from the
     * server is answered as {@code endpoint} says (-32601 unless it has a handler), since the
     * session declares no client capabilities. Each request waits up to {@code timeout} for its
     * answer; {@code initialize}, which MCP forbids a client to cancel, is only given up, never
     * cancelled.
     *
     * @throws UnavailableException if the server cannot start, exits before answering, refuses
     *                              {@code initialize}, or answers it with something else than an
     *                              initialize result
     * @throws CallTimeoutException if it does not answer {@code initialize} within {@code timeout}
     */
    static McpSession open(List<String> command, Endpoint.Builder endpoint, DurationArgument timeout) {
        WorkerCommand serverCommand = WorkerCommand.of(command).withName("server").withFraming(Framing.NEWLINE)
                .withShutdownGrace(Duration.ofSeconds(EXIT_GRACE_SECONDS));
        endpoint.dialect(Dialect.MCP).handler("ping", request -> Map.of());
        AtomicReference<WorkerExit> exit = new AtomicReference<>();
        WorkerPool server;
        try {
            server = WorkerPool.builder(serverCommand).size(1).restarts(false).endpoint(endpoint)
                    .acquireTimeout(timeout.value()).closeGrace(Duration.ZERO)
                    .onEvent(event -> {
                        if (event.kind() == WorkerEvent.Kind.EXITED) {
                            exit.set(event.exit());
                        }
                    })
                    .start();
        } catch (WorkerStartException e) {
            throw new UnavailableException("cannot start the server: " + e.getMessage());
        }
        McpSession session = new McpSession(server, timeout, exit);
        try {
            session.initializeResult = session.initialize();
            try {
                server.notify("notifications/initialized", Params.none());
            } catch (ConnectionClosedException e) {
                throw new UnavailableException("the server exited during the handshake: " + session.exitOf(e));
            }
            return session;
        } catch (RuntimeException e) {
            session.close();
            throw e;
        }
    }

    /** The server's answer to {@code initialize}: its {@code protocolVersion}, {@code capabilities} and {@code serverInfo}. */
    ObjectNode initializeResult() {
        return initializeResult;
    }

    /** The connection to the server, for messages of the caller's own after the handshake. */
    Rpc rpc() {
        return server;
    }

    /**
     * Sends a request with {@code params}, waits up to the session's timeout, and returns the result.
     *
     * @throws RpcException         if the server answers with an error
     * @throws CallTimeoutException if it does not answer in time: the request was cancelled
     * @throws UnavailableException if the server exited first, or the result is not a JSON object
     */
    ObjectNode request(String method, ObjectNode params) {
        return object(method, exchange(method, params));
    }

    /** Closes the server's stdin and waits for it to exit, stopping it if it does not. */
    @Override
    public void close() {
        server.close();
    }

    /** {@code json} as one line of JSON text. */
    static String text(JsonNode json) {
        try {
            return JSON.writeValueAsString(json);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private ObjectNode initialize() {
        ObjectNode params = JSON.valueToTree(Handshake.mcpInitializeParams());
        RawJson answer;
        try {
            answer = exchange(INITIALIZE, params);
        } catch (RpcException e) {
            throw new UnavailableException("the server refused 'initialize': " + CallCommand.errorJson(e.error()));
        }
        ObjectNode result = object(INITIALIZE, answer);
        if (!result.path("protocolVersion").isTextual()) {
            throw new UnavailableException("the server's answer to 'initialize' is not an MCP initialize result (no "
                    + "protocolVersion): " + abbreviate(answer.toString()));
        }
        return result;
    }

    /**
     * Sends a request and waits up to {@code timeout} for its answer. The call itself never times
     * out: this wait does, and then cancels it with {@link Call#cancel()}, which has queued
     * {@code notifications/cancelled} by the time it returns, ahead of the close of the server's
     * stdin. {@code initialize} is never cancelled (MCP forbids it); closing the session ends it.
     */
    private RawJson exchange(String method, ObjectNode params) {
        try {
            Call<RawJson> call = server.send(method, Params.raw(RawJson.parse(text(params))), RawJson.class, DurationArgument.LONGEST);
            try {
                return call.join(timeout.value());
            } catch (JoinTimeoutException e) {
                if (method.equals(INITIALIZE)) {
                    throw new CallTimeoutException("the server did not answer 'initialize' within " + timeout + " (--timeout)");
                }
                if (call.cancel()) {
                    throw new CallTimeoutException("no answer to '" + method + "' within " + timeout
                            + " (--timeout); the request was cancelled");
                }
                return call.join();
            }
        } catch (RpcException | CallTimeoutException e) {
            throw e;
        } catch (ConnectionClosedException e) {
            throw new UnavailableException("the server exited before answering '" + method + "': " + exitOf(e));
        } catch (PiperpcException e) {
            throw new UnavailableException("'" + method + "' failed: " + e.getMessage());
        }
    }

    /** How the server ended: as the connection that {@code closed} tells it, or as the pool saw it. */
    private String exitOf(ConnectionClosedException closed) {
        if (closed.getCause() instanceof WorkerExitedException exited) {
            return exited.exit().describe();
        }
        WorkerExit seen = exit.get();
        return seen != null ? seen.describe() : closed.getMessage();
    }

    private static ObjectNode object(String method, RawJson result) {
        JsonNode parsed;
        try {
            parsed = JSON.readTree(result.toByteArray());
        } catch (IOException e) {
            throw new UnavailableException("the server's answer to '" + method + "' is not JSON: " + e.getMessage());
        }
        if (!(parsed instanceof ObjectNode object)) {
            throw new UnavailableException("the server's answer to '" + method + "' is not a JSON object: "
                    + abbreviate(result.toString()));
        }
        return object;
    }

    /** {@code text}, or its first 200 characters and an ellipsis. */
    static String abbreviate(String text) {
        return text.length() <= 200 ? text : text.substring(0, 200) + "...";
    }
}
