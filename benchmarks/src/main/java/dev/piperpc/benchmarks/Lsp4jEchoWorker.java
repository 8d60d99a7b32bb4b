package dev.piperpc.benchmarks;

import org.eclipse.lsp4j.jsonrpc.Launcher;
import org.eclipse.lsp4j.jsonrpc.services.JsonRequest;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The LSP4J peer's worker: a {@link Launcher} over stdin/stdout exposing {@code echo} and
 * {@code sleep} as {@code @JsonRequest} methods (LSP4J binds the elements of array params to the
 * method's parameters). {@code sleep} completes off the reader thread, as
 * LSP4J recommends for long requests.
 */
public final class Lsp4jEchoWorker {

    /** The methods served. */
    public static final class Service {
        @JsonRequest
        public CompletableFuture<List<Object>> echo(Object number, Object text) {
            return CompletableFuture.completedFuture(Arrays.asList(number, text));
        }

        @JsonRequest
        public CompletableFuture<Object> sleep(Number millis) {
            return CompletableFuture.supplyAsync(() -> {
                try {
                    Thread.sleep(millis.longValue());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return millis;
            });
        }
    }

    /** The manager as seen from the worker: nothing is called on it. */
    public interface Manager {
    }

    private Lsp4jEchoWorker() {
    }

    public static void main(String[] args) throws Exception {
        Launcher<Manager> launcher = new Launcher.Builder<Manager>()
                .setLocalService(new Service())
                .setRemoteInterface(Manager.class)
                .setInput(System.in)
                .setOutput(System.out)
                .create();
        launcher.startListening().get();
        System.exit(0);
    }
}
