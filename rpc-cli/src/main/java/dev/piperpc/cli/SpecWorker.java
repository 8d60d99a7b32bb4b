package dev.piperpc.cli;

import com.googlecode.jsonrpc4j.JsonRpcMethod;
import com.googlecode.jsonrpc4j.JsonRpcParam;
import dev.piperpc.core.framing.Framing;
import dev.piperpc.worker.Worker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Arrays;
import java.util.List;

/**
 * A worker exposing the methods that the examples of the JSON-RPC 2.0 specification call, plus
 * {@code echo}, {@code sleep} and {@code fail}. {@code foobar} is not among them: the
 * specification calls it as its example of a method that does not exist (-32601), and as a
 * notification, which gets no answer either way. Run it with {@code piperpc serve spec}, or
 * {@code java -cp rpc-cli/target/piperpc.jar dev.piperpc.cli.SpecWorker [newline|lsp|stream]}
 * (the framing defaults to newline).
 */
public final class SpecWorker {

    private static final Logger log = LoggerFactory.getLogger(SpecWorker.class);

    /** {@code subtract} by position ({@code [42, 23]}) or by name ({@code {"minuend": 42, "subtrahend": 23}}). */
    public int subtract(@JsonRpcParam("minuend") int minuend, @JsonRpcParam("subtrahend") int subtrahend) {
        return minuend - subtrahend;
    }

    /**
     * {@code sum} of any number of numbers ({@code [1, 2, 4]} gives {@code 7}, {@code []} gives
     * {@code 0}), exact up to 34 significant digits, so that no exponent a caller writes makes it
     * slow.
     */
    public BigDecimal sum(BigDecimal... numbers) {
        return add(numbers);
    }

    private static BigDecimal add(BigDecimal... numbers) {
        BigDecimal total = BigDecimal.ZERO;
        for (BigDecimal number : numbers) {
            total = total.add(number, MathContext.DECIMAL128);
        }
        return total;
    }

    /** {@code update}: a notification in the specification's examples. */
    public void update(int a, int b, int c, int d, int e) {
        log.info("update {} {} {} {} {}", a, b, c, d, e);
    }

    /** {@code notify_hello}: a notification in the specification's examples. */
    @JsonRpcMethod("notify_hello")
    public void notifyHello(int value) {
        log.info("hello {}", value);
    }

    /** {@code notify_sum}: a notification in the specification's examples; any number of numbers, as {@link #sum}. */
    @JsonRpcMethod("notify_sum")
    public void notifySum(BigDecimal... numbers) {
        log.info("sum {}", add(numbers));
    }

    /** {@code get_data}: returns {@code ["hello", 5]}. */
    @JsonRpcMethod("get_data")
    public List<Object> getData() {
        return List.of("hello", 5);
    }

    /** {@code echo}: returns its params, whatever their number ({@code [i, "<text>"]} in the benchmarks). */
    public List<Object> echo(Object... params) {
        return Arrays.asList(params);
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
