package dev.piperpc.core.message;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.piperpc.core.internal.TrustedJson;
import dev.piperpc.core.internal.UntypedValues;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One JSON value kept as its UTF-8 text, unparsed. Params and results travel as {@code RawJson}
 * so that code which only forwards messages never pays for data binding; {@link #bind} turns it
 * into a Java value when one is wanted.
 *
 * <p>Instances are immutable. A value decoded from a frame shares that frame's bytes.
 */
public final class RawJson {

    private static final JsonFactory VALIDATING_FACTORY = new JsonFactory();

    static {
        // The decoder's way to share a frame's bytes; not offered to users, who could change them.
        TrustedJson.install(new TrustedJson.Wrapper() {
            @Override
            public RawJson wrap(byte[] bytes, int offset, int length) {
                return new RawJson(bytes, offset, length);
            }

            @Override
            public Object readUntyped(RawJson raw, UntypedValues values, Class<?> type) {
                return values.read(raw.bytes, raw.offset, raw.length, type);
            }
        });
    }

    /** The JSON {@code null} literal. */
    public static final RawJson NULL = new RawJson("null".getBytes(StandardCharsets.US_ASCII), 0, 4);

    private final byte[] bytes;
    private final int offset;
    private final int length;

    private RawJson(byte[] bytes, int offset, int length) {
        this.bytes = bytes;
        this.offset = offset;
        this.length = length;
    }

    /** {@code text} as a JSON string value, quoted and escaped. */
    public static RawJson ofString(String text) {
        StringBuilder json = new StringBuilder(text.length() + 2).append('"');
        JsonStringEncoder.getInstance().quoteAsString(text, json);
        byte[] utf8 = json.append('"').toString().getBytes(StandardCharsets.UTF_8);
        return new RawJson(utf8, 0, utf8.length);
    }

    /**
     * Parses {@code json} and keeps it if it is exactly one well-formed JSON value.
     *
     * @throws IllegalArgumentException if it is not
     */
    public static RawJson parse(String json) {
        byte[] utf8 = json.strip().getBytes(StandardCharsets.UTF_8);
        try (JsonParser parser = VALIDATING_FACTORY.createParser(utf8)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                throw new IllegalArgumentException("empty JSON text");
            }
            parser.skipChildren();
            if (parser.nextToken() != null) {
                throw new IllegalArgumentException("more than one JSON value: " + json);
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("not well-formed JSON: " + e.getMessage(), e);
        }
        return new RawJson(utf8, 0, utf8.length);
    }


    /** Whether this is a JSON array. */
    public boolean isArray() {
        return bytes[offset] == '[';
    }

    /** Whether this is a JSON object. */
    public boolean isObject() {
        return bytes[offset] == '{';
    }

    /** Whether this is the JSON {@code null} literal. */
    public boolean isNull() {
        return bytes[offset] == 'n';
    }

    /** Length of the UTF-8 text in bytes. */
    public int length() {
        return length;
    }

    /** A copy of the UTF-8 text. */
    public byte[] toByteArray() {
        return Arrays.copyOfRange(bytes, offset, offset + length);
    }

    /**
     * Copies the UTF-8 text into {@code dest} at {@code destOffset}.
     *
     * @throws IndexOutOfBoundsException if it does not fit
     */
    public void copyTo(byte[] dest, int destOffset) {
        System.arraycopy(bytes, offset, dest, destOffset, length);
    }

    /** Writes the UTF-8 text to {@code out}. */
    public void writeTo(OutputStream out) throws IOException {
        out.write(bytes, offset, length);
    }

    /** Creates a streaming parser over the text. */
    public JsonParser createParser(JsonFactory factory) {
        try {
            return factory.createParser(bytes, offset, length);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Binds the value to a Java type with {@code mapper}.
     *
     * @throws IOException if the value does not fit the type
     */
    public <T> T bind(ObjectMapper mapper, Class<T> type) throws IOException {
        return mapper.readValue(bytes, offset, length, type);
    }

    /**
     * Binds the value to a Java type with {@code mapper}.
     *
     * @throws IOException if the value does not fit the type
     */
    public <T> T bind(ObjectMapper mapper, JavaType type) throws IOException {
        return mapper.readValue(bytes, offset, length, type);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof RawJson raw
                && Arrays.equals(bytes, offset, offset + length, raw.bytes, raw.offset, raw.offset + raw.length);
    }

    @Override
    public int hashCode() {
        int hash = 1;
        for (int i = offset; i < offset + length; i++) {
            hash = 31 * hash + bytes[i];
        }
        return hash;
    }

    /** The JSON text. */
    @Override
    public String toString() {
        return new String(bytes, offset, length, StandardCharsets.UTF_8);
    }
}
