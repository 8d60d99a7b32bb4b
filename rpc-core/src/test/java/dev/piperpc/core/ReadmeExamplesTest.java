package dev.piperpc.core;

import com.googlecode.jsonrpc4j.JsonRpcParam;
import dev.piperpc.core.transport.InMemoryTransport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The code of the README's call-style section, kept compiling and passing here. */
class ReadmeExamplesTest {

    /** The service the README's examples call. */
    public static final class Jobs {
        public String echo(String text) {
            return text;
        }

        public int subtract(@JsonRpcParam("minuend") int minuend, @JsonRpcParam("subtrahend") int subtrahend) {
            return minuend - subtrahend;
        }

        public long countWords(String text) throws InterruptedException {
            Thread.sleep(text.length());
            return text.split("\\s+").length;
        }
    }

    /** The typed view of the service. */
    public interface JobsApi {
        String echo(String text);

        CompletableFuture<Long> countWords(String text);
    }

    private Endpoint rpc;
    private Endpoint worker;

    @BeforeEach
    void connect() {
        InMemoryTransport.Pair pair = InMemoryTransport.pair();
        worker = Endpoint.builder().service(new Jobs()).connect(pair.right());
        rpc = Endpoint.builder().defaultTimeout(Duration.ofSeconds(30)).connect(pair.left());
    }

    @AfterEach
    void close() {
        rpc.close();
        worker.close();
    }

    @Test
    void callStyles() throws InterruptedException {
        // send/join
        Call<String> call = rpc.send("echo", Params.of("hello"), String.class);
        String echoed = call.join();

        // sync
        int difference = rpc.call("subtract", Params.named(Map.of("minuend", 42, "subtrahend", 23)), Integer.class);

        // callback
        LinkedBlockingQueue<Long> counts = new LinkedBlockingQueue<>();
        rpc.send("countWords", Params.of("a b c"), Long.class)
                .whenDone((count, error) -> counts.add(error == null ? count : -1));

        // scatter/gather: many calls, results in request order
        List<Call<Long>> calls = new ArrayList<>();
        for (String text : List.of("one two", "three", "four five six")) {
            calls.add(rpc.send("countWords", Params.of(text), Long.class));
        }
        List<Long> gathered = Call.joinAll(calls);

        // scatter/gather as one JSON-RPC batch
        Batch batch = rpc.batch();
        Call<String> first = batch.add("echo", Params.of("x"), String.class);
        Call<String> second = batch.add("echo", Params.of("y"), String.class);
        batch.send();

        // send/fetch: take calls as they end
        CompletionQueue<Long> queue = new CompletionQueue<>();
        queue.add(rpc.send("countWords", Params.of("a long text to count"), Long.class));
        queue.add(rpc.send("countWords", Params.of("short"), Long.class));
        Call<Long> firstDone = queue.take();

        // notify: no response
        rpc.notify("echo", Params.of("fire and forget"));

        // typed proxy
        JobsApi api = rpc.proxy(JobsApi.class);
        CompletableFuture<Long> words = api.countWords("typed proxy call");

        // timeout and cancel
        Call<Long> slow = rpc.send("countWords", Params.of("x".repeat(2000)), Long.class, Duration.ofMillis(100));
        try {
            slow.join();
        } catch (CallTimeoutException e) {
            counts.add(-2L);
        }

        assertEquals("hello", echoed);
        assertEquals(19, difference);
        assertEquals(3L, counts.poll(10, TimeUnit.SECONDS));
        assertEquals(List.of(2L, 1L, 3L), gathered);
        assertEquals("x", first.join());
        assertEquals("y", second.join());
        assertEquals(1L, firstDone.join());
        assertEquals(3L, words.join());
        assertEquals(-2L, counts.poll(10, TimeUnit.SECONDS));
        assertTrue(slow.isDone());
    }
}
