package dev.piperpc.core.codec;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.piperpc.core.message.DecodedFrame;
import dev.piperpc.core.message.Id;
import dev.piperpc.core.message.Message;
import dev.piperpc.core.message.Notification;
import dev.piperpc.core.message.Request;
import dev.piperpc.core.message.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The scanner against Jackson's parser: whatever it reads, the parser reads to the same message,
 * and a reader with the scanner decodes every frame, well-formed or not, as one without it does.
 */
class EnvelopeScannerTest {

    private final EnvelopeScanner scanner = EnvelopeScanner.of(new JsonFactory());

    private Message scan(String json) {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        return scanner.scan(bytes, 0, bytes.length);
    }

    /**
     * The parser alone, with no history: a factory of its own class is not one the scanner is
     * used with. A new one each time, since a factory's parsers remember the names they read, and
     * a name that ends in bytes 0xFF can match a shorter name read before, so that a parser that
     * has read that name accepts what a new one rejects.
     */
    private static MessageReader parserOnly() {
        return new MessageReader(new JsonFactory() { });
    }

    /** Asserts a new reader, with the scanner, decodes {@code bytes} as the parser alone does. */
    private static void assertSameAsParser(byte[] bytes) {
        DecodedFrame expected = parserOnly().decode(bytes);
        DecodedFrame actual = new MessageReader().decode(bytes);
        assertEquals(expected, actual, () -> new String(bytes, StandardCharsets.UTF_8));
    }

