package dev.piperpc.benchmarks;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.piperpc.core.Dialect;
import dev.piperpc.core.RequestContext;
import dev.piperpc.core.RequestHandler;
import dev.piperpc.core.Rpc;
import dev.piperpc.core.codec.MessageReader;
import dev.piperpc.core.codec.MessageWriter;
import dev.piperpc.core.framing.FrameDecoder;
import dev.piperpc.core.framing.FrameHandler;
import dev.piperpc.core.framing.Framing;
import dev.piperpc.core.framing.FramingException;
import dev.piperpc.core.internal.ByteSink;
import dev.piperpc.core.internal.TrustedJson;
import dev.piperpc.core.internal.UntypedValues;
import dev.piperpc.core.internal.dispatch.ServiceMethods;
import dev.piperpc.core.message.DecodedFrame;
import dev.piperpc.core.message.Id;
import dev.piperpc.core.message.RawJson;
import dev.piperpc.core.message.Request;
import dev.piperpc.core.message.Response;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;

import java.io.IOException;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * Nanoseconds per message for the codec on the W1 payload ({@code echo} with params
 * {@code [i, "<64 ASCII characters>"]}), with JMH: encode a request, decode it, frame and unframe
 * it (newline), encode a result as the worker does, encode a response, decode it and bind its
 * result, and on the worker's side bind a request's params and call the method. Run with
 * {@code java -cp benchmarks/target/piperpc-benchmarks.jar dev.piperpc.benchmarks.CodecBenchmark}
 * (any JMH options, such as {@code -f 3}, may follow).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx256m"})
public class CodecBenchmark {

    private static final int FRAMES_PER_WRITE = 64;

    private final ObjectMapper mapper = new ObjectMapper();
    private final MessageReader reader = new MessageReader(mapper.getFactory());
    private final MessageWriter writer = new MessageWriter(mapper);
    private final UntypedValues untypedValues = UntypedValues.of(mapper);
    private final FrameDecoder decoder = Framing.NEWLINE.newDecoder(Framing.DEFAULT_MAX_FRAME_SIZE);
    private final ByteSink wire = new ByteSink(64 * 1024);
    private byte[] request;
    private byte[] responseJson;
    private RawJson result;
    private JavaType resultType;
    private RequestHandler echo;
    private Request echoRequest;
    private int i;

    @Setup
    public void setUp() {
        request = writer.message(new Request(Id.of(12345), "echo", RawJson.parse("[12345,\"" + Payload.TEXT + "\"]")));
        responseJson = ("{\"jsonrpc\":\"2.0\",\"id\":12345,\"result\":[12345,\"" + Payload.TEXT + "\"]}").getBytes();
        result = RawJson.parse("[12345,\"" + Payload.TEXT + "\"]");
        resultType = mapper.getTypeFactory().constructType(Object[].class);
        echo = ServiceMethods.compile(new BenchmarkWorker(), mapper).get("echo");
        echoRequest = (Request) reader.decode(request).messages().get(0);
    }

    /** Request encoding as the endpoint does it: params serialized by the mapper into the envelope. */
    @Benchmark
    public byte[] encodeRequest() {
        i++;
        return writer.request(i, "echo", Arrays.asList(i, Payload.TEXT));
    }

    /** Response encoding as the worker does it: the method's result serialized by the mapper into the envelope. */
    @Benchmark
    public byte[] encodeResult() {
        i++;
        return writer.result(Id.of(i), Arrays.asList(i, Payload.TEXT), mapper);
    }

    @Benchmark
    public DecodedFrame decodeRequest() {
        return reader.decode(request);
    }

    /** Response decoding as the manager does it, the result left raw. */
    @Benchmark
    public DecodedFrame decodeResponse() {
        return reader.decode(responseJson);
    }

    /**
     * Binding a result to {@code Object[]}, as the caller of {@code echo} asks for it: read without
     * the mapper, which binds {@code Object[]} with its standard deserializers.
     */
    @Benchmark
    public Object[] bindResult() throws IOException {
        return bind(result);
    }

    /** Binding a result to {@code Object[]} with the mapper, as for any other type. */
    @Benchmark
    public Object[] bindResultWithMapper() throws IOException {
        return result.bind(mapper, resultType);
    }

    /** What a call does with its result: {@link UntypedValues} when it reads it, else the mapper. */
    private Object[] bind(RawJson raw) throws IOException {
        Object read = TrustedJson.readUntyped(raw, untypedValues, Object[].class);
        return read != UntypedValues.NOT_READ ? (Object[]) read : raw.bind(mapper, resultType);
    }

    /** The worker's side of a request: its params bound to the arguments of {@code echo(Object, Object)}, and the call. */
    @Benchmark
    public Object bindParamsAndCall() throws Exception {
        return echo.handle(new EchoContext(echoRequest));
    }

    /** Newline framing of 64 responses into one buffer and their unframing, per frame. */
    @Benchmark
    @OperationsPerInvocation(FRAMES_PER_WRITE)
    public void newlineFrameUnframe(Blackhole frames) throws IOException {
        wire.reset();
        for (int j = 0; j < FRAMES_PER_WRITE; j++) {
            Framing.NEWLINE.encode(responseJson, 0, responseJson.length, wire);
        }
        decoder.decode(wire.array(), 0, wire.size(), new FrameHandler() {
            @Override
            public void onFrame(byte[] frame) {
                frames.consume(frame);
            }

            @Override
            public void onError(FramingException error) {
                throw error;
            }
        });
    }

    /** A response as the worker writes it and the manager reads it: encode, decode, bind the result. */
    @Benchmark
    public Object[] encodeDecodeBindResponse() throws IOException {
        i++;
        byte[] encoded = writer.message(Response.success(Id.of(i), result));
        Response decoded = (Response) reader.decode(encoded).messages().get(0);
        return bind(decoded.result());
    }

    /** What a handler sees of a decoded request. */
    private record EchoContext(Request request) implements RequestContext {
        @Override
        public String method() {
            return request.method();
        }

        @Override
        public Id id() {
            return request.id();
        }

        @Override
        public RawJson params() {
            return request.params();
        }

        @Override
        public <T> T params(Class<T> type) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean isCancelled() {
            return false;
        }

        @Override
        public Dialect dialect() {
            throw new UnsupportedOperationException();
        }

        @Override
        public Rpc endpoint() {
            throw new UnsupportedOperationException();
        }
    }

    /** Runs the codec benchmarks; JMH's own options may be given (they replace the defaults above). */
    public static void main(String[] args) throws RunnerException, IOException {
        if (args.length > 0) {
            org.openjdk.jmh.Main.main(args);
            return;
        }
        new Runner(new OptionsBuilder().include(CodecBenchmark.class.getName() + "\\.").build()).run();
    }
}
