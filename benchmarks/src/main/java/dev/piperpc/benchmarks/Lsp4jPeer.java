package dev.piperpc.benchmarks;

import com.google.gson.JsonPrimitive;
import org.eclipse.lsp4j.jsonrpc.Launcher;
import org.eclipse.lsp4j.jsonrpc.services.JsonRequest;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * LSP4J: one {@link Launcher} per worker over the child's stdin/stdout, calls through the remote
 * proxy returning {@link CompletableFuture}, sent and joined in a window; workers spread round-robin.
 */
final class Lsp4jPeer extends ChildProcessPeer {

    /** The worker's methods, as the manager calls them. */
    public interface EchoApi {
        @JsonRequest
        CompletableFuture<List<Object>> echo(Object number, Object text);

        @JsonRequest
        CompletableFuture<Object> sleep(Number millis);
    }

    private final List<EchoApi> remotes = new ArrayList<>();
    private final WorkerJvm jvm;

    Lsp4jPeer(WorkerJvm jvm) {
        this.jvm = jvm;
    }

    @Override
    public void start(int workers) throws Exception {
        for (int i = 0; i < workers; i++) {
            Process process = new ProcessBuilder(jvm.command(Lsp4jEchoWorker.class.getName()))
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            Launcher<EchoApi> launcher = new Launcher.Builder<EchoApi>()
                    .setLocalService(new Object())
                    .setRemoteInterface(EchoApi.class)
                    .setInput(process.getInputStream())
                    .setOutput(process.getOutputStream())
                    .create();
            launcher.startListening();
            processes.add(process);
            remotes.add(launcher.getRemoteProxy());
        }
    }

    @Override
    public double throughput(int calls, int window) {
        ArrayDeque<CompletableFuture<List<Object>>> inFlight = new ArrayDeque<>(window);
        ArrayDeque<Integer> numbers = new ArrayDeque<>(window);
        long start = System.nanoTime();
        for (int i = 0; i < calls; i++) {
            if (inFlight.size() == window) {
                check(inFlight.poll().join(), numbers.poll());
            }
            inFlight.add(remotes.get(i % remotes.size()).echo(i, Payload.TEXT));
            numbers.add(i);
        }
        while (!inFlight.isEmpty()) {
            check(inFlight.poll().join(), numbers.poll());
        }
        return calls / ((System.nanoTime() - start) / 1e9);
    }

    /** LSP4J hands out the elements of a {@code List<Object>} result as Gson elements. */
    private static void check(List<Object> result, int expected) {
        if (result.size() != 2 || asInt(result.get(0)) != expected || !Payload.TEXT.equals(asString(result.get(1)))) {
            throw new IllegalStateException("wrong result for call " + expected + ": " + result);
        }
    }

    private static int asInt(Object value) {
        return value instanceof JsonPrimitive primitive ? primitive.getAsInt() : ((Number) value).intValue();
    }

    private static String asString(Object value) {
        return value instanceof JsonPrimitive primitive ? primitive.getAsString() : (String) value;
    }

    @Override
    public double headOfLine(long sleepMillis, int echoes) {
        EchoApi worker = remotes.get(0);
        long start = System.nanoTime();
        CompletableFuture<Object> sleep = worker.sleep(sleepMillis);
        List<CompletableFuture<List<Object>>> calls = new ArrayList<>();
        for (int i = 0; i < echoes; i++) {
            calls.add(worker.echo(i, Payload.TEXT));
        }
        for (int i = 0; i < echoes; i++) {
            check(calls.get(i).join(), i);
        }
        double elapsed = (System.nanoTime() - start) / 1e6;
        sleep.join();
        return elapsed;
    }

    @Override
    public void echoOnce(int i) {
        check(remotes.get(0).echo(i, Payload.TEXT).join(), i);
    }

    @Override
    public void echoEach() {
        for (EchoApi remote : remotes) {
            check(remote.echo(0, Payload.TEXT).join(), 0);
        }
    }
}
