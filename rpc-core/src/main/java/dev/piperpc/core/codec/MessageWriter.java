package dev.piperpc.core.codec;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.piperpc.core.internal.ByteSink;
import dev.piperpc.core.internal.RawJsonText;
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
import java.util.List;
import java.util.Map;

/**
 * Writes every JSON-RPC envelope as one JSON text in UTF-8: requests and notifications whose
 * params are serialized straight into them, responses whose result is, messages of the model,
 * and batches. Each text is written by one generator into a buffer reused by the calling thread.
 *
 * <p>Params and results given as Java values are serialized with a mapper: a {@link List} or
 * array is written by position, a {@link Map} by name, a {@link RawJson} as it is. A request whose
 * params, or a response whose result, are plain values (strings, ints, longs, booleans and nulls;
 * a result may be a short list of them) is written as bytes without a generator when the mapper
 * would write the same text: Jackson's standard serializers and the generator's default features.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class MessageWriter {

    // Member names and the version, encoded once: the generator copies their bytes instead of
    // checking and encoding each character of every message.
    private static final SerializableString JSONRPC = new SerializedString("jsonrpc");
    private static final SerializableString VERSION = new SerializedString("2.0");
    private static final SerializableString ID = new SerializedString("id");
    private static final SerializableString METHOD = new SerializedString("method");
    private static final SerializableString PARAMS = new SerializedString("params");
    private static final SerializableString RESULT = new SerializedString("result");
    private static final SerializableString ERROR = new SerializedString("error");
    private static final SerializableString CODE = new SerializedString("code");
    private static final SerializableString MESSAGE = new SerializedString("message");
    private static final SerializableString DATA = new SerializedString("data");

    private final ObjectMapper mapper;
    /** Whether envelopes of plain values may be written as bytes, without a generator ({@link DirectEnvelopes}). */
    private final boolean direct;
    /** Per list class: whether the mapper writes it as {@link PlainValues#listSupportedBy} says. */
    private final ClassValue<Boolean> plainLists = new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> type) {
            return PlainValues.listSupportedBy(mapper, type);
        }
    };

    /** A writer that serializes params and results with {@code mapper}. */
    public MessageWriter(ObjectMapper mapper) {
        this.mapper = mapper;
        this.direct = DirectEnvelopes.supportedBy(mapper);
    }

    /**
     * A request with a numeric id; {@code params} is a list (by position), a map (by name), raw
     * JSON, or {@code null} to leave the member out.
     *
     * @throws IllegalArgumentException if the params cannot be serialized
     */
    public byte[] request(long id, String method, Object params) {
        if (direct && (params == null || params instanceof List<?> values && PlainValues.isPlainList(values))) {
            byte[] written = DirectEnvelopes.request(id, method, (List<?>) params);
            if (written != null) {
                return written;
            }
        }
        EncodingBuffer buffer = EncodingBuffer.start();
        try (JsonGenerator generator = startMessage(mapper, buffer)) {
            generator.writeFieldName(ID);
            writeEnvelopeNumber(generator, id);
            writeCall(generator, method, params);
            generator.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return buffer.toByteArray();
    }

    /**
     * A request with any id, such as one its caller chose; {@code params} as for {@link #request(long, String, Object)}.
     *
     * @throws IllegalArgumentException if the params cannot be serialized
     */
    public byte[] request(Id id, String method, Object params) {
        EncodingBuffer buffer = EncodingBuffer.start();
        try (JsonGenerator generator = startMessage(mapper, buffer)) {
            writeId(generator, id);
            writeCall(generator, method, params);
            generator.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return buffer.toByteArray();
    }

    /**
     * A notification; {@code params} as for {@link #request(long, String, Object)}.
     *
     * @throws IllegalArgumentException if the params cannot be serialized
     */
    public byte[] notification(String method, Object params) {
        EncodingBuffer buffer = EncodingBuffer.start();
        try (JsonGenerator generator = startMessage(mapper, buffer)) {
            writeCall(generator, method, params);
            generator.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return buffer.toByteArray();
    }

    /**
     * A successful response whose result is {@code value}, serialized by {@code resultMapper}
     * straight into it.
     *
     * @throws IllegalArgumentException if {@code value} cannot be serialized
     */
    public byte[] result(Id id, Object value, ObjectMapper resultMapper) {
        if (direct && resultMapper == mapper && isPlainResult(value)) {
            byte[] written = DirectEnvelopes.result(id, value);
            if (written != null) {
                return written;
            }
        }
        EncodingBuffer buffer = EncodingBuffer.start();
        try (JsonGenerator generator = startMessage(resultMapper, buffer)) {
            writeId(generator, id);
            generator.writeFieldName(RESULT);
            try {
                resultMapper.writeValue(generator, value);
            } catch (IOException | RuntimeException e) {
                throw new IllegalArgumentException("cannot serialize " + (value == null ? "null" : value.getClass().getName()) + ": "
                        + e.getMessage(), e);
            }
            generator.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return buffer.toByteArray();
    }

    /** Whether a result is a plain value, or a short list of them of a class the mapper writes as a plain list. */
    private boolean isPlainResult(Object value) {
        if (value instanceof List<?> values) {
            return plainLists.get(values.getClass()) && PlainValues.isPlainList(values);
        }
        return PlainValues.isPlain(value);
    }

    /** One message of the model. */
    public byte[] message(Message message) {
        EncodingBuffer buffer = EncodingBuffer.start();
        try (JsonGenerator generator = mapper.getFactory().createGenerator(buffer)) {
            write(generator, message);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return buffer.toByteArray();
    }

    /**
     * Messages as one batch: a JSON array.
     *
     * @throws IllegalArgumentException if {@code messages} is empty
     */
    public byte[] batch(List<? extends Message> messages) {
        if (messages.isEmpty()) {
            throw new IllegalArgumentException("a batch cannot be empty");
        }
        EncodingBuffer buffer = EncodingBuffer.start();
        try (JsonGenerator generator = mapper.getFactory().createGenerator(buffer)) {
            generator.writeStartArray();
            for (Message message : messages) {
                write(generator, message);
            }
            generator.writeEndArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return buffer.toByteArray();
    }

    /**
     * Texts written by this writer, joined as one batch: a JSON array.
     *
     * @throws IllegalArgumentException if {@code members} is empty
     */
    public byte[] batchOf(List<byte[]> members) {
        if (members.isEmpty()) {
            throw new IllegalArgumentException("a batch cannot be empty");
        }
        int length = members.size() + 1;
        for (byte[] member : members) {
            length += member.length;
        }
        ByteSink sink = new ByteSink(length);
        sink.write('[');
        for (int i = 0; i < members.size(); i++) {
            if (i > 0) {
                sink.write(',');
            }
            sink.write(members.get(i), 0, members.get(i).length);
        }
        sink.write(']');
        return sink.toByteArray();
    }

    /** The method and, unless they are {@code null}, the params of a request or notification. */
    private void writeCall(JsonGenerator generator, String method, Object params) throws IOException {
        writeMethod(generator, method);
        if (params == null) {
            return;
        }
        generator.writeFieldName(PARAMS);
        try {
            if (params instanceof RawJson raw) {
                generator.writeRawValue(new RawJsonText(raw));
            } else if (params instanceof List<?> || params instanceof Map<?, ?> || params.getClass().isArray()) {
                mapper.writeValue(generator, params);
            } else {
                throw new IllegalArgumentException("params must be a list, an array, a map or raw JSON, not " + params.getClass().getName());
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException | RuntimeException e) {
            throw new IllegalArgumentException("cannot serialize the params of '" + method + "': " + e.getMessage(), e);
        }
    }

    /**
     * A generator of {@code generatorMapper} writing into {@code buffer}: the message object is
     * opened and {@code "jsonrpc":"2.0"} written, the other members are left to the caller.
     */
    private static JsonGenerator startMessage(ObjectMapper generatorMapper, EncodingBuffer buffer) throws IOException {
        JsonGenerator generator = generatorMapper.getFactory().createGenerator(buffer);
        writeStart(generator);
        return generator;
    }

    private static void write(JsonGenerator generator, Message message) throws IOException {
        writeStart(generator);
        if (message instanceof Request request) {
            writeId(generator, request.id());
            writeMethod(generator, request.method());
            writeRawField(generator, PARAMS, request.params());
        } else if (message instanceof Notification notification) {
            writeMethod(generator, notification.method());
            writeRawField(generator, PARAMS, notification.params());
        } else if (message instanceof Response response) {
            writeId(generator, response.id());
            if (response.isError()) {
                generator.writeFieldName(ERROR);
                writeError(generator, response.error());
            } else {
                writeRawField(generator, RESULT, response.result());
            }
        } else if (message instanceof InvalidMessage invalid) {
            writeId(generator, invalid.id());
            generator.writeFieldName(ERROR);
            writeError(generator, invalid.error());
        }
        generator.writeEndObject();
    }

    /** Opens a message object and writes {@code "jsonrpc":"2.0"}. */
    private static void writeStart(JsonGenerator generator) throws IOException {
        generator.writeStartObject();
        generator.writeFieldName(JSONRPC);
        generator.writeString(VERSION);
    }

    private static void writeMethod(JsonGenerator generator, String method) throws IOException {
        generator.writeFieldName(METHOD);
        generator.writeString(method);
    }

    private static void writeId(JsonGenerator generator, Id id) throws IOException {
        generator.writeFieldName(ID);
        if (id.isNull()) {
            generator.writeNull();
        } else if (id.isLong()) {
            writeEnvelopeNumber(generator, id.asLong());
        } else if (id.isNumber()) {
            boolean asStrings = generator.isEnabled(JsonGenerator.Feature.WRITE_NUMBERS_AS_STRINGS);
            generator.disable(JsonGenerator.Feature.WRITE_NUMBERS_AS_STRINGS);
            generator.writeNumber(id.numberText());
            generator.configure(JsonGenerator.Feature.WRITE_NUMBERS_AS_STRINGS, asStrings);
        } else {
            generator.writeString(id.asString());
        }
    }

    /**
     * A number of the envelope (an id, an error code) written as a number even by a mapper that
     * writes the numbers of values as strings, so that the peer sees the id it was sent and an
     * integer code.
     */
    private static void writeEnvelopeNumber(JsonGenerator generator, long number) throws IOException {
        if (generator.isEnabled(JsonGenerator.Feature.WRITE_NUMBERS_AS_STRINGS)) {
            generator.disable(JsonGenerator.Feature.WRITE_NUMBERS_AS_STRINGS);
            generator.writeNumber(number);
            generator.enable(JsonGenerator.Feature.WRITE_NUMBERS_AS_STRINGS);
        } else {
            generator.writeNumber(number);
        }
    }

    private static void writeError(JsonGenerator generator, ErrorObject error) throws IOException {
        generator.writeStartObject();
        generator.writeFieldName(CODE);
        writeEnvelopeNumber(generator, error.code());
        generator.writeFieldName(MESSAGE);
        generator.writeString(error.message());
        writeRawField(generator, DATA, error.data());
        generator.writeEndObject();
    }

    private static void writeRawField(JsonGenerator generator, SerializableString name, RawJson value) throws IOException {
        if (value != null) {
            generator.writeFieldName(name);
            generator.writeRawValue(new RawJsonText(value));
        }
    }
}
