package dev.piperpc.core.codec;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.piperpc.core.message.ErrorObject;
import dev.piperpc.core.message.Id;
import dev.piperpc.core.message.RawJson;
import dev.piperpc.core.message.Request;
import dev.piperpc.core.message.Response;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Messages written one after another, large and small, and on several threads at once, come out whole. */
class MessageWriterTest {

    private final ObjectMapper mapper = new ObjectMapper();
    private final MessageWriter writer = new MessageWriter(mapper);
    private final MessageReader reader = new MessageReader();

    private static String text(byte[] json) {
        return new String(json, StandardCharsets.UTF_8);
    }

    @Test
    void writesEveryEnvelopeExactly() {
        assertEquals("{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"echo\",\"params\":[1,\"x\"]}",
                text(writer.request(7, "echo", List.of(1, "x"))));
        assertEquals("{\"jsonrpc\":\"2.0\",\"id\":\"a\\\"b\",\"method\":\"m\\u0001\",\"params\":{\"k\":null}}",
                text(writer.request(Id.of("a\"b"), "m\u0001", RawJson.parse("{\"k\":null}"))));
        assertEquals("{\"jsonrpc\":\"2.0\",\"method\":\"ping\"}", text(writer.notification("ping", null)));
        assertEquals("{\"jsonrpc\":\"2.0\",\"id\":1e999,\"result\":{\"a\":\"ü\"}}",
                text(writer.result(Id.ofNumber(new BigDecimal("1e999"), "1e999"), Map.of("a", "ü"), mapper)));
        assertEquals("{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32600,\"message\":\"bad\",\"data\":[1]}}",
                text(writer.message(Response.failure(Id.NULL,
                        new ErrorObject(-32600, "bad", RawJson.parse("[1]"))))));
    }

    @Test
    void aLargeMessageBetweenSmallOnesComesOutWhole() {
        String large = "ä".repeat(100_000);
        String small1 = text(writer.request(1, "m", List.of("a")));
        byte[] big = writer.request(2, "m", List.of(large));
        String small2 = text(writer.request(3, "m", List.of("b")));
        assertEquals("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"m\",\"params\":[\"a\"]}", small1);
        assertEquals("{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"m\",\"params\":[\"b\"]}", small2);
        Request request = (Request) reader.decode(big).messages().get(0);
        assertEquals("[\"" + large + "\"]", request.params().toString());
    }

    @Test
    void threadsWritingAtOnceEachGetTheirOwnMessages() throws Exception {
        int threads = 4;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                results.add(pool.submit(() -> {
                    start.await();
                    int checked = 0;
                    for (int i = 0; i < 2_000; i++) {
                        String text = "t" + thread + "-" + i + "-" + "x".repeat(i % 300);
                        byte[] json = writer.request(i, "m", List.of(text));
                        Request request = (Request) reader.decode(json).messages().get(0);
                        assertEquals(Id.of(i), request.id());
                        assertEquals(List.of(text), List.of(request.params().bind(mapper, String[].class)));
                        checked++;
                    }
                    return checked;
                }));
            }
            start.countDown();
            for (Future<Integer> result : results) {
                assertEquals(2_000, result.get(60, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
