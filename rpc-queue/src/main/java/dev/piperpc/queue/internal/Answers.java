package dev.piperpc.queue.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.piperpc.core.ProtocolMethods;
import dev.piperpc.core.codec.MessageWriter;
import dev.piperpc.core.message.ErrorObject;
import dev.piperpc.core.message.Id;
import dev.piperpc.core.message.Notification;
import dev.piperpc.core.message.RawJson;
import dev.piperpc.core.message.Response;

import java.util.ArrayList;
import java.util.List;

/** Error answers the queue worker writes itself, for requests it does not run. */
final class Answers {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final MessageWriter WRITER = new MessageWriter(MAPPER);

    private Answers() {
    }

    /** One error response for {@code id}. */
    static byte[] error(Id id, int code, String message) {
        return WRITER.message(Response.failure(id, ErrorObject.of(code, message)));
    }

    /** A cancellation of the request {@code id}, as a caller sends it ({@code $/cancelRequest}). */
    static byte[] cancel(Id id) {
        try {
            String json = id.isString() ? MAPPER.writeValueAsString(id.asString()) : id.toString();
            return WRITER.message(new Notification(ProtocolMethods.CANCEL_REQUEST, RawJson.parse("{\"id\":" + json + "}")));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Error responses for {@code ids}: one response, or a batch of them if {@code batch}. */
    static byte[] errors(List<Id> ids, boolean batch, int code, String message) {
        if (!batch && ids.size() == 1) {
            return error(ids.get(0), code, message);
        }
        List<Response> responses = new ArrayList<>();
        for (Id id : ids) {
            responses.add(Response.failure(id, ErrorObject.of(code, message)));
        }
        return WRITER.batch(responses);
    }
}
