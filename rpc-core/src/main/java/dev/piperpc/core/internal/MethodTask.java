package dev.piperpc.core.internal;

/**
 * A task handed to an executor that runs the handler of one incoming request: an executor may
 * learn from its method how long such tasks run.
 */
public interface MethodTask extends Runnable {
    /** The method whose handler the task runs, or {@code null} when it runs no request's handler. */
    String method();
}
