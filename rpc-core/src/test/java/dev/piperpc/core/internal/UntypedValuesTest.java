package dev.piperpc.core.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.jsontype.BasicPolymorphicTypeValidator;
import com.fasterxml.jackson.databind.module.SimpleModule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Values read without the mapper are the values the mapper makes of the same text, type for type. */
class UntypedValuesTest {

    private final ObjectMapper mapper = new ObjectMapper();
    private final UntypedValues values = UntypedValues.of(mapper);

    private Object read(String json, Class<?> type) {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        return values.read(bytes, 0, bytes.length, type);
    }

    /** Asserts the text is read, to what the mapper reads, in both types. */
    private void assertReadAsMapper(byte[] bytes) throws IOException {
        Object read = values.read(bytes, 0, bytes.length, Object.class);
        assertTrue(read != UntypedValues.NOT_READ, () -> new String(bytes, StandardCharsets.UTF_8));
        assertEquals(Arrays.asList(mapper.readValue(bytes, Object.class)), Arrays.asList(read), () -> new String(bytes, StandardCharsets.UTF_8));
        if (bytes[0] == '[') {
            Object array = values.read(bytes, 0, bytes.length, Object[].class);
            assertTrue(Arrays.deepEquals(mapper.readValue(bytes, Object[].class), (Object[]) array), () -> new String(bytes, StandardCharsets.UTF_8));
        }
    }

