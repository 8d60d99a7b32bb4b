package dev.piperpc.core.codec;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.ser.std.BooleanSerializer;
import com.fasterxml.jackson.databind.ser.std.NullSerializer;
import com.fasterxml.jackson.databind.ser.std.NumberSerializers;
import com.fasterxml.jackson.databind.ser.std.StringSerializer;

import java.io.IOException;
import java.util.List;

/**
 * Writes params by position whose values are all strings, ints, longs, booleans or nulls straight
 * to the generator, as the mapper's own serializers of those types would: the mapper is asked
 * once, when the writer is made, which serializers it uses for them, and only a mapper that uses
 * Jackson's standard ones for all five is written for this way. Other params go through the
 * mapper as a whole.
 *
 * <p>Instances are immutable and thread-safe.
 */
final class PlainParams {

    /** The most values written this way: a longer list goes through the mapper. */
    private static final int MAX_VALUES = 16;

    private PlainParams() {
    }

    /** Whether {@code mapper} writes strings, ints, longs, booleans and nulls with Jackson's standard serializers. */
    static boolean supportedBy(ObjectMapper mapper) {
        try {
            SerializerProvider provider = mapper.getSerializerProviderInstance();
            return standard(provider.findContentValueSerializer(String.class, null), StringSerializer.class)
                    && standard(provider.findContentValueSerializer(Integer.class, null), NumberSerializers.IntegerSerializer.class)
                    && standard(provider.findContentValueSerializer(Long.class, null), NumberSerializers.LongSerializer.class)
                    && standard(provider.findContentValueSerializer(Boolean.class, null), BooleanSerializer.class)
                    && standard(provider.findNullValueSerializer(null), NullSerializer.class);
        } catch (JsonMappingException | RuntimeException e) {
            return false;
        }
    }

    private static boolean standard(JsonSerializer<?> serializer, Class<?> expected) {
        return serializer != null && serializer.getClass() == expected;
    }

    /** Writes {@code values} as a JSON array and returns {@code true}, or writes nothing and returns {@code false} if one is of another type. */
    static boolean write(JsonGenerator generator, List<?> values) throws IOException {
        int size = values.size();
        if (size > MAX_VALUES) {
            return false;
        }
        for (int i = 0; i < size; i++) {
            Object value = values.get(i);
            if (value != null) {
                Class<?> type = value.getClass();
                if (type != String.class && type != Integer.class && type != Long.class && type != Boolean.class) {
                    return false;
                }
            }
        }
        generator.writeStartArray(values, size);
        for (int i = 0; i < size; i++) {
            Object value = values.get(i);
            if (value == null) {
                generator.writeNull();
            } else if (value instanceof String text) {
                generator.writeString(text);
            } else if (value instanceof Integer number) {
                generator.writeNumber(number.intValue());
            } else if (value instanceof Long number) {
                generator.writeNumber(number.longValue());
            } else {
                generator.writeBoolean((Boolean) value);
            }
        }
        generator.writeEndArray();
        return true;
    }
}
