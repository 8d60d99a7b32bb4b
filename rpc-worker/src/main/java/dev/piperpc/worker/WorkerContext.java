package dev.piperpc.worker;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.piperpc.core.CallCancelledException;
import dev.piperpc.core.Dialect;
import dev.piperpc.core.Params;
import dev.piperpc.core.ProtocolMethods;
import dev.piperpc.core.RequestContext;
import dev.piperpc.core.message.Id;
import dev.piperpc.core.message.RawJson;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a method running in a worker can do besides computing its result: report progress, log
 * to the manager, notify it or ask it something, and see whether the manager cancelled the call.
 *
 * <pre>{@code
 * public long primes(long limit) {
 *     WorkerContext context = WorkerContext.current();
 *     for (...) {
 *         context.checkCancelled();
 *         context.progress(done, limit, "counting");
 *     }
 * }
 * }</pre>
 *
 * <p>Progress and log reports are sent in the worker's {@link Dialect} ({@link Worker.Builder#dialect}).
 * A method may also declare a parameter of type {@link RequestContext} to get the same
 * information injected.
 */
public final class WorkerContext {

    private static final JsonFactory JSON = new JsonFactory();

    private final RequestContext request;
    /** The request's MCP progress token, once looked for: a string or a number, or {@code null}. */
    private Object progressToken;
    private boolean progressTokenRead;

    private WorkerContext(RequestContext request) {
        this.request = request;
    }

    /**
     * The context of the call running on the current thread.
     *
     * @throws IllegalStateException outside a method called by the manager
     */
    public static WorkerContext current() {
        return new WorkerContext(RequestContext.current());
    }

    /** The method name of the call. */
    public String method() {
        return request.method();
    }

    /** The id of the call, or {@code null} for a notification. */
    public Id id() {
        return request.id();
    }

    /** Whether the manager cancelled this call; the method's thread is also interrupted then. */
    public boolean isCancelled() {
        return request.isCancelled();
    }

    /**
     * Throws if the manager cancelled this call: a convenient check inside loops.
     *
     * @throws CallCancelledException if it was cancelled
     */
    public void checkCancelled() {
        if (request.isCancelled()) {
            throw new CallCancelledException("'" + request.method() + "' was cancelled by the manager");
        }
    }

    /**
     * Reports how far this call has got, in the worker's dialect. MCP:
     * {@value ProtocolMethods#MCP_PROGRESS} {@code {"progressToken": <the request's
     * params._meta.progressToken>, "progress": progress, "total": total, "message": message}},
     * sent only when the request carried a {@code progressToken} (a client that asked for no
     * progress gets none). LSP: {@value ProtocolMethods#PROGRESS} {@code {"token": <the request's
     * id>, "value": {"progress": progress, "total": total, "message": message}}}. A {@code null}
     * total or message is left out; nothing is sent while handling a notification.
     *
     * @param progress how far the call has got; MCP wants it to grow with every report
     * @param total    the progress at which the call is done, or {@code null} if that is not known
     * @param message  a line for people to read, or {@code null}
     */
    public void progress(Number progress, Number total, String message) {
        Objects.requireNonNull(progress, "progress");
        Map<String, Object> report = new LinkedHashMap<>();
        if (request.dialect() == Dialect.MCP) {
            Object token = progressToken();
            if (token == null) {
                return;
            }
            report.put("progressToken", token);
        } else if (request.id() == null) {
            return;
        }
        report.put("progress", progress);
        if (total != null) {
            report.put("total", total);
        }
        if (message != null) {
            report.put("message", message);
        }
        if (request.dialect() == Dialect.MCP) {
            notify(ProtocolMethods.MCP_PROGRESS, Params.named(report));
        } else {
            Map<String, Object> lspProgress = new LinkedHashMap<>();
            Id id = request.id();
            lspProgress.put("token", id.isString() ? id.asString() : id.isLong() ? (Object) id.asLong() : id.asNumber());
            lspProgress.put("value", report);
            notify(ProtocolMethods.PROGRESS, Params.named(lspProgress));
        }
    }

    /**
     * Sends LSP's {@value ProtocolMethods#PROGRESS} {@code {"token": token, "value": value}}, under
     * a token of the method's choosing, in any dialect: for managers that read
     * {@value ProtocolMethods#PROGRESS} themselves. In an MCP server, use
     * {@link #progress(Number, Number, String)}.
     */
    public void progress(Object token, Object value) {
        notify(ProtocolMethods.PROGRESS, Params.named(Map.of("token", token, "value", value)));
    }

    /**
     * Sends a log line to the manager, in the worker's dialect: LSP {@value ProtocolMethods#LOG}
     * {@code {"message": message}}; MCP {@value ProtocolMethods#MCP_LOG} {@code {"level": "info",
     * "data": message}} (an MCP server that logs this way declares the {@code logging} capability).
     */
    public void log(String message) {
        if (request.dialect() == Dialect.MCP) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("level", "info");
            entry.put("data", message);
            notify(ProtocolMethods.MCP_LOG, Params.named(entry));
        } else {
            notify(ProtocolMethods.LOG, Params.named(Map.of("message", message)));
        }
    }

    /** The request's {@code params._meta.progressToken} (a string or a number), or {@code null}; read once. */
    private Object progressToken() {
        if (!progressTokenRead) {
            progressToken = readProgressToken(request.params());
            progressTokenRead = true;
        }
        return progressToken;
    }

    private static Object readProgressToken(RawJson params) {
        if (params == null || !params.isObject()) {
            return null;
        }
        try (JsonParser parser = params.createParser(JSON)) {
            parser.nextToken();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                boolean meta = "_meta".equals(parser.currentName());
                if (parser.nextToken() == JsonToken.START_OBJECT && meta) {
                    while (parser.nextToken() == JsonToken.FIELD_NAME) {
                        boolean token = "progressToken".equals(parser.currentName());
                        JsonToken value = parser.nextToken();
                        if (token && value == JsonToken.VALUE_STRING) {
                            return parser.getText();
                        }
                        if (token && value == JsonToken.VALUE_NUMBER_INT) {
                            return parser.getNumberValue();
                        }
                        parser.skipChildren();
                    }
                    return null;
                }
                parser.skipChildren();
            }
        } catch (IOException e) {
            // params were read once already: not reached
        }
        return null;
    }

    /** Sends any notification to the manager. */
    public void notify(String method, Params params) {
        request.endpoint().notify(method, params);
    }

    /**
     * Asks the manager something and waits for the answer.
     *
     * @throws dev.piperpc.core.PiperpcException the error the request ended with
     */
    public <T> T request(String method, Params params, Class<T> resultType) {
        return request.endpoint().call(method, params, resultType);
    }
}
