package dev.piperpc.worker;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.piperpc.core.Dialect;
import dev.piperpc.core.Endpoint;
import dev.piperpc.core.RequestHandler;
import dev.piperpc.core.framing.Framing;
import dev.piperpc.core.listen.CallListener;
import dev.piperpc.core.transport.Acceptor;
import dev.piperpc.core.transport.AcceptorProvider;
import dev.piperpc.worker.internal.AcceptorServer;
import dev.piperpc.worker.internal.LeaderFollowerPool;
import dev.piperpc.worker.internal.StdioTransport;
import dev.piperpc.worker.internal.TrackingExecutor;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Serves objects' methods as JSON-RPC on this process's stdin and stdout: the worker side.
 *
 * <pre>{@code
 * public static void main(String[] args) {
 *     Worker.serve(new ImageWorker());
 * }
 * }</pre>
 *
 * <ul>
 *   <li>Methods are exposed as rpc-core exposes them: jsonrpc4j's {@code @JsonRpcMethod} and
 *       {@code @JsonRpcParam}, named or positional params, {@code CompletableFuture} results.</li>
 *   <li>Bounded: at most {@link Builder#maxQueuedRequests} requests wait to start; beyond that
 *       the worker stops reading stdin until half of them have started, so a manager that sends
 *       too much is slowed down instead of filling this process's memory. Likewise a call thread
 *       waits while {@link Builder#maxQueuedBytes} of output wait for a manager that is not reading.</li>
 *   <li>Requests run concurrently, up to a bound (default: the number of cores); responses are
 *       written in completion order, each frame whole, one at a time, by the thread that
 *       finished the call (no hand-off to a writer thread). While several requests wait to start,
 *       a response waits for theirs, at most 0.1 ms, so a burst is answered in a few writes.</li>
 *   <li>Threads: the call threads ({@code piperpc-call-N}, at most {@link Builder#concurrency
 *       concurrency} + 1) take turns reading stdin. A request that arrives while a call may start
 *       at once and none waits runs on the thread that read it, which first hands reading on to
 *       another, so a quick method costs no thread switch, a slow one never stops reading, and a
 *       method that waits for the manager ({@link WorkerContext#request}) always has its answer
 *       read, whatever the concurrency. Other requests wait for the next free call thread.</li>
 *   <li>stdout belongs to the protocol: {@code System.out} is redirected to stderr, so a stray
 *       {@code println} cannot corrupt the stream.</li>
 *   <li>When stdin ends, running calls finish and are answered, then the worker stops. SIGTERM
 *       does the same, within the shutdown grace period.</li>
 *   <li>An {@link Error} such as {@link OutOfMemoryError} in a method is answered with -32603 and
 *       then ends the process with exit code {@value #FATAL_EXIT_CODE}.</li>
 * </ul>
 *
 * <h2>Listening instead of stdio</h2>
 * The same worker, with the same services, can instead serve the connections of an
 * {@link Acceptor}, such as a request queue shared by many worker hosts: set the environment
 * variable {@value #LISTEN_ENV} (for example {@code PIPERPC_LISTEN=sqs:https://sqs.eu-west-1.amazonaws.com/123456789012/requests},
 * which needs the {@code dev.piperpc:piperpc-queue} artifact on the class path) or call
 * {@link Builder#listen(String)}. Then stdin and stdout are not used (nor redirected); the worker
 * takes no more work than its {@link Builder#concurrency concurrency}, and serves until SIGTERM:
 * it stops taking work, hands back what it had not started, finishes and answers running calls
 * within the shutdown grace, and exits with code 0.
 */
public final class Worker {

    /** The exit code after an {@link Error} in a method. */
    public static final int FATAL_EXIT_CODE = 70;

    /** The environment variable that makes {@link #serve} listen on a URI instead of stdio, such as {@code sqs:<queue URL>}. */
    public static final String LISTEN_ENV = "PIPERPC_LISTEN";

    private final Builder settings;
    private StdioTransport transport;
    private AcceptorServer server;
    private final ThreadFactory callThreads;
    private TrackingExecutor executor;
    private LeaderFollowerPool stdioThreads;
    private final CountDownLatch inputEnded = new CountDownLatch(1);
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final AtomicBoolean stopping = new AtomicBoolean();
    private Endpoint endpoint;

    private Worker(Builder settings) {
        this.settings = settings;
        AtomicInteger threads = new AtomicInteger();
        this.callThreads = runnable -> {
            Thread thread = new Thread(runnable, "piperpc-call-" + threads.incrementAndGet());
            thread.setDaemon(true);
            thread.setUncaughtExceptionHandler((failed, error) -> fatal(error));
            return thread;
        };
    }

    private void openStdio() {
        FileOutputStream protocolOut = new FileOutputStream(FileDescriptor.out);
        // From here on only the protocol writes to fd 1.
        System.setOut(new PrintStream(new FileOutputStream(FileDescriptor.err), true));
        this.transport = new StdioTransport(new FileInputStream(FileDescriptor.in), protocolOut, settings.framing,
                settings.maxFrameSize, settings.maxQueuedBytes, stdioThreads, inputEnded::countDown, executor::waiting, this::fatal);
    }

    /**
     * Serves {@code services} with default settings until stdin ends and every running call has
     * been answered, then exits the process with code 0. With {@value #LISTEN_ENV} set, serves
     * what that URI accepts instead, until SIGTERM (see the class description).
     *
     * @throws IllegalArgumentException if {@value #LISTEN_ENV} names a URI nothing on the class path can listen on
     */
    public static void serve(Object... services) {
        Builder builder = builder();
        for (Object service : services) {
            builder.service(service);
        }
        builder.run();
        System.exit(0);
    }

    /** A builder for a worker with custom settings. */
    public static Builder builder() {
        return new Builder();
    }

    private void run() {
        Acceptor acceptor = settings.acceptor();
        // On stdio the call threads take turns reading stdin; an acceptor has threads of its own that receive.
        if (acceptor == null) {
            stdioThreads = new LeaderFollowerPool(settings.concurrency, callThreads);
        }
        executor = new TrackingExecutor(acceptor == null ? stdioThreads : new ThreadPoolExecutor(settings.concurrency,
                settings.concurrency, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), callThreads));
        Endpoint.Builder endpointBuilder = Endpoint.builder().mapper(settings.mapper).executor(executor)
                .maxQueuedIncoming(settings.maxQueuedRequests).dialect(settings.dialect);
        settings.services.forEach(endpointBuilder::service);
        settings.handlers.forEach(endpointBuilder::handler);
        if (settings.fallbackHandler != null) {
            endpointBuilder.fallbackHandler(settings.fallbackHandler);
        }
        if (settings.callListener != null) {
            endpointBuilder.callListener(settings.callListener);
        }
        if (acceptor != null) {
            server = new AcceptorServer(acceptor, endpointBuilder, executor, settings.shutdownGrace);
            server.run();
            return;
        }
        openStdio();
        endpoint = endpointBuilder.connect(transport);
        Thread hook = new Thread(() -> stop(settings.shutdownGrace), "piperpc-sigterm");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            inputEnded.await();
            stop(null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // the hook is running: it finishes the stop
        }
    }

    /** Finishes running calls (waiting at most {@code grace}, or without limit if {@code null}), flushes, closes. */
    private void stop(Duration grace) {
        if (!stopping.compareAndSet(false, true)) {
            awaitStopped(grace);
            return;
        }
        long deadline = grace == null ? Long.MAX_VALUE : System.nanoTime() + grace.toNanos();
        try {
            while (busy() && System.nanoTime() - deadline < 0) {
                Thread.sleep(5);
            }
            transport.flush(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        transport.close();
        stdioThreads.shutdown();
        stopped.countDown();
    }

    private void awaitStopped(Duration grace) {
        try {
            if (grace == null) {
                stopped.await();
            } else {
                stopped.await(grace.toNanos(), TimeUnit.NANOSECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private boolean busy() {
        return executor.unfinished() > 0 || endpoint.stats().requestsRunning() > 0;
    }

    /** An {@link Error} escaped a method: answer what can be answered, then end the process. */
    private void fatal(Throwable error) {
        // Out of memory, the message or the flush may fail too: the process ends all the same.
        try {
            try {
                System.err.println("piperpc worker: fatal error, exiting with " + FATAL_EXIT_CODE + ": " + error);
            } finally {
                if (server != null) {
                    server.flush();
                } else if (transport != null) {
                    transport.flush(2, TimeUnit.SECONDS);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            Runtime.getRuntime().halt(FATAL_EXIT_CODE);
        }
    }

    /** Settings of a worker. */
    public static final class Builder {
        private Framing framing = Framing.NEWLINE;
        private int concurrency = Runtime.getRuntime().availableProcessors();
        private int maxFrameSize = Framing.DEFAULT_MAX_FRAME_SIZE;
        private ObjectMapper mapper = new ObjectMapper();
        private Duration shutdownGrace = Duration.ofSeconds(10);
        private int maxQueuedRequests = 1024;
        private long maxQueuedBytes = 16L * 1024 * 1024;
        private final List<Object> services = new ArrayList<>();
        private final Map<String, RequestHandler> handlers = new LinkedHashMap<>();
        private RequestHandler fallbackHandler;
        private Dialect dialect = Dialect.LSP;
        private String listen;
        private Acceptor acceptor;
        private CallListener callListener;

        private Builder() {
        }

        /**
         * Tells {@code listener} about every request and notification the worker's methods handle
         * (started, and ended with its outcome and duration), the bytes read and written, and any
         * call the worker makes to its manager. Its methods run on the stdin reader thread and the
         * call threads: they must be quick and never block (see {@link CallListener}).
         */
        public Builder callListener(CallListener listener) {
            this.callListener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * Serves what {@code uri} accepts instead of stdin and stdout, such as
         * {@code sqs:<request queue URL>} (with the {@code dev.piperpc:piperpc-queue} artifact on
         * the class path). Without it, {@link #run()} listens where the environment variable
         * {@value Worker#LISTEN_ENV} says, if it is set, and else serves stdio. The acceptor is
         * found and opened by {@link #run()}.
         */
        public Builder listen(String uri) {
            this.listen = Objects.requireNonNull(uri, "uri");
            this.acceptor = null;
            return this;
        }

        /** Serves the connections of {@code acceptor} instead of stdin and stdout; see {@link #listen(String)}. */
        public Builder listen(Acceptor acceptor) {
            this.acceptor = Objects.requireNonNull(acceptor, "acceptor");
            this.listen = null;
            return this;
        }

        /** The acceptor to serve, or {@code null} for stdio. */
        private Acceptor acceptor() {
            if (acceptor != null) {
                return acceptor;
            }
            String uri = listen != null ? listen : System.getenv(LISTEN_ENV);
            if (uri == null || uri.isBlank()) {
                return null;
            }
            URI parsed = URI.create(uri.trim());
            String scheme = parsed.getScheme();
            if (scheme == null) {
                throw new IllegalArgumentException("cannot listen on '" + uri + "': it names no scheme such as sqs:");
            }
            AcceptorProvider provider = AcceptorProvider.find(scheme).orElseThrow(() -> new IllegalArgumentException(
                    "cannot listen on '" + uri + "': nothing on the class path listens on " + scheme + ": URIs"
                            + ("sqs".equalsIgnoreCase(scheme) ? "; add the dev.piperpc:piperpc-queue artifact" : "")));
            return provider.open(parsed, new AcceptorProvider.Settings(concurrency));
        }

        /** How messages are delimited (default {@link Framing#NEWLINE}). */
        public Builder framing(Framing framing) {
            this.framing = Objects.requireNonNull(framing, "framing");
            return this;
        }

        /** How many calls run at once (default: the number of cores); on stdio one more thread takes turns reading. */
        public Builder concurrency(int calls) {
            if (calls <= 0) {
                throw new IllegalArgumentException("concurrency must be positive");
            }
            this.concurrency = calls;
            return this;
        }

        /** The largest frame accepted from the manager, in bytes (default 16 MiB). */
        public Builder maxFrameSize(int bytes) {
            if (bytes <= 0) {
                throw new IllegalArgumentException("maxFrameSize must be positive");
            }
            this.maxFrameSize = bytes;
            return this;
        }

        /**
         * How many requests and notifications from the manager may wait to start (default 1024).
         * When that many wait, the worker stops reading stdin until half of them have started.
         */
        public Builder maxQueuedRequests(int max) {
            if (max <= 1) {
                throw new IllegalArgumentException("maxQueuedRequests must be at least 2");
            }
            this.maxQueuedRequests = max;
            return this;
        }

        /**
         * How many bytes of output may wait for the manager to read them (default 16 MiB). Beyond
         * that, a call thread that answers or notifies waits for room.
         */
        public Builder maxQueuedBytes(long bytes) {
            if (bytes <= 0) {
                throw new IllegalArgumentException("maxQueuedBytes must be positive");
            }
            this.maxQueuedBytes = bytes;
            return this;
        }

        /**
         * The dialect that {@link WorkerContext}'s progress and log reports are sent in (default
         * {@link Dialect#LSP}); {@link Dialect#MCP} makes this worker speak as an MCP server.
         * Whatever the dialect, the worker obeys both {@code $/cancelRequest} (answering the
         * request -32800) and {@code notifications/cancelled} (leaving it unanswered).
         */
        public Builder dialect(Dialect dialect) {
            this.dialect = Objects.requireNonNull(dialect, "dialect");
            return this;
        }

        /** The mapper for params and results. */
        public Builder mapper(ObjectMapper mapper) {
            this.mapper = Objects.requireNonNull(mapper, "mapper");
            return this;
        }

        /** How long running calls may take to finish after SIGTERM (default 10 s). */
        public Builder shutdownGrace(Duration grace) {
            this.shutdownGrace = Objects.requireNonNull(grace, "grace");
            return this;
        }

        /** Exposes the public methods of {@code service}. */
        public Builder service(Object service) {
            services.add(Objects.requireNonNull(service, "service"));
            return this;
        }

        /** Handles {@code method} with {@code handler}. */
        public Builder handler(String method, RequestHandler handler) {
            handlers.put(Objects.requireNonNull(method, "method"), Objects.requireNonNull(handler, "handler"));
            return this;
        }

        /** Handles every method that has no handler of its own (instead of answering -32601). */
        public Builder fallbackHandler(RequestHandler handler) {
            this.fallbackHandler = Objects.requireNonNull(handler, "handler");
            return this;
        }

        /**
         * Serves on this process's stdin and stdout until stdin ends and every running call has
         * been answered, then returns. Call it once per process. When listening
         * ({@link #listen(String)}, {@value Worker#LISTEN_ENV}), serves until SIGTERM and then
         * ends the process with exit code 0, as the class description says.
         *
         * @throws IllegalArgumentException if the listen URI is one nothing on the class path can listen on
         */
        public void run() {
            new Worker(this).run();
        }
    }
}
