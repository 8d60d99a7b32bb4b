package dev.piperpc.core.codec;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.MappingJsonFactory;
import dev.piperpc.core.internal.JsonBytes;
import dev.piperpc.core.internal.TrustedJson;
import dev.piperpc.core.message.Id;
import dev.piperpc.core.message.Message;
import dev.piperpc.core.message.Notification;
import dev.piperpc.core.message.RawJson;
import dev.piperpc.core.message.Request;
import dev.piperpc.core.message.Response;

import java.nio.charset.StandardCharsets;

/**
 * Decodes the common shapes of a message in one pass over its bytes, without a parser: one JSON
 * object that is a request, a notification or a successful response, whose member names, method
 * and string id are plain ASCII. Every value it passes over is checked against the JSON grammar
 * as {@link JsonFactory}'s parser checks it (UTF-8 sequences, escapes, numbers, nesting), and
 * params and results become slices of the frame, as {@link MessageReader}'s parser cuts them.
 *
 * <p>It accepts only what that parser accepts, and decodes it to the same message; anything
 * else, including every malformed or invalid message, an error response, a batch and any text it
 * is not sure of, it leaves to the parser by returning {@code null}, so that the errors stay the
 * parser's. It is used only with factories that parse JSON as the default one does
 * ({@link #of}), and is stricter than their limits on nesting, numbers, strings, names and
 * documents.
 *
 * <p>Instances are immutable and thread-safe.
 */
final class EnvelopeScanner {

    /** The deepest nesting of arrays and objects in a value it passes over. */
    static final int MAX_DEPTH = 64;

    private static final int JSONRPC = 1;
    private static final int ID = 2;
    private static final int METHOD = 4;
    private static final int PARAMS = 8;
    private static final int RESULT = 16;
    private static final int OTHER = 0;
    private static final int UNSURE = -1;

    private final int maxNumberLength;
    private final int maxStringLength;
    private final int maxNameLength;
    private final long maxDocumentLength;

    private EnvelopeScanner(StreamReadConstraints limits) {
        this.maxNumberLength = limits.getMaxNumberLength();
        this.maxStringLength = limits.getMaxStringLength();
        this.maxNameLength = limits.getMaxNameLength();
        this.maxDocumentLength = limits.getMaxDocumentLength() > 0 ? limits.getMaxDocumentLength() : Long.MAX_VALUE;
    }

