package dev.piperpc.core.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.piperpc.core.message.Id;
import dev.piperpc.core.message.Response;

/** Where the answer to an incoming request goes. */
public interface Answerer {

    /** Sends {@code response}. */
    void answer(Response response);

    /**
     * Sends a successful response whose result is {@code value}. This default serializes the value
     * first; a connection's answerer may serialize it straight into the response instead.
     *
     * @throws IllegalArgumentException if {@code value} cannot be serialized (nothing was sent)
     */
    default void answerValue(Id id, Object value, ObjectMapper mapper) {
        answer(Response.success(id, ErrorMapping.toRaw(value, mapper)));
    }

    /**
     * The request was cancelled by a peer that asked for no answer: nothing is sent unless an
     * answer must be, and then it is {@code cancelled} (-32800).
     */
    void withhold(Response cancelled);
}
