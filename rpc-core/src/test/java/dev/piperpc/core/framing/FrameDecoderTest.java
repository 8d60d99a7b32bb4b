package dev.piperpc.core.framing;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FrameDecoderTest {

    /** Collects frames as strings and errors. */
    static final class Collector implements FrameHandler {
        final List<String> frames = new ArrayList<>();
        final List<FramingException> errors = new ArrayList<>();

        @Override
        public void onFrame(byte[] frame) {
            frames.add(new String(frame, StandardCharsets.UTF_8));
        }

        @Override
        public void onError(FramingException error) {
            errors.add(error);
        }
    }

    private static final List<String> TEXTS = List.of(
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"echo\",\"params\":[1,\"a }] \\\" \\\\\"]}",
            "[{\"jsonrpc\":\"2.0\",\"method\":\"n\"},{\"jsonrpc\":\"2.0\",\"id\":\"x\",\"method\":\"m\",\"params\":{}}]",
            "{\"jsonrpc\":\"2.0\",\"id\":2,\"result\":\"ünïcödé ✓ 日本語 🎉\"}",
            "{}");

    private static byte[] encodeAll(Framing framing, List<String> texts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String text : texts) {
            out.writeBytes(framing.encode(text.getBytes(StandardCharsets.UTF_8)));
        }
        return out.toByteArray();
    }

    @ParameterizedTest
    @EnumSource(Framing.class)
    void decodesFramesFedByteByByte(Framing framing) {
        byte[] wire = encodeAll(framing, TEXTS);
        FrameDecoder decoder = framing.newDecoder(1024);
        Collector collector = new Collector();
        for (byte b : wire) {
            decoder.decode(new byte[] {b}, 0, 1, collector);
        }
        decoder.endOfInput(collector);
        assertEquals(TEXTS, collector.frames);
        assertEquals(List.of(), collector.errors);
    }

    @ParameterizedTest
    @EnumSource(Framing.class)
    void decodesFramesFedInRandomSlices(Framing framing) {
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            texts.add(TEXTS.get(i % TEXTS.size()));
        }
        byte[] wire = encodeAll(framing, texts);
        Random random = new Random(42);
        for (int round = 0; round < 50; round++) {
            FrameDecoder decoder = framing.newDecoder(1024);
            Collector collector = new Collector();
            int position = 0;
            while (position < wire.length) {
                int length = Math.min(wire.length - position, 1 + random.nextInt(random.nextBoolean() ? 7 : 700));
                byte[] piece = new byte[length + 10];
                System.arraycopy(wire, position, piece, 5, length);
                decoder.decode(piece, 5, length, collector);
                position += length;
            }
            assertEquals(texts, collector.frames, "round " + round);
            assertEquals(List.of(), collector.errors);
        }
    }

    @ParameterizedTest
    @EnumSource(Framing.class)
    void skipsAnOversizedFrameAndResynchronises(Framing framing) {
        String big = "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":\"" + "x".repeat(5000) + "\"}";
        String small = "{\"jsonrpc\":\"2.0\",\"id\":2,\"result\":[]}";
        byte[] wire = encodeAll(framing, List.of(small, big, small));
        for (int sliceSize : new int[] {1, 100, wire.length}) {
            FrameDecoder decoder = framing.newDecoder(1000);
            Collector collector = new Collector();
            for (int position = 0; position < wire.length; position += sliceSize) {
                decoder.decode(wire, position, Math.min(sliceSize, wire.length - position), collector);
            }
            assertEquals(List.of(small, small), collector.frames, "slice size " + sliceSize);
            assertEquals(1, collector.errors.size());
            FrameTooLargeException error = assertInstanceOf(FrameTooLargeException.class, collector.errors.get(0));
            assertEquals(1000, error.maxFrameSize());
            String prefix = new String(error.prefix(), StandardCharsets.UTF_8);
            assertEquals(FrameTooLargeException.PREFIX_LENGTH, prefix.length(), "slice size " + sliceSize);
            assertTrue(prefix.startsWith("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":\"xxx"), prefix);
        }
    }

    @Test
    void newlineSkipsBlankLinesAndCarriageReturns() {
        byte[] wire = "\n\r\n  {\"a\":1}\r\n\n{\"b\":2}".getBytes(StandardCharsets.UTF_8);
        FrameDecoder decoder = Framing.NEWLINE.newDecoder(100);
        Collector collector = new Collector();
        decoder.decode(wire, 0, wire.length, collector);
        assertEquals(List.of("{\"a\":1}"), collector.frames);
        decoder.endOfInput(collector);
        assertEquals(List.of("{\"a\":1}", "{\"b\":2}"), collector.frames, "a last line without newline is still a frame");
    }

    @Test
    void framesAreMadeAsTheirFramingSays() {
        byte[] json = "{\"id\":1}".getBytes(StandardCharsets.UTF_8);
        assertEquals("{\"id\":1}\n", new String(Framing.NEWLINE.encode(json), StandardCharsets.UTF_8));
        assertEquals("Content-Length: 8\r\n\r\n{\"id\":1}", new String(Framing.LSP.encode(json), StandardCharsets.UTF_8));
        assertEquals("{\"id\":1}", new String(Framing.STREAM.encode(json), StandardCharsets.UTF_8));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Framing framing : Framing.values()) {
            out.reset();
            try {
                framing.encode(json, 0, json.length, out);
            } catch (java.io.IOException e) {
                throw new AssertionError(e);
            }
            assertEquals(new String(framing.encode(json), StandardCharsets.UTF_8), out.toString(StandardCharsets.UTF_8),
                    framing + ": both ways of framing agree");
        }
    }

    @Test
    void newlineEncoderNeverEmbedsALineBreak() {
        byte[] frame = Framing.NEWLINE.encode("{\"a\":\n[1,\r\n2]}".getBytes(StandardCharsets.UTF_8));
        assertEquals("{\"a\": [1,  2]}\n", new String(frame, StandardCharsets.UTF_8));
    }

    @Test
    void lspReadsHeadersInAnyCaseAndIgnoresOthers() {
        String body = "{\"x\":\"✓\"}";
        int length = body.getBytes(StandardCharsets.UTF_8).length;
        byte[] wire = ("content-length: " + length + "\r\nContent-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n" + body
                + "Content-Length: 2\n\n{}").getBytes(StandardCharsets.UTF_8);
        FrameDecoder decoder = Framing.LSP.newDecoder(100);
        Collector collector = new Collector();
        decoder.decode(wire, 0, wire.length, collector);
        assertEquals(List.of(body, "{}"), collector.frames);
        assertEquals(List.of(), collector.errors);
    }

    @Test
    void lspRecoversFromGarbageHeaders() {
        byte[] wire = ("hello world\r\n\r\nContent-Length: abc\r\n\r\nContent-Length: 2\r\n\r\n{}").getBytes(StandardCharsets.UTF_8);
        FrameDecoder decoder = Framing.LSP.newDecoder(100);
        Collector collector = new Collector();
        decoder.decode(wire, 0, wire.length, collector);
        assertEquals(List.of("{}"), collector.frames);
        assertEquals(2, collector.errors.size());
        assertTrue(collector.errors.get(0).getMessage().contains("malformed header line: hello world"));
        assertTrue(collector.errors.get(1).getMessage().contains("invalid Content-Length"));
    }

    @Test
    void lspReportsATruncatedBodyAtEndOfInput() {
        byte[] wire = "Content-Length: 10\r\n\r\n{\"a\"".getBytes(StandardCharsets.UTF_8);
        FrameDecoder decoder = Framing.LSP.newDecoder(100);
        Collector collector = new Collector();
        decoder.decode(wire, 0, wire.length, collector);
        decoder.endOfInput(collector);
        assertEquals(List.of(), collector.frames);
        assertEquals("input ended after 4 of 10 bytes of a frame", collector.errors.get(0).getMessage());
    }

    @Test
    void streamSkipsGarbageBetweenTexts() {
        byte[] wire = "{\"a\":1}garbage 123 {\"b\":\"}\"}\n  [1]".getBytes(StandardCharsets.UTF_8);
        FrameDecoder decoder = Framing.STREAM.newDecoder(100);
        Collector collector = new Collector();
        decoder.decode(wire, 0, wire.length, collector);
        assertEquals(List.of("{\"a\":1}", "{\"b\":\"}\"}", "[1]"), collector.frames);
        assertEquals(1, collector.errors.size(), "one error per run of garbage");
    }

    @Test
    void parsesFramingNames() {
        assertEquals(Framing.LSP, Framing.parse("LSP"));
        assertEquals(Framing.NEWLINE, Framing.parse("newline"));
        assertEquals(Framing.STREAM, Framing.parse("stream"));
        IllegalArgumentException error = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Framing.parse("xml"));
        assertTrue(error.getMessage().contains("expected newline, lsp or stream"));
    }

    @Test
    void theLineScansFindTheFirstLineEndWhateverBytesSurroundIt() {
        Random random = new Random(42);
        // Bytes next to '\n' and '\r' in value (0x09, 0x0B, 0x0C, 0x0E), with the high bit set (0x8A, 0x8D), and zero.
        byte[] alphabet = {'\n', '\r', 0x09, 0x0B, 0x0C, 0x0E, (byte) 0x8A, (byte) 0x8D, 0, (byte) 0xFF, 'a', 0x01};
        for (int round = 0; round < 20_000; round++) {
            byte[] bytes = new byte[random.nextInt(40)];
            for (int i = 0; i < bytes.length; i++) {
                bytes[i] = random.nextInt(6) == 0 ? alphabet[random.nextInt(alphabet.length)] : (byte) random.nextInt(256);
            }
            int from = bytes.length == 0 ? 0 : random.nextInt(bytes.length + 1);
            int end = from + random.nextInt(bytes.length - from + 1);
            int newline = -1;
            int lineBreak = -1;
            for (int i = end - 1; i >= from; i--) {
                if (bytes[i] == '\n') {
                    newline = i;
                }
                if (bytes[i] == '\n' || bytes[i] == '\r') {
                    lineBreak = i;
                }
            }
            assertEquals(newline, LineBreaks.indexOfNewline(bytes, from, end), () -> java.util.Arrays.toString(bytes));
            assertEquals(lineBreak, LineBreaks.indexOfLineBreak(bytes, from, end), () -> java.util.Arrays.toString(bytes));
        }
    }
}
