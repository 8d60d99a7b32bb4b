package dev.piperpc.core.internal.dispatch;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.DefaultDeserializationContext;
import com.fasterxml.jackson.databind.deser.std.NumberDeserializers;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;

import java.io.IOException;

/**
 * A parameter whose JSON value, when it is a scalar of the parameter's own kind, is taken from the
 * parser as it stands instead of through the mapper's deserializer, to the same value: a string
 * for {@code String}, an int for {@code int} and {@code Integer}, an int or long for {@code long}
 * and {@code Long}, {@code true} or {@code false} for {@code boolean} and {@code Boolean}, and a
 * string, integer or boolean for {@code Object}. Only for a mapper that binds the type with
 * Jackson's standard deserializer ({@link #of}); any other token (a null, a number written as a
 * string, an array) goes through the deserializer, which coerces or refuses as it does.
 */
enum ScalarParam {
    STRING {
        @Override
        Object read(JsonParser parser) throws IOException {
            return parser.currentToken() == JsonToken.VALUE_STRING ? parser.getText() : NOT_READ;
        }
    },
    INT {
        @Override
        Object read(JsonParser parser) throws IOException {
            return parser.currentToken() == JsonToken.VALUE_NUMBER_INT && parser.getNumberType() == JsonParser.NumberType.INT
                    ? (Object) parser.getIntValue() : NOT_READ;
        }
    },
    LONG {
        @Override
        Object read(JsonParser parser) throws IOException {
            if (parser.currentToken() != JsonToken.VALUE_NUMBER_INT) {
                return NOT_READ;
            }
            JsonParser.NumberType type = parser.getNumberType();
            return type == JsonParser.NumberType.INT || type == JsonParser.NumberType.LONG ? (Object) parser.getLongValue() : NOT_READ;
        }
    },
    BOOLEAN {
        @Override
        Object read(JsonParser parser) {
            JsonToken token = parser.currentToken();
            return token == JsonToken.VALUE_TRUE ? Boolean.TRUE : token == JsonToken.VALUE_FALSE ? Boolean.FALSE : NOT_READ;
        }
    },
    UNTYPED {
        @Override
        Object read(JsonParser parser) throws IOException {
            return switch (parser.currentToken()) {
                case VALUE_STRING -> parser.getText();
                case VALUE_NUMBER_INT -> parser.getNumberValue();
                case VALUE_TRUE -> Boolean.TRUE;
                case VALUE_FALSE -> Boolean.FALSE;
                default -> NOT_READ;
            };
        }
    };

    /** What {@link #read} returns for a token it leaves to the deserializer. */
    static final Object NOT_READ = new Object();

    /** The class name of Jackson's standard deserializer of {@code Object}. */
    private static final String UNTYPED_DESERIALIZER = "com.fasterxml.jackson.databind.deser.std.UntypedObjectDeserializerNR";

    /** The value of the scalar at the parser's current token, or {@link #NOT_READ}. */
    abstract Object read(JsonParser parser) throws IOException;

    /**
     * How params of {@code type} are read from the parser, or {@code null} if they always go
     * through the mapper: a type of another kind, or one the mapper binds with a deserializer
     * other than Jackson's standard one (or, for {@code Object}, with type information or with
     * integers as big or long integers).
     */
    static ScalarParam of(ObjectMapper mapper, JavaType type) {
        Class<?> raw = type.getRawClass();
        ScalarParam kind;
        String standard;
        if (raw == String.class) {
            kind = STRING;
            standard = StringDeserializer.class.getName();
        } else if (raw == int.class || raw == Integer.class) {
            kind = INT;
            standard = NumberDeserializers.IntegerDeserializer.class.getName();
        } else if (raw == long.class || raw == Long.class) {
            kind = LONG;
            standard = NumberDeserializers.LongDeserializer.class.getName();
        } else if (raw == boolean.class || raw == Boolean.class) {
            kind = BOOLEAN;
            standard = NumberDeserializers.BooleanDeserializer.class.getName();
        } else if (raw == Object.class) {
            kind = UNTYPED;
            standard = UNTYPED_DESERIALIZER;
        } else {
            return null;
        }
        try {
            DeserializationConfig config = mapper.getDeserializationConfig();
            if (kind == UNTYPED && (config.hasSomeOfFeatures(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS.getMask()
                    | DeserializationFeature.USE_LONG_FOR_INTS.getMask()))) {
                return null;
            }
            DefaultDeserializationContext context = ((DefaultDeserializationContext) mapper.getDeserializationContext())
                    .createDummyInstance(config);
            if (context.getFactory().findTypeDeserializer(config, type) != null) {
                return null;
            }
            JsonDeserializer<Object> deserializer = context.findRootValueDeserializer(type);
            return deserializer.getClass().getName().equals(standard) ? kind : null;
        } catch (Exception e) {
            return null;
        }
    }
}
