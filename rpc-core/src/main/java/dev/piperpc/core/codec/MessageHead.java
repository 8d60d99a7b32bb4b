package dev.piperpc.core.codec;

import dev.piperpc.core.message.Id;

/**
 * What the first bytes of a message tell, as far as they go.
 *
 * @param id       the id, or {@code null} if the bytes do not reach a valid one
 * @param request  whether a {@code method} member was seen
 * @param response whether a {@code result} or {@code error} member was seen
 */
public record MessageHead(Id id, boolean request, boolean response) {

    /** Nothing could be read. */
    public static final MessageHead UNKNOWN = new MessageHead(null, false, false);

    /** Whether it is a response: it has a result or error member and no method. */
    public boolean isResponse() {
        return response && !request;
    }
}
