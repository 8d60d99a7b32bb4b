package dev.piperpc.queue;

import dev.piperpc.core.PiperpcException;

/** A blob could not be stored, read or deleted, or its location is not the store's. */
public final class BlobStoreException extends PiperpcException {
    /** An exception with a message. */
    public BlobStoreException(String message) {
        super(message);
    }

    /** An exception with a message and what the file system or S3 reported. */
    public BlobStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
