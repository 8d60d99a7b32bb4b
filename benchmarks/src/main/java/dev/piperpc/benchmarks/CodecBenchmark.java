package dev.piperpc.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.piperpc.core.codec.MessageReader;
import dev.piperpc.core.codec.MessageWriter;
import dev.piperpc.core.framing.FrameDecoder;
import dev.piperpc.core.framing.FrameHandler;
import dev.piperpc.core.framing.Framing;
import dev.piperpc.core.framing.FramingException;
import dev.piperpc.core.internal.ByteSink;
import dev.piperpc.core.message.DecodedFrame;
import dev.piperpc.core.message.Id;
import dev.piperpc.core.message.RawJson;
import dev.piperpc.core.message.Request;
import dev.piperpc.core.message.Response;

import java.util.Locale;

/**
 * Nanoseconds per message for the codec on the W1 payload ({@code echo} with params
 * {@code [i, "<64 ASCII characters>"]}): encode a request, frame and unframe it, decode it,
 * encode the response, decode it and bind its result. Run with
 * {@code mvn -q -pl benchmarks -am package -DskipTests && java -cp ... dev.piperpc.benchmarks.CodecBenchmark},
 * or through {@code exec:java}.
 */
public final class CodecBenchmark {

    private static final String TEXT = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_";
    private static volatile Object sink;

    private CodecBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int messages = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
        ObjectMapper mapper = new ObjectMapper();
        MessageReader reader = new MessageReader(mapper.getFactory());
        MessageWriter writer = new MessageWriter(mapper);
        for (int round = 0; round < rounds + 2; round++) {
            boolean warmUp = round < 2;
            long encode = timeEncodeRequest(writer, messages);
            long decode = timeDecodeRequest(reader, writer, messages);
            long frame = timeFraming(messages);
            long response = timeResponse(mapper, reader, writer, messages);
            if (!warmUp) {
                System.out.printf(Locale.ROOT,
                        "round=%d encode_request_ns=%.0f decode_request_ns=%.0f newline_frame_unframe_ns=%.0f "
                                + "encode_decode_bind_response_ns=%.0f total_ns=%.0f%n",
                        round - 1, per(encode, messages), per(decode, messages), per(frame, messages), per(response, messages),
                        per(encode + decode + frame + response, messages));
            }
        }
    }

    private static double per(long nanos, int count) {
        return (double) nanos / count;
    }

    /** Request encoding as the endpoint does it: params serialized by the mapper into the envelope. */
    private static long timeEncodeRequest(MessageWriter writer, int messages) {
        long start = System.nanoTime();
        for (int i = 0; i < messages; i++) {
            sink = writer.request(i, "echo", java.util.Arrays.asList(i, TEXT));
        }
        return System.nanoTime() - start;
    }

    private static long timeDecodeRequest(MessageReader codec, MessageWriter writer, int messages) {
        byte[] frame = writer.message(new Request(Id.of(12345), "echo", RawJson.parse("[12345,\"" + TEXT + "\"]")));
        long start = System.nanoTime();
        for (int i = 0; i < messages; i++) {
            DecodedFrame decoded = codec.decode(frame);
            sink = decoded;
        }
        return System.nanoTime() - start;
    }

    private static long timeFraming(int messages) throws java.io.IOException {
        byte[] json = ("{\"jsonrpc\":\"2.0\",\"id\":12345,\"result\":[12345,\"" + TEXT + "\"]}").getBytes();
        FrameDecoder decoder = Framing.NEWLINE.newDecoder(Framing.DEFAULT_MAX_FRAME_SIZE);
        FrameHandler handler = new FrameHandler() {
            @Override
            public void onFrame(byte[] frame) {
                sink = frame;
            }

            @Override
            public void onError(FramingException error) {
                throw error;
            }
        };
        ByteSink wire = new ByteSink(64 * 1024);
        long start = System.nanoTime();
        for (int i = 0; i < messages; i += 64) {
            wire.reset();
            for (int j = 0; j < 64; j++) {
                Framing.NEWLINE.encode(json, 0, json.length, wire);
            }
            decoder.decode(wire.array(), 0, wire.size(), handler);
        }
        return System.nanoTime() - start;
    }

    private static long timeResponse(ObjectMapper mapper, MessageReader codec, MessageWriter writer, int messages) throws Exception {
        RawJson result = RawJson.parse("[12345,\"" + TEXT + "\"]");
        var type = mapper.getTypeFactory().constructType(Object[].class);
        long start = System.nanoTime();
        for (int i = 0; i < messages; i++) {
            byte[] encoded = writer.message(Response.success(Id.of(i), result));
            Response decoded = (Response) codec.decode(encoded).messages().get(0);
            Object[] bound = decoded.result().bind(mapper, type);
            sink = bound;
        }
        return System.nanoTime() - start;
    }
}
