package dev.piperpc.core.internal.dispatch;

import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.DefaultDeserializationContext;
import com.fasterxml.jackson.databind.deser.std.NumberDeserializers;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;

/**
 * The kind of a parameter whose JSON value, read without a parser by
 * {@link dev.piperpc.core.internal.UntypedValues}, is taken as it is when it is of the parameter's
 * own kind, to the value the mapper's deserializer would make of it: a string for {@code String},
 * an int for {@code int} and {@code Integer}, an int or long for {@code long} and {@code Long},
 * {@code true} or {@code false} for {@code boolean} and {@code Boolean}, and any value for
 * {@code Object}. Only for a mapper that binds the type with Jackson's standard deserializer
 * ({@link #of}); any other value (a null, a number written as a string, an array for a string)
 * goes through the deserializer, which coerces or refuses as it does.
 */
enum ParamKind {
    STRING {
        @Override
        Object convert(Object untyped) {
            return untyped instanceof String ? untyped : NOT_READ;
        }
    },
    INT {
        @Override
        Object convert(Object untyped) {
            return untyped instanceof Integer ? untyped : NOT_READ;
        }
    },
    LONG {
        @Override
        Object convert(Object untyped) {
            return untyped instanceof Integer number ? (Object) number.longValue() : untyped instanceof Long ? untyped : NOT_READ;
        }
    },
    BOOLEAN {
        @Override
        Object convert(Object untyped) {
            return untyped instanceof Boolean ? untyped : NOT_READ;
        }
    },
    UNTYPED {
        @Override
        Object convert(Object untyped) {
            return untyped;
        }
    };

    /** What {@link #convert} returns for a value it leaves to the deserializer. */
    static final Object NOT_READ = new Object();

    /** The class name of Jackson's standard deserializer of {@code Object}. */
    private static final String UNTYPED_DESERIALIZER = "com.fasterxml.jackson.databind.deser.std.UntypedObjectDeserializerNR";

    /**
     * The param's value from what {@link dev.piperpc.core.internal.UntypedValues} read of its JSON
     * (the value the mapper binds to {@code Object}), or {@link #NOT_READ} if it is not of this
     * kind: then the mapper's deserializer must see it.
     */
    abstract Object convert(Object untyped);

    /**
     * The kind of params of {@code type}, or {@code null} if they always go through the mapper: a
     * type of another kind, or one the mapper binds with a deserializer other than Jackson's
     * standard one (or, for {@code Object}, with type information or with integers as big or
     * long integers).
     */
    static ParamKind of(ObjectMapper mapper, JavaType type) {
        Class<?> raw = type.getRawClass();
        ParamKind kind;
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
