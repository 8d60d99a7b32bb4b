package dev.piperpc.core.codec;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Params and results of plain values written without the mapper come out as the mapper writes them. */
class PlainValuesTest {

    /** The request text with {@code params} as {@code mapper} writes them in UTF-8. */
    private static String viaMapper(ObjectMapper mapper, long id, Object params) throws IOException {
        return "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"m\",\"params\":"
                + new String(mapper.writeValueAsBytes(params), StandardCharsets.UTF_8) + "}";
    }

    private static String request(ObjectMapper mapper, long id, Object params) {
        return new String(new MessageWriter(mapper).request(id, "m", params), StandardCharsets.UTF_8);
    }

    @Test
    void randomListsOfPlainValuesComeOutAsTheMapperWritesThem() throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        assertTrue(DirectEnvelopes.supportedBy(mapper));
        Random random = new Random(20261130);
        for (int n = 0; n < 5_000; n++) {
            List<Object> params = new ArrayList<>();
            for (int i = random.nextInt(20); i > 0; i--) {
                params.add(switch (random.nextInt(7)) {
                    case 0 -> null;
                    case 1 -> random.nextBoolean();
                    case 2 -> random.nextInt();
                    case 3 -> random.nextLong();
                    case 4 -> random.nextDouble();
                    default -> randomText(random);
                });
            }
            assertEquals(viaMapper(mapper, n, params), request(mapper, n, params), params::toString);
        }
    }

    private static String randomText(Random random) {
        StringBuilder text = new StringBuilder();
        for (int i = random.nextInt(10); i > 0; i--) {
            text.appendCodePoint(switch (random.nextInt(5)) {
                case 0 -> random.nextInt(0x20);
                case 1 -> 0x20 + random.nextInt(0x60);
                case 2 -> 0x80 + random.nextInt(0xd000);
                // A lone half of a surrogate pair, which a Java string may hold.
                case 3 -> 0xd800 + random.nextInt(0x800);
                default -> 0x10000 + random.nextInt(0x100000 - 0x10000);
            });
        }
        return text.toString();
    }

    @Test
    void longStringsOfPrintableAsciiWithOneOtherCharacterComeOutAsTheMapperWritesThem() throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        Random random = new Random(20261201);
        int[] others = {0, '\n', 0x1f, '"', '\\', '?', 0x7f, 0x80, 0xe9, 0x20ac, 0xd800, 0xdfff, 0x1f600};
        for (int n = 0; n < 5_000; n++) {
            StringBuilder text = new StringBuilder();
            for (int i = 16 + random.nextInt(80); i > 0; i--) {
                text.append((char) (0x20 + random.nextInt(0x5f)));
            }
            if (random.nextInt(4) > 0) {
                int other = others[random.nextInt(others.length)];
                text.insert(random.nextInt(text.length() + 1), Character.toChars(other));
            }
            List<Object> params = List.of(text.toString());
            assertEquals(viaMapper(mapper, n, params), request(mapper, n, params), params::toString);
            assertEquals(resultViaMapper(mapper, n, params.get(0)), result(mapper, n, params.get(0)), params::toString);
        }
    }

    /** Numbers as strings are for the values: the envelope's id and error code stay numbers. */
    @Test
    void generatorFeaturesApplyAsThroughTheMapper() throws IOException {
        ObjectMapper mapper = JsonMapper.builder().enable(JsonWriteFeature.WRITE_NUMBERS_AS_STRINGS, JsonWriteFeature.ESCAPE_NON_ASCII).build();
        assertTrue(PlainValues.supportedBy(mapper));
        assertFalse(DirectEnvelopes.supportedBy(mapper));
        for (ObjectMapper other : List.of(JsonMapper.builder().enable(JsonWriteFeature.ESCAPE_FORWARD_SLASHES).build(),
                JsonMapper.builder().enable(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT).build(),
                new ObjectMapper(new com.fasterxml.jackson.core.JsonFactory().setCharacterEscapes(new com.fasterxml.jackson.core.io.CharacterEscapes() {
                    @Override
                    public int[] getEscapeCodesForAscii() {
                        return standardAsciiEscapesForJSON();
                    }

                    @Override
                    public com.fasterxml.jackson.core.SerializableString getEscapeSequence(int ch) {
                        return null;
                    }
                })))) {
            assertFalse(DirectEnvelopes.supportedBy(other));
        }
        List<Object> params = Arrays.asList(1, 2L, "é✓", true, null);
        assertEquals(viaMapper(mapper, 3, params), request(mapper, 3, params));
        assertTrue(request(mapper, 3, params).contains("[\"1\",\"2\",\"\\u00E9\\u2713\",true,null]"), request(mapper, 3, params));
        MessageWriter writer = new MessageWriter(mapper);
        assertEquals("{\"jsonrpc\":\"2.0\",\"id\":12,\"result\":\"5\"}",
                new String(writer.result(dev.piperpc.core.message.Id.of(12), 5, mapper), StandardCharsets.UTF_8));
        assertEquals("{\"jsonrpc\":\"2.0\",\"id\":1.5,\"error\":{\"code\":-32601,\"message\":\"no\"}}",
                new String(writer.message(dev.piperpc.core.message.Response.failure(dev.piperpc.core.message.Id.ofNumber(new java.math.BigDecimal("1.5")),
                        new dev.piperpc.core.message.ErrorObject(-32601, "no", null))), StandardCharsets.UTF_8));
    }

    /** The result text with {@code value} as {@code mapper} writes it in UTF-8. */
    private static String resultViaMapper(ObjectMapper mapper, long id, Object value) throws IOException {
        return "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"result\":" + new String(mapper.writeValueAsBytes(value), StandardCharsets.UTF_8) + "}";
    }

    private static String result(ObjectMapper mapper, long id, Object value) {
        return new String(new MessageWriter(mapper).result(dev.piperpc.core.message.Id.of(id), value, mapper), StandardCharsets.UTF_8);
    }

    /** Plain values, lists of every kind with plain and other values, and other results, each as the mapper writes it. */
    @Test
    void randomResultsComeOutAsTheMapperWritesThem() throws IOException {
        List<ObjectMapper> mappers = List.of(new ObjectMapper(),
                JsonMapper.builder().enable(com.fasterxml.jackson.databind.SerializationFeature.WRITE_SINGLE_ELEM_ARRAYS_UNWRAPPED).build(),
                JsonMapper.builder().activateDefaultTyping(com.fasterxml.jackson.databind.jsontype.BasicPolymorphicTypeValidator.builder()
                        .allowIfBaseType(Object.class).build(), ObjectMapper.DefaultTyping.EVERYTHING).build(),
                new ObjectMapper().registerModule(new SimpleModule().addSerializer(java.util.ArrayList.class, new JsonSerializer<>() {
                    @Override
                    public void serialize(java.util.ArrayList value, JsonGenerator generator, SerializerProvider provider) throws IOException {
                        generator.writeString("a list of " + value.size());
                    }
                })));
        assertTrue(PlainValues.supportedBy(mappers.get(1)));
        assertFalse(PlainValues.listSupportedBy(mappers.get(1), java.util.ArrayList.class));
        assertFalse(PlainValues.supportedBy(mappers.get(2)));
        assertFalse(PlainValues.listSupportedBy(mappers.get(3), java.util.ArrayList.class));
        assertTrue(PlainValues.listSupportedBy(mappers.get(3), Arrays.asList().getClass()));
        Random random = new Random(20261130);
        for (int n = 0; n < 3_000; n++) {
            List<Object> values = new ArrayList<>();
            for (int i = random.nextInt(4); i > 0; i--) {
                values.add(switch (random.nextInt(7)) {
                    case 0 -> null;
                    case 1 -> random.nextBoolean();
                    case 2 -> random.nextInt();
                    case 3 -> random.nextLong();
                    case 4 -> random.nextInt(10) == 0 ? java.util.Map.of("k", 1) : random.nextDouble();
                    default -> randomText(random);
                });
            }
            Object value = switch (random.nextInt(6)) {
                case 0 -> values;
                case 1 -> Arrays.asList(values.toArray());
                case 2 -> java.util.Collections.unmodifiableList(values);
                case 3 -> new java.util.LinkedList<>(values);
                case 4 -> values.toArray();
                default -> values.isEmpty() ? null : values.get(0);
            };
            for (ObjectMapper mapper : mappers) {
                Object shown = value;
                assertEquals(resultViaMapper(mapper, n, value), result(mapper, n, value), () -> String.valueOf(shown));
            }
        }
    }

    /** Ids of every kind and requests without params, as the generator writes them. */
    @Test
    void idsAndMissingParamsComeOutAsTheGeneratorWritesThem() {
        ObjectMapper direct = new ObjectMapper();
        ObjectMapper generator = new ObjectMapper(new com.fasterxml.jackson.core.JsonFactory() { });
        assertTrue(DirectEnvelopes.supportedBy(direct));
        assertFalse(DirectEnvelopes.supportedBy(generator));
        for (dev.piperpc.core.message.Id id : List.of(dev.piperpc.core.message.Id.of(0), dev.piperpc.core.message.Id.of(-7),
                dev.piperpc.core.message.Id.of(Long.MIN_VALUE), dev.piperpc.core.message.Id.of("a\"b\\c\u0001ü✓\ud83d\ude00"),
                dev.piperpc.core.message.Id.ofNumber(new java.math.BigDecimal("1e999")), dev.piperpc.core.message.Id.NULL)) {
            assertEquals(new String(new MessageWriter(generator).result(id, List.of(1, "x"), generator), StandardCharsets.UTF_8),
                    new String(new MessageWriter(direct).result(id, List.of(1, "x"), direct), StandardCharsets.UTF_8));
        }
        assertEquals(new String(new MessageWriter(generator).request(3, "m\n✓", null), StandardCharsets.UTF_8),
                new String(new MessageWriter(direct).request(3, "m\n✓", null), StandardCharsets.UTF_8));
        assertEquals("{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"m\"}", new String(new MessageWriter(direct).request(3, "m", null), StandardCharsets.UTF_8));
        // Large values are left to the generator, which needs no scratch array six times their size.
        String large = "é\n".repeat(20_000);
        org.junit.jupiter.api.Assertions.assertNull(DirectEnvelopes.request(4, "m", List.of(large)));
        assertEquals(new String(new MessageWriter(generator).request(4, "m", List.of(large)), StandardCharsets.UTF_8),
                new String(new MessageWriter(direct).request(4, "m", List.of(large)), StandardCharsets.UTF_8));
        assertEquals(new String(new MessageWriter(generator).result(dev.piperpc.core.message.Id.of(4), large, generator), StandardCharsets.UTF_8),
                new String(new MessageWriter(direct).result(dev.piperpc.core.message.Id.of(4), large, direct), StandardCharsets.UTF_8));
    }

    @Test
    void mappersThatWritePlainValuesTheirOwnWayAreLeftToWriteThem() throws IOException {
        ObjectMapper customString = new ObjectMapper().registerModule(new SimpleModule().addSerializer(String.class, new JsonSerializer<>() {
            @Override
            public void serialize(String value, JsonGenerator generator, SerializerProvider provider) throws IOException {
                generator.writeString(value.toUpperCase());
            }
        }));
        ObjectMapper intsAsText = new ObjectMapper();
        intsAsText.configOverride(Integer.class).setFormat(JsonFormat.Value.forShape(JsonFormat.Shape.STRING));
        ObjectMapper customNull = new ObjectMapper();
        customNull.getSerializerProvider().setNullValueSerializer(new JsonSerializer<>() {
            @Override
            public void serialize(Object value, JsonGenerator generator, SerializerProvider provider) throws IOException {
                generator.writeString("none");
            }
        });
        for (ObjectMapper mapper : List.of(customString, intsAsText, customNull)) {
            assertFalse(PlainValues.supportedBy(mapper));
            assertFalse(DirectEnvelopes.supportedBy(mapper));
            List<Object> params = Arrays.asList("abc", 7, null);
            assertEquals(viaMapper(mapper, 1, params), request(mapper, 1, params));
        }
        assertTrue(request(customString, 1, List.of("abc")).contains("[\"ABC\"]"));
        assertTrue(request(intsAsText, 1, List.of(7)).contains("[\"7\"]"));
        assertTrue(request(customNull, 1, Arrays.asList((Object) null)).contains("[\"none\"]"));
    }
}
