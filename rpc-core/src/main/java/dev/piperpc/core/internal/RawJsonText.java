package dev.piperpc.core.internal;

import com.fasterxml.jackson.core.SerializableString;
import dev.piperpc.core.message.RawJson;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;

/**
 * Presents a {@link RawJson} to Jackson's generator as already-encoded text, so
 * {@code writeRawValue} copies its bytes without re-encoding them.
 */
public final class RawJsonText implements SerializableString {

    private final RawJson raw;

    /** Wraps {@code raw}. */
    public RawJsonText(RawJson raw) {
        this.raw = raw;
    }

    @Override
    public String getValue() {
        return raw.toString();
    }

    @Override
    public int charLength() {
        return getValue().length();
    }

    @Override
    public char[] asQuotedChars() {
        return getValue().toCharArray();
    }

    @Override
    public byte[] asUnquotedUTF8() {
        return raw.toByteArray();
    }

    @Override
    public byte[] asQuotedUTF8() {
        return raw.toByteArray();
    }

    @Override
    public int appendQuotedUTF8(byte[] buffer, int offset) {
        return appendUnquotedUTF8(buffer, offset);
    }

    @Override
    public int appendQuoted(char[] buffer, int offset) {
        return appendUnquoted(buffer, offset);
    }

    @Override
    public int appendUnquotedUTF8(byte[] buffer, int offset) {
        int length = raw.length();
        if (offset + length > buffer.length) {
            return -1;
        }
        raw.copyTo(buffer, offset);
        return length;
    }

    @Override
    public int appendUnquoted(char[] buffer, int offset) {
        String text = getValue();
        if (offset + text.length() > buffer.length) {
            return -1;
        }
        text.getChars(0, text.length(), buffer, offset);
        return text.length();
    }

    @Override
    public int writeQuotedUTF8(OutputStream out) throws IOException {
        return writeUnquotedUTF8(out);
    }

    @Override
    public int writeUnquotedUTF8(OutputStream out) throws IOException {
        raw.writeTo(out);
        return raw.length();
    }

    @Override
    public int putQuotedUTF8(ByteBuffer buffer) {
        return putUnquotedUTF8(buffer);
    }

    @Override
    public int putUnquotedUTF8(ByteBuffer buffer) {
        if (buffer.remaining() < raw.length()) {
            return -1;
        }
        buffer.put(raw.toByteArray());
        return raw.length();
    }

    @Override
    public String toString() {
        return getValue();
    }

}
