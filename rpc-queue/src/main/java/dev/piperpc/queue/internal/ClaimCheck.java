package dev.piperpc.queue.internal;

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
        return new Body("{\"" + QueueWire.BLOB + "\":\"" + location.replace("\\", "\\\\").replace("\"", "\\\"")
                + "\",\"bytes\":" + json.length + "}", location);
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