    @Test
    void readsAsTheMapperDoesTypeForType() throws IOException {
        for (String json : List.of("[1,\"two\",3.5,true,false,null,{\"a\":[{}]},[]]", "2147483647", "2147483648", "-2147483648", "-2147483649",
                "9223372036854775807", "9223372036854775808", "-9223372036854775808", "-9223372036854775809", "123456789012345678",
                "1234567890123456789", "12345678901234567890123", "-0", "0", "-0.0", "0.0", "1e400", "-1e400", "4.9e-324", "1E-400",
                "0.1", "123.456e-7", "\"\"", "\"\\u0000\\n\\\"\\\\\\/\\b\\f\\r\\t\"", "\"ü✓😀\"", "\"\\ud800\"", "\"\\udc00\\ud800\"",
                "{\"\":1,\"ü\":{\"x\":null}}", "  [ 1 , { } ]  ", "null", "true")) {
            assertReadAsMapper(json.getBytes(StandardCharsets.UTF_8));
        }
        assertEquals(Integer.class, read("2147483647", Object.class).getClass());
        assertEquals(Long.class, read("2147483648", Object.class).getClass());
        assertEquals(Long.class, read("-9223372036854775808", Object.class).getClass());
        assertEquals(BigInteger.class, read("9223372036854775808", Object.class).getClass());
        assertEquals(Double.class, read("1.0", Object.class).getClass());
        assertNull(read("null", Object[].class));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"a\":1,\"a\":2}", "{\"\\ud83d\\ude00\":2}", "[{\"k\":[1],\"k\":[2]}]", "{\"\\ud800\":1}", "{\"\\udc00x\":1}",
            "\"x", "[1,]", "01", "1.", "[1 2]", "{\"a\" 1}", "truex"})
    void leavesWhatItIsNotSureOfToTheMapper(String json) {
        assertSame(UntypedValues.NOT_READ, read(json, Object.class), json);
    }

    @Test
    void leavesUtf8ThatTheParserDecodesItsOwnWayToTheMapper() {
        int[][] sequences = {{0xed, 0xa0, 0x80}, {0xc0, 0x80}, {0xe0, 0x80, 0x80}, {0xf0, 0x80, 0x80, 0x80}, {0xf4, 0x90, 0x80, 0x80},
            {0xff}, {0xc3}};
        for (int[] sequence : sequences) {
            byte[] text = new byte[sequence.length + 2];
            text[0] = '"';
            for (int i = 0; i < sequence.length; i++) {
                text[i + 1] = (byte) sequence[i];
            }
            text[text.length - 1] = '"';
            assertSame(UntypedValues.NOT_READ, values.read(text, 0, text.length, Object.class), Arrays.toString(sequence));
        }
    }

    @Test
    void anObjectArrayIsReadOnlyFromAnArrayOrNull() {
        assertSame(UntypedValues.NOT_READ, read("1", Object[].class));
        assertSame(UntypedValues.NOT_READ, read("{}", Object[].class));
        assertTrue(Arrays.deepEquals(new Object[] {1, List.of(2L << 40), Map.of("k", "v")},
                (Object[]) read("[1,[2199023255552],{\"k\":\"v\"}]", Object[].class)));
    }

    @Test
    void isNotUsedForMappersThatBindOtherwise() {
        assertNotNull(UntypedValues.of(JsonMapper.builder().build()));
        for (ObjectMapper other : List.of(
                JsonMapper.builder().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build(),
                JsonMapper.builder().enable(DeserializationFeature.USE_LONG_FOR_INTS).build(),
                JsonMapper.builder().enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS).build(),
                JsonMapper.builder().enable(DeserializationFeature.USE_JAVA_ARRAY_FOR_JSON_ARRAY).build(),
                JsonMapper.builder().enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER).build(),
                JsonMapper.builder().activateDefaultTyping(BasicPolymorphicTypeValidator.builder().allowIfBaseType(Object.class).build()).build(),
                JsonMapper.builder().addModule(new SimpleModule().addDeserializer(Object.class, new JsonDeserializer<>() {
                    @Override
                    public Object deserialize(JsonParser parser, DeserializationContext context) throws IOException {
                        return parser.getText();
                    }
                })).build())) {
            assertNull(UntypedValues.of(other), other.getDeserializationConfig().toString());
        }
    }

    /** Random well-formed values, each read as the mapper reads it; and each with one byte changed: read as the mapper reads it, or left to it. */
    @Test
    void agreesWithTheMapperOnRandomValues() throws IOException {
        Random random = new Random(20261130);
        int damagedRead = 0;
        for (int n = 0; n < 20_000; n++) {
            byte[] bytes = randomValue(random, 0).getBytes(StandardCharsets.UTF_8);
            assertReadAsMapper(bytes);
            byte[] damaged = bytes.clone();
            String alphabet = "[]{}\",:0-.e \\ux";
            damaged[random.nextInt(damaged.length)] = (byte) alphabet.charAt(random.nextInt(alphabet.length()));
            Object read = values.read(damaged, 0, damaged.length, Object.class);
            if (read != UntypedValues.NOT_READ) {
                damagedRead++;
                assertEquals(Arrays.asList(mapper.readValue(damaged, Object.class)), Arrays.asList(read), () -> new String(damaged, StandardCharsets.UTF_8));
            }
        }
        assertTrue(damagedRead > 1_000, "damaged values read: " + damagedRead);
    }

    private static String randomValue(Random random, int depth) {
        return switch (random.nextInt(depth > 3 ? 6 : 8)) {
            case 0 -> random.nextBoolean() ? "true" : "false";
            case 1 -> "null";
            case 2 -> Long.toString(random.nextLong() >> random.nextInt(64));
            case 3 -> (random.nextBoolean() ? "-" : "") + random.nextInt(1000) + (random.nextBoolean() ? "." + random.nextInt(100000) : "")
                    + (random.nextBoolean() ? "e" + (random.nextBoolean() ? "-" : "+") + random.nextInt(330) : "");
            case 4, 5 -> randomString(random);
            case 6 -> {
                List<String> items = new ArrayList<>();
                for (int i = random.nextInt(5); i > 0; i--) {
                    items.add(randomValue(random, depth + 1));
                }
                yield "[" + String.join(random.nextBoolean() ? "," : " , ", items) + "]";
            }
            default -> {
                List<String> members = new ArrayList<>();
                for (int i = random.nextInt(5); i > 0; i--) {
                    members.add("\"k" + i + random.nextInt(3) + "\":" + randomValue(random, depth + 1));
                }
                yield "{" + String.join(",", members) + "}";
            }
        };
    }

    private static String randomString(Random random) {
        StringBuilder text = new StringBuilder("\"");
        for (int i = random.nextInt(10); i > 0; i--) {
            switch (random.nextInt(6)) {
                case 0 -> text.append("\\n\\\"\\\\\\/\\b\\f\\r\\t".substring(0, 2 * (1 + random.nextInt(8))));
                case 1 -> text.append(String.format("\\u%04x", random.nextInt(0x10000)));
                case 2 -> text.append((char) (0xa0 + random.nextInt(0xd000)));
                case 3 -> text.appendCodePoint(0x10000 + random.nextInt(0x100000 - 0x10000));
                default -> {
                    char c = (char) (0x20 + random.nextInt(0x5f));
                    text.append(c == '"' || c == '\\' ? 'q' : c);
                }
            }
        }
        return text.append('"').toString();
    }
}
