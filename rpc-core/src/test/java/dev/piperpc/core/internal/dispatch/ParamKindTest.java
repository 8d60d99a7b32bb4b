package dev.piperpc.core.internal.dispatch;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.jsontype.BasicPolymorphicTypeValidator;
import com.fasterxml.jackson.databind.module.SimpleModule;
import dev.piperpc.core.internal.UntypedValues;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A param taken as read without a parser is the value the mapper's deserializer makes of it, type for type. */
class ParamKindTest {

    private final ObjectMapper mapper = new ObjectMapper();
    private final UntypedValues untyped = UntypedValues.of(mapper);

    private Object convert(ParamKind kind, String json) {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        return kind.convert(untyped.read(bytes, 0, bytes.length, Object.class));
    }

    @Test
    void takesWhatTheDeserializerWouldMake() throws IOException {
        List<String> values = List.of("\"abc\"", "\"ü\\n✓\"", "\"\"", "\"5\"", "0", "5", "-5", "2147483647", "2147483648", "-2147483649",
                "9223372036854775807", "9223372036854775808", "1.5", "1e3", "true", "false", "null", "[1,{\"a\":null}]", "{}");
        int taken = 0;
        for (Class<?> type : List.of(String.class, int.class, Integer.class, long.class, Long.class, boolean.class, Boolean.class, Object.class)) {
            JavaType javaType = mapper.constructType(type);
            ParamKind kind = ParamKind.of(mapper, javaType);
            assertNotNull(kind, type.getName());
            for (String value : values) {
                Object converted = convert(kind, value);
                if (converted == ParamKind.NOT_READ) {
                    continue;
                }
                taken++;
                Object expected = mapper.readerFor(javaType).readValue(value);
                assertEquals(expected, converted, type + " " + value);
                if (expected != null) {
                    assertEquals(expected.getClass(), converted.getClass(), type + " " + value);
                }
            }
        }
        assertTrue(taken >= 40, "taken: " + taken);
    }

    @Test
    void leavesValuesOfOtherKindsToTheDeserializer() {
        for (String[] typeAndValue : new String[][] {{"int", "\"5\""}, {"int", "2147483648"}, {"int", "1.5"}, {"int", "null"},
            {"long", "9223372036854775808"}, {"long", "1.0"}, {"string", "5"}, {"string", "true"}, {"string", "null"}, {"string", "[]"},
            {"boolean", "1"}, {"boolean", "\"true\""}}) {
            Class<?> type = switch (typeAndValue[0]) {
                case "int" -> int.class;
                case "long" -> long.class;
                case "string" -> String.class;
                default -> boolean.class;
            };
            assertSame(ParamKind.NOT_READ, convert(ParamKind.of(mapper, mapper.constructType(type)), typeAndValue[1]),
                    typeAndValue[0] + " " + typeAndValue[1]);
        }
        assertNull(ParamKind.of(mapper, mapper.constructType(Double.class)));
        assertNull(ParamKind.of(mapper, mapper.constructType(List.class)));
    }

    @Test
    void isNotUsedWhenTheMapperBindsTheTypeOtherwise() {
        ObjectMapper customString = new ObjectMapper().registerModule(new SimpleModule().addDeserializer(String.class, new JsonDeserializer<>() {
            @Override
            public String deserialize(JsonParser parser, DeserializationContext context) throws IOException {
                return parser.getText().toUpperCase();
            }
        }));
        assertNull(ParamKind.of(customString, customString.constructType(String.class)));
        assertNotNull(ParamKind.of(customString, customString.constructType(int.class)));
        ObjectMapper longs = JsonMapper.builder().enable(DeserializationFeature.USE_LONG_FOR_INTS).build();
        assertNull(ParamKind.of(longs, longs.constructType(Object.class)));
        ObjectMapper typed = JsonMapper.builder().activateDefaultTyping(BasicPolymorphicTypeValidator.builder().allowIfBaseType(Object.class).build()).build();
        assertNull(ParamKind.of(typed, typed.constructType(Object.class)));
    }
}
