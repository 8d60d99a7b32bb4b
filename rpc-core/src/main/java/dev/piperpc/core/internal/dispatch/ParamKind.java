package dev.piperpc.core.internal.dispatch;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.std.NumberDeserializers;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import dev.piperpc.core.internal.UntypedValues;

/**
 * The kind of a parameter whose JSON value, read without a parser by
 * {@link UntypedValues}, is taken as it is when it is of the parameter's
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

    /**
     * The param's value from what {@link UntypedValues} read of its JSON
     * (the value the mapper binds to {@code Object}), or {@link #NOT_READ} if it is not of this
     * kind: then the mapper's deserializer must see it.
     */
    abstract Object convert(Object untyped);

    /**
     * The kind of params of {@code type}, or {@code null} if they always go through the mapper: a
     * type of another kind, or one the mapper binds with a deserializer other than Jackson's
     * standard one, or with type information ({@code Object}: when
     * {@link UntypedValues#of} does not read for the mapper).
     */
    static ParamKind of(ObjectMapper mapper, JavaType type) {
        Class<?> raw = type.getRawClass();
        if (raw == Object.class) {
            return UntypedValues.of(mapper) != null ? UNTYPED : null;
        }
        ParamKind kind;
        Class<?> standard;
        if (raw == String.class) {
            kind = STRING;
            standard = StringDeserializer.class;
        } else if (raw == int.class || raw == Integer.class) {
            kind = INT;
            standard = NumberDeserializers.IntegerDeserializer.class;
        } else if (raw == long.class || raw == Long.class) {
            kind = LONG;
            standard = NumberDeserializers.LongDeserializer.class;
        } else if (raw == boolean.class || raw == Boolean.class) {
            kind = BOOLEAN;
            standard = NumberDeserializers.BooleanDeserializer.class;
        } else {
            return null;
        }
        JsonDeserializer<?> deserializer = UntypedValues.rootDeserializer(mapper, type);
        return deserializer != null && deserializer.getClass() == standard ? kind : null;
    }
}