    @Test
    void readsTheCommonShapesAsTheParserDoes() {
        Request request = assertInstanceOf(Request.class, scan("{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"echo\",\"params\":[7,\"abc\"]}"));
        assertEquals(Id.of(7), request.id());
        assertEquals("echo", request.method());
        assertEquals("[7,\"abc\"]", request.params().toString());

        Notification notification = assertInstanceOf(Notification.class, scan(" {\"method\" : \"tick\", \"jsonrpc\" : \"2.0\"}\r\n"));
        assertEquals("tick", notification.method());
        assertNull(notification.params());

        Response response = assertInstanceOf(Response.class, scan("{\"result\":{\"a\":[1,2.5e-3,true,null,\"ü✓😀\"]},\"id\":\"x-1\",\"jsonrpc\":\"2.0\"}"));
        assertEquals(Id.of("x-1"), response.id());
        assertEquals("{\"a\":[1,2.5e-3,true,null,\"ü✓😀\"]}", response.result().toString());

        Request nullId = assertInstanceOf(Request.class, scan("{\"jsonrpc\":\"2.0\",\"id\":null,\"method\":\"m\",\"params\":{}}"));
        assertEquals(Id.NULL, nullId.id());
        assertEquals(Id.of(-123456789012345678L), assertInstanceOf(Response.class,
                scan("{\"jsonrpc\":\"2.0\",\"id\":-123456789012345678,\"result\":0}")).id());
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":-32601,\"message\":\"no\"}}",
            "[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"m\"}]",
            "{\"jsonrpc\":\"2.0\",\"\\u0069d\":1,\"method\":\"m\"}",
            "{\"jsonrpc\":\"2\\u002e0\",\"id\":1,\"method\":\"m\"}",
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"mé\"}",
            "{\"jsonrpc\":\"2.0\",\"id\":\"ü\",\"method\":\"m\"}",
            "{\"jsonrpc\":\"2.0\",\"id\":01,\"method\":\"m\"}",
            "{\"jsonrpc\":\"2.0\",\"id\":1.0,\"method\":\"m\"}",
            "{\"jsonrpc\":\"2.0\",\"id\":1e2,\"method\":\"m\"}",
            "{\"jsonrpc\":\"2.0\",\"id\":1234567890123456789,\"method\":\"m\"}",
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"id\":2,\"method\":\"m\"}",
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"m\",\"params\":\"x\"}",
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"m\",\"result\":1}",
            "{\"jsonrpc\":\"1.0\",\"id\":1,\"method\":\"m\"}",
            "{\"id\":1,\"method\":\"m\"}",
            "{\"jsonrpc\":\"2.0\",\"result\":1}",
            "{\"jsonrpc\":\"2.0\",\"id\":1}",
            "{}",
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":1} x",
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":1}{}",
            "\uFEFF{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":1}",
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":[1,]}",
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":[1,,2]}",
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":[.5]}",
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":[1.]}",
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":[+1]}",
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":[-]}",
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":[1e]}",
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":[NaN]}",
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":[tru]}",
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":[truex]}",
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":['x']}",
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":[\"\\x\"]}",
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":[\"\\u12G4\"]}",
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":[\"a\tb\"]}",
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{a:1}}",
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":/*c*/1}",
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":1,}",
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":1",
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":\"abc",
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":1\u000b}"})
    void leavesEverythingElseToTheParser(String json) {
        assertNull(scan(json), json);
        assertSameAsParser(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void leavesEscapedSurrogatesInNamesToTheParser() {
        for (String name : List.of("a\\ud800", "\\udc00", "\\ud800\\udc00", "\\ud800\\u0041")) {
            String json = "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"" + name + "\":1}}";
            assertNull(scan(json), json);
            assertSameAsParser(json.getBytes(StandardCharsets.UTF_8));
        }
        // In values, the parser takes them as they come.
        assertNotNull(scan("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":[\"\\ud800\", \"\\udc00x\"]}"));
    }

    @Test
    void leavesMalformedUtf8ToTheParser() {
        for (byte[] bad : List.of(new byte[]{(byte) 0xc3}, new byte[]{(byte) 0xc3, 'a'}, new byte[]{(byte) 0x80},
                new byte[]{(byte) 0xff}, new byte[]{(byte) 0xe2, (byte) 0x9c}, new byte[]{(byte) 0xf0, (byte) 0x9f, (byte) 0x98})) {
            for (String[] around : List.of(new String[] {"\"", "\""}, new String[] {"[\"", "\"]"}, new String[] {"{\"", "\":1}"})) {
                byte[] frame = withResult(around[0], bad, around[1]);
                assertNull(scanner.scan(frame, 0, frame.length));
                assertSameAsParser(frame);
            }
        }
    }

    /** A surrogate in UTF-8: the parser rejects it where it decodes the text (names, a string result), not inside a result. */
    @Test
    void followsTheParserOnSurrogatesInUtf8() {
        byte[] surrogate = {(byte) 0xed, (byte) 0xa0, (byte) 0x80};
        byte[] hangul = {(byte) 0xed, (byte) 0x9f, (byte) 0xbf};
        for (byte[] frame : List.of(withResult("\"", surrogate, "\""), withResult("{\"", surrogate, "\":1}"),
                withResult("[{\"", surrogate, "\":1}]"))) {
            assertNull(scanner.scan(frame, 0, frame.length));
            assertInstanceOf(dev.piperpc.core.message.InvalidMessage.class, new MessageReader().decode(frame).messages().get(0));
            assertSameAsParser(frame);
        }
        for (byte[] frame : List.of(withResult("[\"", surrogate, "\"]"), withResult("\"", hangul, "\""), withResult("{\"", hangul, "\":1}"))) {
            assertNotNull(scanner.scan(frame, 0, frame.length));
            assertSameAsParser(frame);
        }
    }

    private static byte[] withResult(String before, byte[] inside, String after) {
        byte[] head = ("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":" + before).getBytes(StandardCharsets.US_ASCII);
        byte[] tail = (after + "}").getBytes(StandardCharsets.US_ASCII);
        byte[] frame = new byte[head.length + inside.length + tail.length];
        System.arraycopy(head, 0, frame, 0, head.length);
        System.arraycopy(inside, 0, frame, head.length, inside.length);
        System.arraycopy(tail, 0, frame, head.length + inside.length, tail.length);
        return frame;
    }

    @Test
    void leavesDeepNestingToTheParser() {
        int depth = EnvelopeScanner.MAX_DEPTH;
        assertNotNull(scan("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":" + "[".repeat(depth) + "]".repeat(depth) + "}"));
        assertNull(scan("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":" + "[".repeat(depth + 1) + "]".repeat(depth + 1) + "}"));
    }

    @Test
    void isNotUsedWithFactoriesThatParseOtherwise() {
        assertNotNull(EnvelopeScanner.of(new ObjectMapper().getFactory()));
        assertNull(EnvelopeScanner.of(new JsonFactory() { }));
        assertNull(EnvelopeScanner.of(JsonFactory.builder().enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION).build()));
        assertNull(EnvelopeScanner.of(JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(EnvelopeScanner.MAX_DEPTH).build()).build()));
        assertNull(EnvelopeScanner.of(JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder().maxTokenCount(1000).build()).build()));
    }

    @Test
    void followsTheFactorysLimitsOnNumbersAndStrings() {
        JsonFactory tight = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder().maxNumberLength(5).maxStringLength(10).build()).build();
        EnvelopeScanner limited = EnvelopeScanner.of(tight);
        JsonFactory tightParser = new JsonFactory() { };
        tightParser.setStreamReadConstraints(tight.streamReadConstraints());
        for (String value : List.of("12345", "123456", "1.5e-99", "\"0123456789\"", "\"0123456789a\"", "[\"0123456789a\"]")) {
            byte[] frame = ("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":" + value + "}").getBytes(StandardCharsets.UTF_8);
            Message scanned = limited.scan(frame, 0, frame.length);
            if (scanned != null) {
                assertEquals(new MessageReader(tightParser).decode(frame).messages().get(0), scanned, value);
            }
            assertEquals(new MessageReader(tightParser).decode(frame), new MessageReader(tight).decode(frame), value);
        }
    }

    /**
     * Random well-formed messages, then each with one random change (a byte replaced, inserted or
     * removed, or the end cut off): whatever the scanner reads, the parser reads to the same
     * message, and the reader decodes every frame as the parser alone does.
     */
    @Test
    void agreesWithTheParserOnRandomAndDamagedFrames() {
        Random random = new Random(20261130);
        int read = 0;
        int damagedRead = 0;
        for (int n = 0; n < 20_000; n++) {
            byte[] frame = new RandomMessage(random).bytes();
            Message scanned = scanner.scan(frame, 0, frame.length);
            assertNotNull(scanned, () -> new String(frame, StandardCharsets.UTF_8));
            assertEquals(parserOnly().decode(frame).messages().get(0), scanned, () -> new String(frame, StandardCharsets.UTF_8));
            read++;

            byte[] damaged = damage(frame, random);
            Message scannedDamaged = scanner.scan(damaged, 0, damaged.length);
            if (scannedDamaged != null) {
                damagedRead++;
                assertEquals(parserOnly().decode(damaged).messages().get(0), scannedDamaged, () -> new String(damaged, StandardCharsets.UTF_8));
            }
            assertSameAsParser(damaged);
        }
        assertEquals(20_000, read);
        // Many changes leave a well-formed message (a digit for a digit, a letter in a string).
        assertTrue(damagedRead > 1_000 && damagedRead < 19_000, "damaged frames read: " + damagedRead);
    }

    private static byte[] damage(byte[] frame, Random random) {
        if (frame.length == 0) {
            return frame;
        }
        int at = random.nextInt(frame.length);
        byte[] alphabet = "{}[]\":,.-+eE0159tfnu\\ \t\n\u0001ax".getBytes(StandardCharsets.ISO_8859_1);
        byte any = random.nextInt(4) == 0 ? (byte) random.nextInt(256) : alphabet[random.nextInt(alphabet.length)];
        return switch (random.nextInt(4)) {
            case 0 -> {
                byte[] changed = frame.clone();
                changed[at] = any;
                yield changed;
            }
            case 1 -> {
                byte[] longer = new byte[frame.length + 1];
                System.arraycopy(frame, 0, longer, 0, at);
                longer[at] = any;
                System.arraycopy(frame, at, longer, at + 1, frame.length - at);
                yield longer;
            }
            case 2 -> {
                byte[] shorter = new byte[frame.length - 1];
                System.arraycopy(frame, 0, shorter, 0, at);
                System.arraycopy(frame, at + 1, shorter, at, frame.length - at - 1);
                yield shorter;
            }
            default -> java.util.Arrays.copyOf(frame, at);
        };
    }

    /** A random well-formed request, notification or successful response, laid out at random. */
    private static final class RandomMessage {
        private final Random random;
        private final StringBuilder json = new StringBuilder();

        RandomMessage(Random random) {
            this.random = random;
        }

        byte[] bytes() {
            List<String> members = new ArrayList<>();
            members.add(member("jsonrpc", "\"2.0\""));
            int shape = random.nextInt(3);
            if (shape != 1) {
                members.add(member("id", random.nextBoolean() ? Long.toString(random.nextLong() % (long) Math.pow(10, 1 + random.nextInt(18)))
                        : random.nextInt(10) == 0 ? "null" : "\"" + plain() + "\""));
            }
            if (shape == 2) {
                members.add(member("result", value(0)));
            } else {
                members.add(member("method", "\"" + plain() + "\""));
                if (random.nextBoolean()) {
                    members.add(member("params", random.nextBoolean() ? array(0) : object(0)));
                }
            }
            for (int i = random.nextInt(3); i > 0; i--) {
                members.add(member(plain() + "x", value(0)));
            }
            java.util.Collections.shuffle(members, random);
            json.append(space()).append('{').append(String.join(",", members)).append('}').append(space());
            return json.toString().getBytes(StandardCharsets.UTF_8);
        }

        private String member(String name, String value) {
            return space() + "\"" + name + "\"" + space() + ":" + space() + value + space();
        }

        private String value(int depth) {
            int kind = random.nextInt(depth > 4 ? 6 : 8);
            return switch (kind) {
                case 0 -> "true";
                case 1 -> "false";
                case 2 -> "null";
                case 3 -> number();
                case 4, 5 -> string();
                case 6 -> array(depth + 1);
                default -> object(depth + 1);
            };
        }

        private String array(int depth) {
            List<String> items = new ArrayList<>();
            for (int i = random.nextInt(4); i > 0; i--) {
                items.add(space() + value(depth) + space());
            }
            return "[" + (items.isEmpty() ? space() : String.join(",", items)) + "]";
        }

        private String object(int depth) {
            List<String> items = new ArrayList<>();
            for (int i = random.nextInt(4); i > 0; i--) {
                items.add(space() + string() + space() + ":" + space() + value(depth) + space());
            }
            return "{" + (items.isEmpty() ? space() : String.join(",", items)) + "}";
        }

        private String number() {
            StringBuilder number = new StringBuilder();
            if (random.nextBoolean()) {
                number.append('-');
            }
            number.append(random.nextInt(4) == 0 ? "0" : Long.toString(1 + (random.nextLong() >>> (1 + random.nextInt(62)))));
            if (random.nextBoolean()) {
                number.append('.').append(random.nextInt(1000));
            }
            if (random.nextInt(3) == 0) {
                number.append(random.nextBoolean() ? 'e' : 'E').append(random.nextBoolean() ? "" : random.nextBoolean() ? "+" : "-")
                        .append(random.nextInt(400));
            }
            return number.toString();
        }

        private String string() {
            StringBuilder text = new StringBuilder("\"");
            for (int i = random.nextInt(12); i > 0; i--) {
                switch (random.nextInt(8)) {
                    case 0 -> text.append("\\n\\\"\\\\\\/\\b\\f\\r\\t".substring(0, 2 * (1 + random.nextInt(8))));
                    case 1 -> {
                        // Escaped surrogates, paired or not, are left to the parser in names; see below.
                        int unit = random.nextInt(0x10000);
                        text.append(String.format("\\u%04x", Character.isSurrogate((char) unit) ? 0x41 : unit));
                    }
                    case 2 -> text.append((char) (0xa0 + random.nextInt(0x700)));
                    case 3 -> text.append((char) (0x800 + random.nextInt(0xd000)));
                    case 4 -> text.appendCodePoint(0x10000 + random.nextInt(0xfffff));
                    default -> {
                        char c = (char) (0x20 + random.nextInt(0x5f));
                        text.append(c == '"' || c == '\\' ? 'q' : c);
                    }
                }
            }
            return text.append('"').toString();
        }

        private String plain() {
            StringBuilder text = new StringBuilder();
            for (int i = random.nextInt(8); i > 0; i--) {
                char c = (char) (0x20 + random.nextInt(0x5f));
                text.append(c == '"' || c == '\\' ? '_' : c);
            }
            return text.toString();
        }

        private String space() {
            return switch (random.nextInt(6)) {
                case 0 -> " ";
                case 1 -> "\n\t ";
                case 2 -> "\r\n";
                default -> "";
            };
        }
    }
}
