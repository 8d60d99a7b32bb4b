package dev.piperpc.worker.internal;

import dev.piperpc.core.Endpoint;
import dev.piperpc.core.internal.ExitOrder;
import dev.piperpc.core.transport.Acceptor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Serves every connection an {@link Acceptor} accepts with one endpoint builder (the same
 * handlers) and one executor, until the process is told to stop (SIGTERM): then it stops
 * accepting, lets running calls finish and answer within the grace period, closes the acceptor
 * and ends the process with exit code 0. stdout is left alone: the protocol does not use it.
 */
public final class AcceptorServer {

    private static final Logger log = LoggerFactory.getLogger(AcceptorServer.class);
    private static final Duration CLOSE_GRACE = Duration.ofSeconds(5);

    private final Acceptor acceptor;
    private final Endpoint.Builder endpoints;
    private final TrackingExecutor executor;
    private final Duration shutdownGrace;
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final Object lifecycle = new Object();
    private final Set<Endpoint> connections = ConcurrentHashMap.newKeySet();
    private final CountDownLatch stopped = new CountDownLatch(1);

    /** Serves {@code acceptor}'s connections with endpoints from {@code endpoints}, whose executor is {@code executor}. */
    public AcceptorServer(Acceptor acceptor, Endpoint.Builder endpoints, TrackingExecutor executor, Duration shutdownGrace) {
        this.acceptor = acceptor;
        this.endpoints = endpoints;
        this.executor = executor;
        this.shutdownGrace = shutdownGrace;
    }

    /**
     * Serves until SIGTERM; the process then ends with exit code 0 once the stop is done, also
     * when the signal comes while the acceptor starts. Does not return normally.
     *
     * @throws RuntimeException what the acceptor's start threw, when it could not start (and no stop came)
     */
    public void run() {
        Runnable releaseWorkerProcesses = ExitOrder.holdWorkerProcesses();
        Thread hook = new Thread(() -> {
            stop(shutdownGrace);
            // Worker processes of this JVM's own (a bridge's) may be stopped now; those not stopped
            // by the time of the halt see their stdin end and finish by themselves.
            releaseWorkerProcesses.run();
            // A stop asked for and done is a normal end, whatever the signal's default code.
            Runtime.getRuntime().halt(0);
        }, "piperpc-sigterm");
        // Before the start: a SIGTERM while the acceptor starts is a stop like any other.
        Runtime.getRuntime().addShutdownHook(hook);
        boolean started = false;
        try {
            acceptor.start(transport -> connections.add(endpoints.connect(transport)));
            started = true;
        } catch (RuntimeException e) {
            if (!stopping.get() && withdraw(hook)) {
                // Not a stop: the process ends with the error, not with the hook's exit code 0.
                releaseWorkerProcesses.run();
                throw e;
            }
        }
        synchronized (lifecycle) {
            // A start that returned after a stop accepts nothing.
            if (started && !stopping.get()) {
                log.info("worker listening on {}", acceptor.name());
            }
        }
        awaitStopped();
    }

    /** Removes the shutdown hook; {@code false} if it already runs. */
    private static boolean withdraw(Thread hook) {
        try {
            return Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            return false;
        }
    }

    /**
     * Stops accepting, waits at most {@code grace} for running calls, and closes the acceptor
     * (which sends what they answered). Idempotent; a second caller waits for the first.
     */
    public void stop(Duration grace) {
        boolean first;
        synchronized (lifecycle) {
            // "listening" is logged before "stopping", or not at all.
            first = stopping.compareAndSet(false, true);
        }
        if (!first) {
            awaitStopped();
            return;
        }
        try {
            // Logged once the acceptor has stopped taking work, so that the line says what is so.
            acceptor.stopAccepting();
            log.info("stopping: no new work from {}; finishing {} running calls", acceptor.name(), running());
            long deadline = System.nanoTime() + grace.toNanos();
            while (running() > 0 && System.nanoTime() - deadline < 0) {
                Thread.sleep(5);
            }
            if (running() > 0) {
                log.warn("{} calls still running after the shutdown grace of {}; they are abandoned", running(), grace);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            acceptor.close(CLOSE_GRACE);
            stopped.countDown();
        }
    }

    /**
     * Calls not yet answered: methods on the executor, and requests whose handler returned a
     * future that has not completed (a bridge's forwarded calls).
     */
    private long running() {
        connections.removeIf(Endpoint::isClosed);
        long answering = 0;
        for (Endpoint connection : connections) {
            answering += connection.stats().requestsRunning();
        }
        return Math.max(executor.unfinished(), answering);
    }

    /** Gives the acceptor a short while to send what was answered; for a fatal error. */
    public void flush() {
        acceptor.close(Duration.ofSeconds(2));
    }

    private void awaitStopped() {
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
