package dev.piperpc.queue.internal;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.piperpc.core.codec.MessageReader;
import dev.piperpc.core.message.Id;
import dev.piperpc.queue.BlobStore;
import dev.piperpc.queue.BlobStoreException;
import dev.piperpc.queue.QueueSendException;
import dev.piperpc.queue.QueueWire;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;

/**
 * The claim-check rule of one side of a queue: a JSON text above the threshold goes to the blob
 * store and travels as a pointer ({@link QueueWire#BLOB}); a received pointer is read back before
 * anything else sees the message; the blob is deleted after its message.
 */
public final class ClaimCheck {

    private static final Logger log = LoggerFactory.getLogger(ClaimCheck.class);

    private final BlobStore store;
    private final int threshold;
    private final MessageReader reader = new MessageReader();

    /** A rule with {@code store} ({@code null}: none) for texts above {@code threshold} bytes. */
    public ClaimCheck(BlobStore store, int threshold) {
        if (threshold <= 0 || threshold > QueueWire.MAX_BODY_BYTES - 1024) {
            throw new IllegalArgumentException("blob threshold of " + threshold + " bytes; between 1 and "
                    + (QueueWire.MAX_BODY_BYTES - 1024) + " expected");
        }
        this.store = store;
        this.threshold = threshold;
    }

    /** A body to send and, when it is a pointer, the location of its text. */
    public record Body(String text, String blobLocation) {
    }

    /** Whether this side has a blob store. */
    public boolean hasStore() {
        return store != null;
    }

    /**
     * The body that carries {@code json}: the text itself, or a pointer to where it was stored.
     *
     * @param room the most bytes the body may have beside the message's attributes
     * @throws QueueSendException if it is too big and there is no store, or the store failed
     */
    public Body encode(byte[] json, int room) {
        if (json.length <= Math.min(threshold, room) || (store == null && json.length <= room)) {
            return new Body(new String(json, StandardCharsets.UTF_8), null);
        }
        if (store == null) {
            throw new QueueSendException("a message of " + json.length + " bytes is too big for SQS (at most "
                    + room + " beside its attributes); give both sides a blob store (claim-check) to send it");
        }
        String location;
        try {
            location = store.put(json);
        } catch (BlobStoreException e) {
            throw new QueueSendException("a message of " + json.length + " bytes could not be stored: " + e.getMessage(), e);
        }
        StringBuilder pointer = new StringBuilder(location.length() + 64).append("{\"").append(QueueWire.BLOB).append("\":\"")
                .append(JsonStringEncoder.getInstance().quoteAsString(location)).append("\",\"bytes\":").append(json.length);
        String id = idJson(json);
        if (id != null) {
            pointer.append(",\"id\":").append(id);
        }
        return new Body(pointer.append('}').toString(), location);
    }

    /**
     * The id of the single request or response {@code json} holds, as JSON, so that a receiver
     * that cannot read the stored text can still answer or end that call; {@code null} for a
     * batch, a notification or an id that cannot be read.
     */
    private String idJson(byte[] json) {
        int first = 0;
        while (first < json.length && Character.isWhitespace(json[first])) {
            first++;
        }
        if (first >= json.length || json[first] != '{') {
            return null;
        }
        Id id = reader.peek(json).id();
        if (id == null || id.isNull()) {
            return null;
        }
        if (id.isString()) {
            return "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(id.asString())) + "\"";
        }
        return id.toString();
    }

    /**
     * The id a pointer body carries (the id of the single request or response whose text is
     * stored), or {@code null} if it carries none or is not a pointer.
     */
    public Id pointerId(String body) {
        Id id = reader.peek(body.getBytes(StandardCharsets.UTF_8)).id();
        return id == null || id.isNull() ? null : id;
    }

    /**
     * The JSON text of a received message: its body, or the stored text its pointer names.
     *
     * @param blobLocation the message's {@link QueueWire#BLOB} attribute, or {@code null}
     * @throws BlobStoreException if the text cannot be read, or there is no store to read it from
     */
    public byte[] resolve(String body, String blobLocation) {
        if (blobLocation == null) {
            return body.getBytes(StandardCharsets.UTF_8);
        }
        if (store == null) {
            throw new BlobStoreException("a message's text is stored at " + blobLocation
                    + " and this side has no blob store to read it from");
        }
        return store.get(blobLocation);
    }

    /** Deletes the blob of a message that was deleted (or never sent); failures are logged. */
    public void release(String blobLocation) {
        if (blobLocation == null || store == null) {
            return;
        }
        try {
            store.delete(blobLocation);
        } catch (BlobStoreException e) {
            log.warn("blob {} was not deleted (the store's lifecycle rule will remove it): {}", blobLocation, e.getMessage());
        }
    }
}
