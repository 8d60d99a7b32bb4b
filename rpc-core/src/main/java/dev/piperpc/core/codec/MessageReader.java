package dev.piperpc.core.codec;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import dev.piperpc.core.internal.TrustedJson;
import dev.piperpc.core.message.DecodedFrame;
import dev.piperpc.core.message.ErrorCodes;
import dev.piperpc.core.message.ErrorObject;
import dev.piperpc.core.message.Id;
import dev.piperpc.core.message.InvalidMessage;
import dev.piperpc.core.message.Message;
import dev.piperpc.core.message.Notification;
import dev.piperpc.core.message.RawJson;
import dev.piperpc.core.message.Request;
import dev.piperpc.core.message.Response;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns JSON texts into {@link Message}s, on Jackson's streaming API; {@link MessageWriter} writes them.
 *
 * <p>Decoding accepts members in any order and ignores unknown members, but is strict on what the
 * JSON-RPC 2.0 specification requires: {@code "jsonrpc": "2.0"}, a string method, params that are
 * an array or object, ids that are numbers, strings or null, exactly one of result and error.
 * Anything else decodes to an {@link InvalidMessage} carrying the error the specification
 * prescribes. Params, results and error data stay {@link RawJson} slices of the frame.
 *
 * <p>The common shapes (a request, notification or successful response with plain ASCII names)
 * are read in one pass over the bytes without a parser, when the factory parses as the default
 * one does; everything else, and every error, goes through the factory's parser, which decides
 * what is well-formed.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class MessageReader {

    private final JsonFactory factory;
    /** Reads the common shapes of a message without a parser; {@code null} if the factory parses in ways it does not follow. */
    private final EnvelopeScanner scanner;

    /** A reader with a default {@link JsonFactory}. */
    public MessageReader() {
        this(JsonFactory.builder().disable(StreamReadFeature.AUTO_CLOSE_SOURCE).build());
    }

    /** A reader that uses {@code factory} for parsers. */
    public MessageReader(JsonFactory factory) {
        this.factory = factory;
        this.scanner = EnvelopeScanner.of(factory);
    }

    // ---------------------------------------------------------------- decoding

    /** Decodes one frame holding one JSON text. */
    public DecodedFrame decode(byte[] frame) {
        return decode(frame, 0, frame.length);
    }

    /**
     * Decodes one frame holding one JSON text. The frame's bytes are shared by the raw values of
     * the result, so they must not be changed afterwards.
     */
    public DecodedFrame decode(byte[] frame, int offset, int length) {
        if (scanner != null) {
            Message common = scanner.scan(frame, offset, length);
            if (common != null) {
                return DecodedFrame.single(common);
            }
        }
        try (JsonParser parser = factory.createParser(frame, offset, length)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                return parseError("empty message");
            }
            Slicer slicer = new Slicer(parser, frame, offset, length);
            DecodedFrame decoded;
            if (first == JsonToken.START_OBJECT) {
                decoded = DecodedFrame.single(readObject(parser, slicer));
            } else if (first == JsonToken.START_ARRAY) {
                decoded = readBatch(parser, slicer);
            } else {
                parser.skipChildren();
                decoded = DecodedFrame.single(invalidRequest(Id.NULL, "a message must be a JSON object or array", false));
            }
            if (parser.nextToken() != null) {
                return parseError("unexpected content after the JSON text");
            }
            return decoded;
        } catch (JsonProcessingException e) {
            MessageHead head = peek(frame, offset, length);
            if (head.isResponse() && head.id() != null) {
                // A response whose id could be read: the call it answers fails at once.
                return DecodedFrame.single(new InvalidMessage(head.id(), parseErrorObject(describe(e)), true));
            }
            return parseError(describe(e));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * What the first bytes of a message tell: its id and which members it has, read as far as the
     * bytes allow. For telling which call an oversized, skipped frame was, and which call a
     * malformed response answered.
     */
    public MessageHead peek(byte[] bytes) {
        return peek(bytes, 0, bytes.length);
    }

    /**
     * The id that member {@code name} of a JSON object holds, read as a message's id is (a string,
     * or a number of any size or exponent, kept as written), such as the {@code id} of
     * {@code $/cancelRequest} or the {@code requestId} of {@code notifications/cancelled};
     * {@code null} when {@code object} is not an object, has no such member or it is not an id.
     */
    public Id idMember(RawJson object, String name) {
        if (object == null || !object.isObject()) {
            return null;
        }
        try (JsonParser parser = object.createParser(factory)) {
            parser.nextToken();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                boolean wanted = name.equals(parser.currentName());
                JsonToken value = parser.nextToken();
                if (wanted) {
                    return readId(parser, value);
                }
                parser.skipChildren();
            }
        } catch (IOException | RuntimeException e) {
            // not an object after all
        }
        return null;
    }

    private MessageHead peek(byte[] bytes, int offset, int length) {
        Id id = null;
        boolean method = false;
        boolean response = false;
        try (JsonParser parser = factory.createParser(bytes, offset, length)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return MessageHead.UNKNOWN;
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                switch (name) {
                    case "method" -> method = true;
                    case "result", "error" -> response = true;
                    default -> {
                        // looked at below
                    }
                }
                JsonToken value = parser.nextToken();
                if ("id".equals(name)) {
                    id = readId(parser, value);
                }
                parser.skipChildren();
            }
        } catch (IOException | RuntimeException e) {
            // as far as the bytes go
        }
        return new MessageHead(id, method, response);
    }
    private static String describe(JsonProcessingException e) {
        String location = e.getLocation() == null ? ""
                : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
        return e.getOriginalMessage() + location;
    }

    private DecodedFrame readBatch(JsonParser parser, Slicer slicer) throws IOException {
        List<Message> members = new ArrayList<>();
        JsonToken token;
        while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
            if (token == JsonToken.START_OBJECT) {
                members.add(readObject(parser, slicer));
            } else {
                parser.skipChildren();
                members.add(invalidRequest(Id.NULL, "a batch member must be a JSON object", false));
            }
        }
        if (members.isEmpty()) {
            return DecodedFrame.single(invalidRequest(Id.NULL, "empty batch", false));
        }
        return new DecodedFrame(members, true);
    }

    /** Reads one object whose START_OBJECT is the current token; leaves the parser on its END_OBJECT. */
    private Message readObject(JsonParser parser, Slicer slicer) throws IOException {
        Version version = Version.MISSING;
        boolean hasId = false;
        Id id = Id.NULL;
        boolean idValid = true;
        String method = null;
        boolean hasMethod = false;
        RawJson params = null;
        boolean paramsValid = true;
        RawJson result = null;
        ErrorObject error = null;
        boolean hasError = false;
        String problem = null;

        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken value = parser.nextToken();
            switch (name) {
                case "jsonrpc" -> {
                    version = value == JsonToken.VALUE_STRING && isVersion2(parser) ? Version.RIGHT : Version.WRONG;
                    parser.skipChildren();
                }
                case "id" -> {
                    hasId = true;
                    id = readId(parser, value);
                    idValid = id != null;
                    if (!idValid) {
                        id = Id.NULL;
                        parser.skipChildren();
                    }
                }
                case "method" -> {
                    hasMethod = true;
                    if (value == JsonToken.VALUE_STRING) {
                        method = parser.getText();
                    } else {
                        parser.skipChildren();
                    }
                }
                case "params" -> {
                    if (value == JsonToken.START_ARRAY || value == JsonToken.START_OBJECT) {
                        params = slicer.slice();
                    } else {
                        paramsValid = false;
                        parser.skipChildren();
                    }
                }
                case "result" -> result = slicer.slice();
                case "error" -> {
                    hasError = true;
                    if (value == JsonToken.START_OBJECT) {
                        error = readError(parser, slicer);
                        if (error == null) {
                            problem = "error must have an integer code and a string message";
                        }
                    } else {
                        parser.skipChildren();
                        problem = "error must be an object";
                    }
                }
                default -> parser.skipChildren();
            }
        }

        boolean looksLikeResponse = result != null || hasError;
        if (version != Version.RIGHT) {
            problem = version == Version.MISSING ? "missing \"jsonrpc\": \"2.0\"" : "\"jsonrpc\" must be \"2.0\"";
        } else if (!idValid) {
            problem = "id must be a string, a number or null";
        } else if (hasMethod) {
            if (method == null) {
                problem = "method must be a string";
            } else if (!paramsValid) {
                problem = "params must be an array or an object";
            } else if (looksLikeResponse) {
                problem = "a message cannot have both method and result or error";
            }
        } else if (looksLikeResponse) {
            if (result != null && hasError) {
                problem = "a response cannot have both result and error";
            } else if (!hasId) {
                problem = "a response must have an id";
            }
        } else {
            problem = "missing method";
        }

        if (problem != null) {
            return invalidRequest(idValid ? id : Id.NULL, problem, looksLikeResponse);
        }
        if (hasMethod) {
            return hasId ? new Request(id, method, params) : new Notification(method, params);
        }
        return result != null ? Response.success(id, result) : Response.failure(id, error);
    }

    /** What a message's {@code jsonrpc} member says. */
    private enum Version { MISSING, RIGHT, WRONG }

    /** Whether the string at the current token is {@code 2.0}, read without making a {@code String} of it. */
    private static boolean isVersion2(JsonParser parser) throws IOException {
        char[] text = parser.getTextCharacters();
        int at = parser.getTextOffset();
        return parser.getTextLength() == 3 && text[at] == '2' && text[at + 1] == '.' && text[at + 2] == '0';
    }

    /**
     * Reads the id at the current token, or returns {@code null} if it is of a type ids cannot have.
     *
     * @throws JsonParseException if it is a number too large to hold, such as {@code 1e999999999999}
     */
    private static Id readId(JsonParser parser, JsonToken value) throws IOException {
        try {
            return switch (value) {
                case VALUE_STRING -> Id.of(parser.getText());
                case VALUE_NUMBER_INT -> parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                        ? Id.ofNumber(parser.getDecimalValue(), parser.getText())
                        : Id.of(parser.getLongValue());
                case VALUE_NUMBER_FLOAT -> Id.ofNumber(parser.getDecimalValue(), parser.getText());
                case VALUE_NULL -> Id.NULL;
                default -> null;
            };
        } catch (NumberFormatException e) {
            throw new JsonParseException(parser, "the id " + parser.getText() + " is a number too large to read", e);
        }
    }

    /** Reads an error object whose START_OBJECT is current, or returns {@code null} if it is malformed. */
    private static ErrorObject readError(JsonParser parser, Slicer slicer) throws IOException {
        Integer code = null;
        String message = null;
        RawJson data = null;
        boolean valid = true;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken value = parser.nextToken();
            switch (name) {
                case "code" -> {
                    if (value == JsonToken.VALUE_NUMBER_INT && parser.getNumberType() == JsonParser.NumberType.INT) {
                        code = parser.getIntValue();
                    } else {
                        valid = false;
                        parser.skipChildren();
                    }
                }
                case "message" -> {
                    if (value == JsonToken.VALUE_STRING) {
                        message = parser.getText();
                    } else {
                        valid = false;
                        parser.skipChildren();
                    }
                }
                case "data" -> data = slicer.slice();
                default -> parser.skipChildren();
            }
        }
        return valid && code != null && message != null ? new ErrorObject(code, message, data) : null;
    }

    private static DecodedFrame parseError(String detail) {
        return DecodedFrame.single(new InvalidMessage(Id.NULL, parseErrorObject(detail), false));
    }

    private static ErrorObject parseErrorObject(String detail) {
        return new ErrorObject(ErrorCodes.PARSE_ERROR, ErrorCodes.standardMessage(ErrorCodes.PARSE_ERROR), RawJson.ofString(detail));
    }

    private static InvalidMessage invalidRequest(Id id, String detail, boolean looksLikeResponse) {
        ErrorObject error = new ErrorObject(ErrorCodes.INVALID_REQUEST,
                ErrorCodes.standardMessage(ErrorCodes.INVALID_REQUEST), RawJson.ofString(detail));
        return new InvalidMessage(id, error, looksLikeResponse);
    }

    /** Cuts the raw text of the value at the parser's current token out of the frame. */
    private static final class Slicer {
        private final JsonParser parser;
        private final byte[] frame;
        private final int base;

        Slicer(JsonParser parser, byte[] frame, int offset, int length) {
            this.parser = parser;
            this.frame = frame;
            // The first token's reported offset tells whether offsets count from the array or the slice.
            int firstByte = offset;
            while (firstByte < offset + length && isWhitespace(frame[firstByte])) {
                firstByte++;
            }
            this.base = firstByte - (int) parser.currentTokenLocation().getByteOffset();
        }

        RawJson slice() throws IOException {
            int start = base + (int) parser.currentTokenLocation().getByteOffset();
            JsonToken token = parser.currentToken();
            if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) {
                parser.skipChildren();
            } else {
                parser.finishToken();
            }
            int end = base + (int) parser.currentLocation().getByteOffset();
            return TrustedJson.wrap(frame, start, end - start);
        }

        private static boolean isWhitespace(byte b) {
            return b == ' ' || b == '\t' || b == '\n' || b == '\r';
        }
    }
}
