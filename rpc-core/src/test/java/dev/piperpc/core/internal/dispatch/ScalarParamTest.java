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
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A param taken from the parser is the value the mapper's deserializer makes of it, type for type. */
class ScalarParamTest {

    private final ObjectMapper mapper = new ObjectMapper();

    @Test
    void takesWhatTheDeserializerWouldMake() throws IOException {
        List<String> tokens = List.of("\"abc\"", "\"ü\\n✓\"", "\"\"", "\"5\"", "0", "5", "-5", "2147483647", "2147483648", "-2147483649",
                "9223372036854775807", "9223372036854775808", "1.5", "1e3", "true", "false", "null", "[1]", "{}");
        int taken = 0;
        for (Class<?> type : List.of(String.class, int.class, Integer.class, long.class, Long.class, boolean.class, Boolean.class, Object.class)) {
            JavaType javaType = mapper.constructType(type);
            ScalarParam kind = ScalarParam.of(mapper, javaType);
            assertNotNull(kind, type.getName());
            for (String token : tokens) {
                Object value;
                try (JsonParser parser = mapper.createParser(token)) {
                    parser.nextToken();
                    value = kind.read(parser);
                }
                if (value == ScalarParam.NOT_READ) {
                    continue;
                }
                taken++;
                try (JsonParser parser = mapper.createParser(token)) {
                    parser.nextToken();
                    Object expected = mapper.readerFor(javaType).readValue(parser);
                    assertEquals(expected, value, type + " " + token);
                    assertEquals(expected.getClass(), value.getClass(), type + " " + token);
                }
            }
        }
        assertTrue(taken >= 25, "taken: " + taken);
    }

    @Test
    void leavesOtherTokensToTheDeserializer() throws IOException {
        for (String[] typeAndToken : new String[][] {{"int", "\"5\""}, {"int", "2147483648"}, {"int", "1.5"}, {"long", "9223372036854775808"},
            {"string", "5"}, {"string", "true"}, {"boolean", "1"}, {"object", "1.5"}, {"object", "null"}, {"object", "[1]"}}) {
            Class<?> type = switch (typeAndToken[0]) {
                case "int" -> int.class;
                case "long" -> long.class;
                case "string" -> String.class;
                case "boolean" -> boolean.class;
                default -> Object.class;
            };
            try (JsonParser parser = mapper.createParser(typeAndToken[1])) {
                parser.nextToken();
                assertSame(ScalarParam.NOT_READ, ScalarParam.of(mapper, mapper.constructType(type)).read(parser), typeAndToken[0] + " " + typeAndToken[1]);
            }
        }
        assertNull(ScalarParam.of(mapper, mapper.constructType(Double.class)));
        assertNull(ScalarParam.of(mapper, mapper.constructType(List.class)));
    }

    @Test
    void isNotUsedWhenTheMapperBindsTheTypeOtherwise() {
        ObjectMapper customString = new ObjectMapper().registerModule(new SimpleModule().addDeserializer(String.class, new JsonDeserializer<>() {
            @Override
            public String deserialize(JsonParser parser, DeserializationContext context) throws IOException {
                return parser.getText().toUpperCase();
            }
        }));
        assertNull(ScalarParam.of(customString, customString.constructType(String.class)));
        assertNotNull(ScalarParam.of(customString, customString.constructType(int.class)));
        ObjectMapper longs = JsonMapper.builder().enable(DeserializationFeature.USE_LONG_FOR_INTS).build();
        assertNull(ScalarParam.of(longs, longs.constructType(Object.class)));
        ObjectMapper typed = JsonMapper.builder().activateDefaultTyping(BasicPolymorphicTypeValidator.builder().allowIfBaseType(Object.class).build()).build();
        assertNull(ScalarParam.of(typed, typed.constructType(Object.class)));
    }
}
