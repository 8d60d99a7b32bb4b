package dev.piperpc.worker;

import dev.piperpc.core.CallCancelledException;
import dev.piperpc.core.Params;
import dev.piperpc.core.ProtocolMethods;
import dev.piperpc.core.RequestContext;
import dev.piperpc.core.message.Id;

import java.util.Map;

/**
 * What a method running in a worker can do besides computing its result: report progress, log
 * to the manager, notify it or ask it something, and see whether the manager cancelled the call.
 *
 * <pre>{@code
 * public long primes(long limit) {
 *     WorkerContext context = WorkerContext.current();
 *     for (...) {
 *         context.checkCancelled();
 *         context.progress("primes", percent);
 *     }
 * }
 * }</pre>
 *
 * <p>A method may also declare a parameter of type {@link RequestContext} to get the same
 * information injected.
 */
public final class WorkerContext {

    private final RequestContext request;

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

    /** Sends a progress notification ({@value ProtocolMethods#PROGRESS}) with {@code token} and {@code value}. */
    public void progress(Object token, Object value) {
        notify(ProtocolMethods.PROGRESS, Params.named(Map.of("token", token, "value", value)));
    }

    /** Sends a log line to the manager ({@value ProtocolMethods#LOG}). */
    public void log(String message) {
        notify(ProtocolMethods.LOG, Params.named(Map.of("message", message)));
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