    /**
     * A scanner for frames that {@code factory}'s parsers would read, or {@code null} if that
     * factory may parse differently from the default one in a way the scanner does not follow: a
     * factory of its own class, an input decorator, duplicate members reported, fewer nesting
     * levels than the scanner's {@link #MAX_DEPTH} (within the envelope), or a token count limit.
     */
    static EnvelopeScanner of(JsonFactory factory) {
        boolean plain = factory.getClass() == JsonFactory.class || factory.getClass() == MappingJsonFactory.class;
        StreamReadConstraints limits = factory.streamReadConstraints();
        if (!plain || factory.getInputDecorator() != null || factory.isEnabled(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                || limits.getMaxNestingDepth() <= MAX_DEPTH || limits.getMaxTokenCount() > 0) {
            return null;
        }
        return new EnvelopeScanner(limits);
    }

    /**
     * The message that {@code [offset, offset + length)} of {@code frame} holds, or {@code null} if
     * it is not one of the shapes read here. Params and results share the frame's bytes.
     */
    Message scan(byte[] frame, int offset, int length) {
        if (length >= maxDocumentLength) {
            return null;
        }
        return new Pass(frame, offset, offset + length).message();
    }

    /** One pass over one frame. */
    private final class Pass {
        private final byte[] bytes;
        private final int end;
        private int at;

        Pass(byte[] bytes, int from, int end) {
            this.bytes = bytes;
            this.at = from;
            this.end = end;
        }

        Message message() {
            skipSpace();
            if (!take('{')) {
                return null;
            }
            int seen = 0;
            Id id = Id.NULL;
            String method = null;
            RawJson params = null;
            RawJson result = null;
            do {
                skipSpace();
                int name = memberName();
                if (name == UNSURE || (seen & name) != 0) {
                    return null;
                }
                seen |= name;
                skipSpace();
                if (!take(':')) {
                    return null;
                }
                skipSpace();
                int start = at;
                boolean read = switch (name) {
                    case JSONRPC -> literal("\"2.0\"");
                    case ID -> (id = id()) != null;
                    case METHOD -> (method = plainString()) != null;
                    case PARAMS -> at < end && (bytes[at] == '[' || bytes[at] == '{') && value(0);
                    default -> value(0);
                };
                if (!read) {
                    return null;
                }
                if (name == PARAMS) {
                    params = TrustedJson.wrap(bytes, start, at - start);
                } else if (name == RESULT) {
                    result = TrustedJson.wrap(bytes, start, at - start);
                }
                skipSpace();
            } while (take(','));
            if (!take('}')) {
                return null;
            }
            skipSpace();
            if (at != end || (seen & JSONRPC) == 0) {
                return null;
            }
            if (method != null) {
                if (result != null) {
                    return null;
                }
                return (seen & ID) != 0 ? new Request(id, method, params) : new Notification(method, params);
            }
            return result != null && (seen & ID) != 0 ? Response.success(id, result) : null;
        }

        /** Reads a member name and the member it is, {@link #OTHER} for the rest, {@link #UNSURE} if it is not plain. */
        private int memberName() {
            int from = at + 1;
            int length = plainStringLength(maxNameLength);
            if (length < 0) {
                return UNSURE;
            }
            return switch (length) {
                case 2 -> is(from, "id") ? ID : OTHER;
                case 5 -> is(from, "error") ? UNSURE : OTHER;
                case 6 -> is(from, "params") ? PARAMS : is(from, "method") ? METHOD : is(from, "result") ? RESULT : OTHER;
                case 7 -> is(from, "jsonrpc") ? JSONRPC : OTHER;
                default -> OTHER;
            };
        }

        /** Whether the bytes at {@code from} spell {@code word} (ASCII). */
        private boolean is(int from, String word) {
            return JsonBytes.literal(bytes, from, end, word) >= 0;
        }

        /** Reads an id: a plain string, an integer of at most 18 digits, or null; else {@code null}. */
        private Id id() {
            if (at >= end) {
                return null;
            }
            byte first = bytes[at];
            if (first == '"') {
                String text = plainString();
                return text == null ? null : Id.of(text);
            }
            if (first == 'n') {
                return literal("null") ? Id.NULL : null;
            }
            int after = JsonBytes.number(bytes, at, end);
            if (after < 0 || !JsonBytes.isIntegral(bytes, at, after) || !JsonBytes.isSmallInteger(bytes, at, after)) {
                return null;
            }
            Id id = Id.of(JsonBytes.integerValue(bytes, at, after));
            at = after;
            return id;
        }

        /**
         * Reads a string of printable ASCII without escapes and returns its text, or {@code null}
         * (position undefined) if it is anything else.
         */
        private String plainString() {
            int from = at + 1;
            int length = plainStringLength(maxStringLength);
            return length < 0 ? null : new String(bytes, from, length, StandardCharsets.ISO_8859_1);
        }

        /**
         * Passes over a string of at most {@code maxLength} printable ASCII characters without
         * escapes and returns its length, or -1 (position undefined) if it is anything else.
         */
        private int plainStringLength(int maxLength) {
            if (at >= end || bytes[at] != '"') {
                return -1;
            }
            int from = at + 1;
            for (int i = from; i < end; i++) {
                byte b = bytes[i];
                if (b == '"') {
                    at = i + 1;
                    return i - from > maxLength ? -1 : i - from;
                }
                if (b < 0x20 || b == '\\' || b == 0x7f) {
                    return -1;
                }
            }
            return -1;
        }

        /** Passes over one well-formed value of nesting {@code depth}; {@code false} if there is none. */
        private boolean value(int depth) {
            if (at >= end) {
                return false;
            }
            return switch (bytes[at]) {
                case '"' -> string(maxStringLength, false, depth == 0);
                case '{' -> object(depth + 1);
                case '[' -> array(depth + 1);
                case 't' -> literal("true");
                case 'f' -> literal("false");
                case 'n' -> literal("null");
                default -> number();
            };
        }

        private boolean object(int depth) {
            if (depth > MAX_DEPTH) {
                return false;
            }
            at++;
            skipSpace();
            if (take('}')) {
                return true;
            }
            do {
                skipSpace();
                if (at >= end || bytes[at] != '"' || !string(maxNameLength, true, true)) {
                    return false;
                }
                skipSpace();
                if (!take(':')) {
                    return false;
                }
                skipSpace();
                if (!value(depth)) {
                    return false;
                }
                skipSpace();
            } while (take(','));
            return take('}');
        }

        private boolean array(int depth) {
            if (depth > MAX_DEPTH) {
                return false;
            }
            at++;
            skipSpace();
            if (take(']')) {
                return true;
            }
            do {
                skipSpace();
                if (!value(depth)) {
                    return false;
                }
                skipSpace();
            } while (take(','));
            return take(']');
        }

        /**
         * Passes over a string whose opening quote is at the position, of at most {@code maxBytes}
         * UTF-8 bytes: valid escapes, no control characters, well-formed UTF-8 sequences. A string
         * the parser {@code decoded} (a name, or a member's value such as a result that is a
         * string) must not hold a surrogate in UTF-8, and in a {@code name} the parser checks that
         * escaped surrogates pair up, where the scanner takes none at all. Strings inside params
         * and results the parser passes over without decoding them.
         */
        private boolean string(int maxBytes, boolean name, boolean decoded) {
            int from = ++at;
            int i = from;
            while (i < end) {
                int b = bytes[i];
                if (b == '"') {
                    at = i + 1;
                    return i - from <= maxBytes;
                }
                if (b == '\\') {
                    i = escape(i + 1, name);
                } else if (b >= 0x20) {
                    i++;
                } else if (b >= 0) {
                    return false;
                } else {
                    i = multiByte(i, decoded);
                }
                if (i < 0) {
                    return false;
                }
            }
            return false;
        }

        /**
         * The index after the escape whose letter is at {@code i}, or -1 if it is not one (or, if
         * {@code noSurrogate}, it escapes a surrogate).
         */
        private int escape(int i, boolean noSurrogate) {
            if (i >= end) {
                return -1;
            }
            switch (bytes[i]) {
                case '"', '\\', '/', 'b', 'f', 'n', 'r', 't' -> {
                    return i + 1;
                }
                case 'u' -> {
                    int unit = JsonBytes.hexUnit(bytes, i + 1, end);
                    return unit < 0 || (noSurrogate && Character.isSurrogate((char) unit)) ? -1 : i + 5;
                }
                default -> {
                    return -1;
                }
            }
        }

        /**
         * The index after the UTF-8 sequence that starts at {@code i}, or -1 if it is malformed
         * (or, if {@code noSurrogate}, it encodes a surrogate).
         */
        private int multiByte(int i, boolean noSurrogate) {
            int after = JsonBytes.multiByte(bytes, i, end);
            if (after > 0 && noSurrogate && (bytes[i] & 0xff) == 0xed && (bytes[i + 1] & 0xff) >= 0xa0) {
                return -1;
            }
            return after;
        }

        /** Passes over a number of at most the factory's length. */
        private boolean number() {
            int after = JsonBytes.number(bytes, at, end);
            if (after < 0 || after - at > maxNumberLength) {
                return false;
            }
            at = after;
            return true;
        }

        /** Passes over {@code word} (ASCII). */
        private boolean literal(String word) {
            int after = JsonBytes.literal(bytes, at, end, word);
            if (after < 0) {
                return false;
            }
            at = after;
            return true;
        }

        private void skipSpace() {
            at = JsonBytes.skipSpace(bytes, at, end);
        }

        /** Takes {@code expected} if it is next. */
        private boolean take(char expected) {
            if (at < end && bytes[at] == expected) {
                at++;
                return true;
            }
            return false;
        }
    }
}
