package dev.piperpc.cli;

import dev.piperpc.core.RequestContext;
import dev.piperpc.core.RpcException;
import dev.piperpc.core.message.ErrorCodes;
import dev.piperpc.core.message.Id;
import dev.piperpc.core.message.RawJson;
import dev.piperpc.core.message.Response;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The server's requests to {@code send}, and their answers: a {@code --reply METHOD=JSON} rule
 * answers its method at once; any other request waits for a response line typed on stdin with
 * its id ({@code {"jsonrpc":"2.0","id":<its id>,"result":...}}) until stdin ends, and is then
 * answered -32601.
 */
final class ServerRequests {

    private final Map<String, RawJson> replies;
    private final Map<Id, CompletableFuture<Object>> waiting = new ConcurrentHashMap<>();
    private volatile boolean inputEnded;

    ServerRequests(Map<String, RawJson> replies) {
        this.replies = Map.copyOf(replies);
    }

    /** The answer to a request of the server's: a rule's result, or a future that a typed response completes. */
    Object answer(RequestContext request) {
        RawJson reply = replies.get(request.method());
        if (reply != null) {
            return reply;
        }
        if (inputEnded) {
            throw notAnswered();
        }
        CompletableFuture<Object> typed = new CompletableFuture<>();
        waiting.put(request.id(), typed);
        if (inputEnded && waiting.remove(request.id(), typed)) {
            throw notAnswered();
        }
        return typed;
    }

    /** Answers the server's request that {@code response} names; whether one waited for it. */
    boolean typed(Response response) {
        CompletableFuture<Object> typed = waiting.remove(response.id());
        if (typed == null) {
            return false;
        }
        if (response.isError()) {
            typed.completeExceptionally(new RpcException(response.error()));
        } else {
            typed.complete(response.result());
        }
        return true;
    }

    /** stdin has ended: the requests still waiting, and any that come later, are answered -32601. */
    void inputEnded() {
        inputEnded = true;
        for (Id id : waiting.keySet()) {
            CompletableFuture<Object> typed = waiting.remove(id);
            if (typed != null) {
                typed.completeExceptionally(notAnswered());
            }
        }
    }

    private static RpcException notAnswered() {
        return new RpcException(ErrorCodes.METHOD_NOT_FOUND, ErrorCodes.standardMessage(ErrorCodes.METHOD_NOT_FOUND));
    }
}
