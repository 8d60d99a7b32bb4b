package dev.piperpc.core.codec;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationConfig;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.ser.impl.IndexedListSerializer;
import com.fasterxml.jackson.databind.ser.std.BooleanSerializer;
import com.fasterxml.jackson.databind.ser.std.NullSerializer;
import com.fasterxml.jackson.databind.ser.std.NumberSerializers;
import com.fasterxml.jackson.databind.ser.std.StringSerializer;

import java.util.List;

/**
 * Plain values (strings, ints, longs, booleans and nulls) and short lists of them, which
 * {@link DirectEnvelopes} writes without the mapper, as the mapper's own serializers would write
 * them: the mapper is asked once which serializers it uses for those types ({@link #supportedBy})
 * and, per list class, for the list ({@link #listSupportedBy}), and only Jackson's standard
 * ones, with no type information, are written for this way. Anything else goes through the mapper.
 */
final class PlainValues {

    /** The most values of a list written this way: a longer list goes through the mapper. */
    private static final int MAX_VALUES = 16;
    private static final Class<?>[] PLAIN = {String.class, Integer.class, Long.class, Boolean.class};

    private PlainValues() {
    }

    /** Whether {@code mapper} writes strings, ints, longs, booleans and nulls with Jackson's standard serializers and no type information. */
    static boolean supportedBy(ObjectMapper mapper) {
        try {
            SerializationConfig config = mapper.getSerializationConfig();
            for (Class<?> type : PLAIN) {
                if (mapper.getSerializerFactory().createTypeSerializer(config, mapper.constructType(type)) != null) {
                    return false;
                }
            }
            SerializerProvider provider = mapper.getSerializerProviderInstance();
            return standard(provider.findTypedValueSerializer(String.class, true, null), StringSerializer.class)
                    && standard(provider.findTypedValueSerializer(Integer.class, true, null), NumberSerializers.IntegerSerializer.class)
                    && standard(provider.findTypedValueSerializer(Long.class, true, null), NumberSerializers.LongSerializer.class)
                    && standard(provider.findTypedValueSerializer(Boolean.class, true, null), BooleanSerializer.class)
                    && standard(provider.findNullValueSerializer(null), NullSerializer.class);
        } catch (JsonMappingException | RuntimeException e) {
            return false;
        }
    }

    /**
     * Whether {@code mapper}, which {@link #supportedBy supports} plain values, writes a list of
     * class {@code listClass} with Jackson's standard serializer of lists, element by element,
     * with no type information and no single element unwrapped.
     */
    static boolean listSupportedBy(ObjectMapper mapper, Class<?> listClass) {
        try {
            return !mapper.isEnabled(SerializationFeature.WRITE_SINGLE_ELEM_ARRAYS_UNWRAPPED)
                    && standard(mapper.getSerializerProviderInstance().findTypedValueSerializer(listClass, true, null), IndexedListSerializer.class);
        } catch (JsonMappingException | RuntimeException e) {
            return false;
        }
    }

    private static boolean standard(JsonSerializer<?> serializer, Class<?> expected) {
        return serializer != null && serializer.getClass() == expected;
    }

    /** Whether {@code value} is a plain value: a string, an int, a long, a boolean or null. */
    static boolean isPlain(Object value) {
        if (value == null) {
            return true;
        }
        Class<?> type = value.getClass();
        return type == String.class || type == Integer.class || type == Long.class || type == Boolean.class;
    }

    /** Whether {@code values} is short and holds plain values only. */
    static boolean isPlainList(List<?> values) {
        int size = values.size();
        if (size > MAX_VALUES) {
            return false;
        }
        for (int i = 0; i < size; i++) {
            if (!isPlain(values.get(i))) {
                return false;
            }
        }
        return true;
    }
}
