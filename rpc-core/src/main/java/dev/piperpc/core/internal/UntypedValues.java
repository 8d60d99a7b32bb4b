package dev.piperpc.core.internal;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.DefaultDeserializationContext;
import com.fasterxml.jackson.databind.deser.std.ObjectArrayDeserializer;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Binds well-formed JSON to {@code Object} or {@code Object[]} in one pass over its bytes, to the
 * values a mapper's standard deserializers make of it: {@link LinkedHashMap}s, {@link ArrayList}s,
 * strings, {@link Integer}, {@link Long} or {@link BigInteger} by size, {@link Double}, booleans and
 * nulls. Used only for a mapper that binds these two types with Jackson's standard deserializers
 * and default features ({@link #of}); anything it is not sure of (a duplicate key, a surrogate or
 * an overlong form in UTF-8, an escaped surrogate in a key, deep nesting, long numbers) it leaves
 * to the mapper by returning {@link #NOT_READ}.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class UntypedValues {

    /** What {@link #read} returns when it leaves the value to the mapper. */
    public static final Object NOT_READ = new Object();

    /** The deepest nesting read here. */
    static final int MAX_DEPTH = 64;
    /** The longest number read here, in characters. */
    private static final int MAX_NUMBER_LENGTH = 100;
    /** The class name of Jackson's standard deserializer of {@code Object}. */
    private static final String UNTYPED = "com.fasterxml.jackson.databind.deser.std.UntypedObjectDeserializerNR";

    private UntypedValues() {
    }

    /**
     * The reader for {@code mapper}, or {@code null} if it binds {@code Object} or {@code Object[]}
     * with other deserializers, with type information, with features that change the values
     * (big or long integers, big decimals, Java arrays for JSON arrays, the fast double parser) or
     * with limits below the ones kept here.
     */
    public static UntypedValues of(ObjectMapper mapper) {
        try {
            DeserializationConfig config = mapper.getDeserializationConfig();
            if (config.hasSomeOfFeatures(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS.getMask()
                    | DeserializationFeature.USE_LONG_FOR_INTS.getMask() | DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS.getMask()
                    | DeserializationFeature.USE_JAVA_ARRAY_FOR_JSON_ARRAY.getMask())
                    || mapper.getFactory().isEnabled(StreamReadFeature.USE_FAST_DOUBLE_PARSER)) {
                return null;
            }
            StreamReadConstraints limits = mapper.getFactory().streamReadConstraints();
            if (limits.getMaxNestingDepth() <= MAX_DEPTH + 1 || limits.getMaxNumberLength() < MAX_NUMBER_LENGTH) {
                return null;
            }
            JsonDeserializer<?> objects = rootDeserializer(mapper, mapper.constructType(Object.class));
            JsonDeserializer<?> arrays = rootDeserializer(mapper, mapper.constructType(Object[].class));
            if (objects == null || !objects.getClass().getName().equals(UNTYPED) || arrays == null
                    || arrays.getClass() != ObjectArrayDeserializer.class
                    || !((ObjectArrayDeserializer) arrays).getContentDeserializer().getClass().getName().equals(UNTYPED)) {
                return null;
            }
            return new UntypedValues();
        } catch (RuntimeException e) {
            return null;
        }
    }

    /**
     * The deserializer {@code mapper} binds a value of {@code type} with when it is the whole
     * text, or {@code null} if the mapper adds type information to such values or cannot say.
     */
    public static JsonDeserializer<?> rootDeserializer(ObjectMapper mapper, JavaType type) {
        try {
            DeserializationConfig config = mapper.getDeserializationConfig();
            DefaultDeserializationContext context = ((DefaultDeserializationContext) mapper.getDeserializationContext())
                    .createDummyInstance(config);
            if (context.getFactory().findTypeDeserializer(config, type) != null) {
                return null;
            }
            return context.findRootValueDeserializer(type);
        } catch (Exception e) {
            return null;
        }
    }

    /** Whether values of {@code type} are read here: {@code Object} and {@code Object[]}. */
    public static boolean reads(JavaType type) {
        Class<?> raw = type.getRawClass();
        return raw == Object.class || raw == Object[].class;
    }

    /**
     * The value the well-formed JSON text at {@code [offset, offset + length)} holds, bound to
     * {@code type} ({@code Object} or {@code Object[]}), or {@link #NOT_READ} to leave it to the mapper.
     */
    public Object read(byte[] bytes, int offset, int length, Class<?> type) {
        Pass pass = new Pass(bytes, offset, offset + length);
        try {
            pass.skipSpace();
            Object value;
            if (type == Object[].class) {
                if (pass.at < pass.end && bytes[pass.at] == '[') {
                    List<Object> items = pass.array(1);
                    value = items == null ? NOT_READ : items.toArray();
                } else if (pass.literal("null")) {
                    value = null;
                } else {
                    return NOT_READ;
                }
            } else {
                value = pass.value(0);
            }
            pass.skipSpace();
            return pass.at == pass.end ? value : NOT_READ;
        } catch (RuntimeException e) {
            return NOT_READ;
        }
    }

    /** One pass over one text; every method returns {@link #NOT_READ} or {@code null} to give up. */
    private static final class Pass {
        private final byte[] bytes;
        private final int end;
        private int at;

        Pass(byte[] bytes, int from, int end) {
            this.bytes = bytes;
            this.at = from;
            this.end = end;
        }

        Object value(int depth) {
            if (at >= end) {
                return NOT_READ;
            }
            switch (bytes[at]) {
                case '"' -> {
                    String text = string(false);
                    return text == null ? NOT_READ : text;
                }
                case '[' -> {
                    List<Object> items = array(depth + 1);
                    return items == null ? NOT_READ : items;
                }
                case '{' -> {
                    Map<String, Object> members = object(depth + 1);
                    return members == null ? NOT_READ : members;
                }
                case 't' -> {
                    return literal("true") ? Boolean.TRUE : NOT_READ;
                }
                case 'f' -> {
                    return literal("false") ? Boolean.FALSE : NOT_READ;
                }
                case 'n' -> {
                    return literal("null") ? null : NOT_READ;
                }
                default -> {
                    return number();
                }
            }
        }

        List<Object> array(int depth) {
            if (depth > MAX_DEPTH) {
                return null;
            }
            at++;
            List<Object> items = new ArrayList<>();
            skipSpace();
            if (take(']')) {
                return items;
            }
            do {
                skipSpace();
                Object item = value(depth);
                if (item == NOT_READ) {
                    return null;
                }
                items.add(item);
                skipSpace();
            } while (take(','));
            return take(']') ? items : null;
        }

        Map<String, Object> object(int depth) {
            if (depth > MAX_DEPTH) {
                return null;
            }
            at++;
            Map<String, Object> members = new LinkedHashMap<>();
            skipSpace();
            if (take('}')) {
                return members;
            }
            do {
                skipSpace();
                String name = at < end && bytes[at] == '"' ? string(true) : null;
                skipSpace();
                if (name == null || !take(':')) {
                    return null;
                }
                skipSpace();
                Object value = value(depth);
                if (value == NOT_READ || members.containsKey(name)) {
                    return null;
                }
                members.put(name, value);
                skipSpace();
            } while (take(','));
            return take('}') ? members : null;
        }

        /** The string whose opening quote is at the position, or {@code null}. */
        String string(boolean name) {
            int from = at + 1;
            int i = from;
            while (i < end) {
                byte b = bytes[i];
                if (b == '"') {
                    at = i + 1;
                    return new String(bytes, from, i - from, StandardCharsets.ISO_8859_1);
                }
                if (b < 0x20 || b == '\\') {
                    break;
                }
                i++;
            }
            return decodedString(from, name);
        }

        /** The string from {@code from} with escapes or characters beyond ASCII, or {@code null}. */
        private String decodedString(int from, boolean name) {
            StringBuilder text = new StringBuilder(end - from);
            int i = from;
            while (i < end) {
                int b = bytes[i];
                if (b == '"') {
                    at = i + 1;
                    return text.toString();
                }
                if (b == '\\') {
                    i = escape(i + 1, text, name);
                } else if (b >= 0x20) {
                    text.append((char) b);
                    i++;
                } else if (b >= 0) {
                    return null;
                } else {
                    i = multiByte(i, text);
                }
                if (i < 0) {
                    return null;
                }
            }
            return null;
        }

        /** Appends the escape whose letter is at {@code i}; the index after it, or -1. */
        private int escape(int i, StringBuilder text, boolean name) {
            if (i >= end) {
                return -1;
            }
            switch (bytes[i]) {
                case '"' -> text.append('"');
                case '\\' -> text.append('\\');
                case '/' -> text.append('/');
                case 'b' -> text.append('\b');
                case 'f' -> text.append('\f');
                case 'n' -> text.append('\n');
                case 'r' -> text.append('\r');
                case 't' -> text.append('\t');
                case 'u' -> {
                    int unit = JsonBytes.hexUnit(bytes, i + 1, end);
                    // In a key the parser pairs escaped surrogates up; that is left to it.
                    if (unit < 0 || (name && Character.isSurrogate((char) unit))) {
                        return -1;
                    }
                    text.append((char) unit);
                    return i + 5;
                }
                default -> {
                    return -1;
                }
            }
            return i + 1;
        }

        /**
         * Appends the character of the shortest-form UTF-8 sequence at {@code i}, not a
         * surrogate and not beyond U+10FFFF; the index after it, or -1.
         */
        private int multiByte(int i, StringBuilder text) {
            int after = JsonBytes.multiByte(bytes, i, end);
            if (after < 0) {
                return -1;
            }
            int length = after - i;
            int codePoint = bytes[i] & (0xff >> (length + 1));
            for (int j = i + 1; j < after; j++) {
                codePoint = codePoint << 6 | (bytes[j] & 0x3f);
            }
            int shortest = length == 2 ? 0x80 : length == 3 ? 0x800 : 0x10000;
            if (codePoint < shortest || codePoint > Character.MAX_CODE_POINT
                    || (codePoint >= Character.MIN_SURROGATE && codePoint <= Character.MAX_SURROGATE)) {
                return -1;
            }
            text.appendCodePoint(codePoint);
            return after;
        }

        /** A number: an {@code Integer}, {@code Long} or {@code BigInteger} by size, or a {@code Double}; else {@link #NOT_READ}. */
        private Object number() {
            int from = at;
            int after = JsonBytes.number(bytes, from, end);
            if (after < 0 || after - from > MAX_NUMBER_LENGTH) {
                return NOT_READ;
            }
            at = after;
            if (!JsonBytes.isIntegral(bytes, from, after)) {
                return Double.parseDouble(new String(bytes, from, after - from, StandardCharsets.ISO_8859_1));
            }
            if (JsonBytes.isSmallInteger(bytes, from, after)) {
                long value = JsonBytes.integerValue(bytes, from, after);
                return value == (int) value ? (Object) (int) value : (Object) value;
            }
            BigInteger big = new BigInteger(new String(bytes, from, after - from, StandardCharsets.ISO_8859_1));
            return big.bitLength() < 64 ? (Object) big.longValue() : big;
        }

        boolean literal(String word) {
            int after = JsonBytes.literal(bytes, at, end, word);
            if (after < 0) {
                return false;
            }
            at = after;
            return true;
        }

        void skipSpace() {
            at = JsonBytes.skipSpace(bytes, at, end);
        }

        private boolean take(char expected) {
            if (at < end && bytes[at] == expected) {
                at++;
                return true;
            }
            return false;
        }
    }
}
