package dev.piperpc.cli;

import com.googlecode.jsonrpc4j.JsonRpcMethod;
import com.googlecode.jsonrpc4j.JsonRpcParam;
import dev.piperpc.core.framing.Framing;
import dev.piperpc.worker.Worker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * A worker exposing the methods that the examples of the JSON-RPC 2.0 specification call, plus
 * {@code echo}, {@code sleep} and {@code fail}. Run it with
 * {@code java -jar samples/target/piperpc-samples.jar [newline|lsp|stream]} (the framing defaults
 * to newline).
 */
public final class SpecWorker {

    private static final Logger log = LoggerFactory.getLogger(SpecWorker.class);

    /** {@code subtract} by position ({@code [42, 23]}) or by name ({@code {"minuend": 42, "subtrahend": 23}}). */
    public int subtract(@JsonRpcParam("minuend") int minuend, @JsonRpcParam("subtrahend") int subtrahend) {
        return minuend - subtrahend;
    }

    /** {@code sum} of three numbers. */
    public int sum(int a, int b, int c) {
        return a + b + c;
    }

    /** {@code update}: a notification in the specification's examples. */
    public void update(int a, int b, int c, int d, int e) {
        log.info("update {} {} {} {} {}", a, b, c, d, e);
    }

    /** {@code foobar}: a notification in the specification's examples. */
    public void foobar() {
        log.info("foobar");
    }

    /** {@code notify_hello}: a notification in the specification's examples. */
    @JsonRpcMethod("notify_hello")
    public void notifyHello(int value) {
        log.info("hello {}", value);
    }

    /** {@code notify_sum}: a notification in the specification's examples. */
    @JsonRpcMethod("notify_sum")
    public void notifySum(int a, int b, int c) {
        log.info("sum {}", a + b + c);
    }

    /** {@code get_data}: returns {@code ["hello", 5]}. */
    @JsonRpcMethod("get_data")
    public List<Object> getData() {
        return List.of("hello", 5);
    }

    /** {@code echo}: returns its params, as the benchmarks' payload {@code [i, "<text>"]}. */
    public List<Object> echo(Object first, Object second) {
        return java.util.Arrays.asList(first, second);
    }

    /** {@code sleep}: waits {@code ms} milliseconds, then returns them. */
    public long sleep(long ms) throws InterruptedException {
        Thread.sleep(ms);
        return ms;
    }

    /** {@code fail}: answers with an error carrying {@code message}. */
    public void fail(String message) {
        throw new IllegalStateException(message);
    }

    /** Serves the spec methods on stdin/stdout with the framing named by the first argument. */
    public static void main(String[] args) {
        Framing framing = args.length > 0 ? Framing.parse(args[0]) : Framing.NEWLINE;
        Worker.builder().framing(framing).service(new SpecWorker()).run();
        System.exit(0);
    }
}
