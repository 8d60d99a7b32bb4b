package dev.piperpc.core.codec;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.MappingJsonFactory;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.piperpc.core.internal.ByteWords;
import dev.piperpc.core.message.Id;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Writes a request whose params are plain values, and a response whose result is a plain value
 * or a list of them ({@link PlainValues}), as bytes straight into the buffer, to the text
 * Jackson's UTF-8 generator with its default features writes: the same member order, escapes
 * ({@code \"}, {@code \\}, {@code \b \t \n \f \r}, {@code \}{@code u00XX} for other control
 * characters and {@code \}{@code uXXXX} for each half of a surrogate pair, upper case) and
 * numbers. Used only for a mapper whose factory writes with those defaults and that writes plain
 * values with Jackson's standard serializers ({@link #supportedBy}).
 */
final class DirectEnvelopes {

    private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);
    /** The most bytes a {@code long} takes: {@code -9223372036854775808}. */
    private static final int MAX_LONG = 20;
    /** The largest text written here, and so the largest scratch array a thread keeps. */
    private static final int MAX_SCRATCH = 64 * 1024;
    private static final ThreadLocal<byte[]> SCRATCH = ThreadLocal.withInitial(() -> new byte[512]);
    private static final byte[] START = "{\"jsonrpc\":\"2.0\",\"id\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] METHOD = ",\"method\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PARAMS = ",\"params\":[".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] RESULT = ",\"result\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NULL = "null".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TRUE = "true".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] FALSE = "false".getBytes(StandardCharsets.US_ASCII);
    /** What each ASCII character is written as inside a string: 0 itself, -1 {@code \}{@code u00XX}, else {@code \} and that letter. */
    private static final int[] ESCAPES = new int[128];

    static {
        for (int c = 0; c < 0x20; c++) {
            ESCAPES[c] = -1;
        }
        ESCAPES['"'] = '"';
        ESCAPES['\\'] = '\\';
        ESCAPES['\b'] = 'b';
        ESCAPES['\t'] = 't';
        ESCAPES['\f'] = 'f';
        ESCAPES['\n'] = 'n';
        ESCAPES['\r'] = 'r';
    }

    /** Strings at least this long are first encoded by the JDK and copied whole when that is the text. */
    private static final int COPIED_STRING = 16;
    private static final long SPACES = 0x2020202020202020L;
    private static final long QUOTES = 0x2222222222222222L;
    private static final long BACKSLASHES = 0x5C5C5C5C5C5C5C5CL;
    private static final long QUESTION_MARKS = 0x3F3F3F3F3F3F3F3FL;

    private DirectEnvelopes() {
    }

    /**
     * Whether {@code mapper}'s factory is Jackson's own with its default generator features, no
     * character escapes and no output decorator; it does not indent; and it writes plain values
     * with Jackson's standard serializers.
     */
    static boolean supportedBy(ObjectMapper mapper) {
        JsonFactory factory = mapper.getFactory();
        boolean plainFactory = factory.getClass() == JsonFactory.class || factory.getClass() == MappingJsonFactory.class;
        return plainFactory && factory.getGeneratorFeatures() == JsonGenerator.Feature.collectDefaults()
                && factory.getFormatGeneratorFeatures() == new JsonFactory().getFormatGeneratorFeatures()
                && factory.getCharacterEscapes() == null && factory.getOutputDecorator() == null
                && !mapper.isEnabled(SerializationFeature.INDENT_OUTPUT) && PlainValues.supportedBy(mapper);
    }

    /**
     * A request with params {@code params} (plain values, or {@code null} for none); {@code null}
     * if it could take more than {@value #MAX_SCRATCH} bytes, which the generator writes instead.
     */
    static byte[] request(long id, String method, List<?> params) {
        long bound = START.length + MAX_LONG + METHOD.length + stringBound(method) + 1;
        if (params != null) {
            bound += PARAMS.length + listBound(params);
        }
        if (bound > MAX_SCRATCH) {
            return null;
        }
        byte[] out = scratch((int) bound);
        int at = put(out, 0, START);
        at = putLong(out, at, id);
        at = put(out, at, METHOD);
        at = putString(out, at, method);
        if (params != null) {
            at = put(out, at, PARAMS);
            at = putValues(out, at, params);
            out[at++] = ']';
        }
        out[at++] = '}';
        return Arrays.copyOf(out, at);
    }

    /**
     * A successful response whose result is {@code value}, a plain value or a list of them;
     * {@code null} if it could take more than {@value #MAX_SCRATCH} bytes, which the generator
     * writes instead.
     */
    static byte[] result(Id id, Object value) {
        String idText = id.isLong() || id.isNull() ? null : id.isNumber() ? id.numberText() : id.asString();
        long bound = START.length + (idText == null ? MAX_LONG : stringBound(idText)) + RESULT.length + 1
                + (value instanceof List<?> values ? listBound(values) : valueBound(value));
        if (bound > MAX_SCRATCH) {
            return null;
        }
        byte[] out = scratch((int) bound);
        int at = put(out, 0, START);
        if (id.isNull()) {
            at = put(out, at, NULL);
        } else if (id.isLong()) {
            at = putLong(out, at, id.asLong());
        } else if (id.isNumber()) {
            at = putAscii(out, at, idText);
        } else {
            at = putString(out, at, idText);
        }
        at = put(out, at, RESULT);
        if (value instanceof List<?> values) {
            out[at++] = '[';
            at = putValues(out, at, values);
            out[at++] = ']';
        } else {
            at = putPlain(out, at, value);
        }
        out[at++] = '}';
        return Arrays.copyOf(out, at);
    }

    /** This thread's scratch array, grown to at least {@code bound} bytes. */
    private static byte[] scratch(int bound) {
        byte[] scratch = SCRATCH.get();
        if (scratch.length < bound) {
            scratch = new byte[Math.min(MAX_SCRATCH, Math.max(bound, 2 * scratch.length))];
            SCRATCH.set(scratch);
        }
        return scratch;
    }

    /** The most bytes {@code text} takes as a JSON string: six per character (an escape), and the quotes. */
    private static long stringBound(String text) {
        return 2 + 6L * text.length();
    }

    private static long valueBound(Object value) {
        return value instanceof String text ? stringBound(text) : MAX_LONG;
    }

    private static long listBound(List<?> values) {
        long bound = 2;
        for (int i = 0; i < values.size(); i++) {
            bound += valueBound(values.get(i)) + 1;
        }
        return bound;
    }

    private static int putValues(byte[] out, int at, List<?> values) {
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                out[at++] = ',';
            }
            at = putPlain(out, at, values.get(i));
        }
        return at;
    }

    /** A plain value: a string, an int, a long, a boolean or null. */
    private static int putPlain(byte[] out, int at, Object value) {
        if (value == null) {
            return put(out, at, NULL);
        } else if (value instanceof String text) {
            return putString(out, at, text);
        } else if (value instanceof Integer number) {
            return putLong(out, at, number);
        } else if (value instanceof Long number) {
            return putLong(out, at, number);
        }
        return put(out, at, (Boolean) value ? TRUE : FALSE);
    }

    private static int put(byte[] out, int at, byte[] bytes) {
        System.arraycopy(bytes, 0, out, at, bytes.length);
        return at + bytes.length;
    }

    private static int putLong(byte[] out, int at, long number) {
        if (number == Long.MIN_VALUE) {
            return putAscii(out, at, Long.toString(number));
        }
        long rest = number;
        if (rest < 0) {
            out[at++] = '-';
            rest = -rest;
        }
        int digits = 1;
        for (long power = 10; digits < 19 && rest >= power; power *= 10) {
            digits++;
        }
        for (int i = at + digits - 1; i >= at; i--) {
            out[i] = (byte) ('0' + rest % 10);
            rest /= 10;
        }
        return at + digits;
    }

    private static int putAscii(byte[] out, int at, String text) {
        for (int i = 0; i < text.length(); i++) {
            out[at++] = (byte) text.charAt(i);
        }
        return at;
    }

    /** {@code text} as a JSON string in UTF-8, escaped as Jackson's generator escapes it. */
    private static int putString(byte[] out, int at, String text) {
        out[at++] = '"';
        if (text.length() >= COPIED_STRING) {
            byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
            if (utf8.length == text.length() && writtenAsIs(utf8)) {
                System.arraycopy(utf8, 0, out, at, utf8.length);
                at += utf8.length;
                out[at++] = '"';
                return at;
            }
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                int escape = ESCAPES[c];
                if (escape == 0) {
                    out[at++] = (byte) c;
                } else if (escape > 0) {
                    out[at++] = '\\';
                    out[at++] = (byte) escape;
                } else {
                    at = putUnicodeEscape(out, at, c);
                }
            } else if (c < 0x800) {
                out[at++] = (byte) (0xc0 | (c >> 6));
                out[at++] = (byte) (0x80 | (c & 0x3f));
            } else if (Character.isSurrogate(c)) {
                at = putUnicodeEscape(out, at, c);
            } else {
                out[at++] = (byte) (0xe0 | (c >> 12));
                out[at++] = (byte) (0x80 | ((c >> 6) & 0x3f));
                out[at++] = (byte) (0x80 | (c & 0x3f));
            }
        }
        out[at++] = '"';
        return at;
    }

    /**
     * Whether {@code utf8}, the UTF-8 of a string with as many characters as it has bytes, is that
     * string's text inside quotes: no control character, quote or backslash, and no {@code '?'},
     * which the JDK writes for an unpaired surrogate (the generator escapes one). Eight bytes at a time.
     */
    private static boolean writtenAsIs(byte[] utf8) {
        int i = 0;
        long flagged = 0;
        for (; i + Long.BYTES <= utf8.length; i += Long.BYTES) {
            long word = ByteWords.word(utf8, i);
            // Every byte is below 0x80 here: a borrow into a byte's high bit means it was below 0x20.
            flagged |= ((word - SPACES) & ~word) | ByteWords.zeroBytes(word ^ QUOTES)
                    | ByteWords.zeroBytes(word ^ BACKSLASHES) | ByteWords.zeroBytes(word ^ QUESTION_MARKS);
        }
        if ((flagged & ByteWords.HIGH_BITS) != 0) {
            return false;
        }
        for (; i < utf8.length; i++) {
            byte b = utf8[i];
            if (b < 0x20 || b == '"' || b == '\\' || b == '?') {
                return false;
            }
        }
        return true;
    }

    private static int putUnicodeEscape(byte[] out, int at, char c) {
        out[at] = '\\';
        out[at + 1] = 'u';
        out[at + 2] = HEX[(c >> 12) & 0xf];
        out[at + 3] = HEX[(c >> 8) & 0xf];
        out[at + 4] = HEX[(c >> 4) & 0xf];
        out[at + 5] = HEX[c & 0xf];
        return at + 6;
    }
}
