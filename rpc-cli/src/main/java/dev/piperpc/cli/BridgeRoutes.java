package dev.piperpc.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.piperpc.core.Call;
import dev.piperpc.core.Params;
import dev.piperpc.core.RequestContext;
import dev.piperpc.core.Rpc;
import dev.piperpc.core.RpcException;
import dev.piperpc.core.message.ErrorCodes;
import dev.piperpc.core.message.RawJson;
import dev.piperpc.pipe.WorkerPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The bridge's two directions. Down: a request from the queue goes on to a worker process as it
 * came, and the worker's answer (result or error object) goes back raw. Up: what a worker process
 * sends on its own has no id of the queue's to say whose it is, so a notification goes to the
 * caller that named its progress token ({@code params.token} or {@code params.progressToken},
 * matched against the {@code workDoneToken}, {@code partialResultToken} or
 * {@code _meta.progressToken} of a forwarded call still running), else to the one caller with
 * calls running if there is only one (with none running: the caller whose call ended last, within
 * {@link #ROUTE_LINGER}); otherwise it is dropped. A worker's request to its manager
 * is answered -32601: its answer could not find the way back.
 */
final class BridgeRoutes {

    private static final Logger log = LoggerFactory.getLogger(BridgeRoutes.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** How long the routes of a call stay after it ended, for its worker's last notifications. */
    static final Duration ROUTE_LINGER = Duration.ofSeconds(2);

    /** Progress tokens (as JSON text) of running forwarded calls, and whose they are. */
    private final Map<String, Rpc> byToken = new ConcurrentHashMap<>();
    /** Callers with forwarded calls running, and how many. */
    private final Map<Rpc, AtomicInteger> running = new ConcurrentHashMap<>();
    private volatile Ended lastEnded;

    /** The caller whose forwarded call ended last, and when. */
    private record Ended(Rpc caller, long atNanos) {
    }

    /** A request from the queue, sent on to a worker of {@code pool}; its answer is the worker's, raw. */
    Object forward(WorkerPool pool, RequestContext request) {
        Params params = request.params() == null ? Params.none() : Params.raw(request.params());
        if (request.id() == null) {
            pool.notify(request.method(), params);
            return null;
        }
        Rpc caller = request.endpoint();
        List<String> tokens = tokens(request.params());
        tokens.forEach(token -> byToken.put(token, caller));
        running.computeIfAbsent(caller, c -> new AtomicInteger()).incrementAndGet();
        Call<RawJson> call = pool.send(request.method(), params, RawJson.class);
        call.whenDone((result, error) -> {
            running.computeIfPresent(caller, (c, count) -> count.decrementAndGet() == 0 ? null : count);
            lastEnded = new Ended(caller, System.nanoTime());
            // A worker's notifications are dispatched apart from its answer and may be handled after
            // it: the call's tokens stay a moment longer than the call.
            CompletableFuture.runAsync(() -> tokens.forEach(token -> byToken.remove(token, caller)),
                    CompletableFuture.delayedExecutor(ROUTE_LINGER.toMillis(), TimeUnit.MILLISECONDS));
        });
        return call.toCompletableFuture();
    }

    /** What a worker process sends up: a notification to the caller it belongs to; a request refused. */
    Object fromWorker(RequestContext message) {
        if (message.id() != null) {
            throw new RpcException(ErrorCodes.METHOD_NOT_FOUND, "the bridge does not pass a worker's requests on ('"
                    + message.method() + "')");
        }
        Rpc caller = callerOf(message.params());
        if (caller == null) {
            log.debug("dropped the notification '{}' of a worker: no single caller it belongs to", message.method());
            return null;
        }
        caller.notify(message.method(), message.params() == null ? Params.none() : Params.raw(message.params()));
        return null;
    }

    private Rpc callerOf(RawJson params) {
        JsonNode node = tree(params);
        for (String member : List.of("token", "progressToken")) {
            JsonNode token = node == null ? null : node.get(member);
            if (token != null && token.isValueNode()) {
                Rpc caller = byToken.get(token.toString());
                if (caller != null) {
                    return caller;
                }
            }
        }
        if (running.size() == 1) {
            return running.keySet().iterator().next();
        }
        Ended ended = lastEnded;
        if (running.isEmpty() && ended != null && System.nanoTime() - ended.atNanos() < ROUTE_LINGER.toNanos()) {
            return ended.caller();
        }
        return null;
    }

    /** The progress tokens a request's params name (LSP's and MCP's), as JSON text. */
    private static List<String> tokens(RawJson params) {
        List<String> tokens = new ArrayList<>(1);
        JsonNode node = tree(params);
        if (node == null) {
            return tokens;
        }
        for (JsonNode token : List.of(node.path("workDoneToken"), node.path("partialResultToken"),
                node.path("_meta").path("progressToken"))) {
            if (token.isValueNode()) {
                tokens.add(token.toString());
            }
        }
        return tokens;
    }

    private static JsonNode tree(RawJson params) {
        if (params == null || !params.isObject()) {
            return null;
        }
        try {
            return JSON.readTree(params.toByteArray());
        } catch (IOException e) {
            return null;
        }
    }
}
