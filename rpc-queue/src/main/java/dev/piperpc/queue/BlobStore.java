package dev.piperpc.queue;

import java.nio.file.Path;

/**
 * Where message bodies too big for SQS are kept (the claim-check pattern): the sender stores the
 * body and sends only its location; the receiver fetches it before anything else sees the
 * message, so user code always gets the data; the blob is deleted once its message is.
 *
 * <p>A store only hands out, reads and deletes blobs of its own: a location that names anything
 * outside it is refused, so a message cannot make a receiver read or delete other files or objects.
 * Implementations are thread-safe.
 */
public interface BlobStore extends AutoCloseable {

    /**
     * Stores {@code data} under a new name.
     *
     * @return its location, such as {@code file:/shared/blobs/3f2a…} or {@code s3://bucket/prefix/3f2a…}
     * @throws BlobStoreException if it cannot be stored
     */
    String put(byte[] data);

    /**
     * The data stored at {@code location}.
     *
     * @throws BlobStoreException if it is not there, cannot be read, or is not this store's
     */
    byte[] get(String location);

    /**
     * Deletes the blob at {@code location}; deleting one that is gone is not an error.
     *
     * @throws BlobStoreException if it cannot be deleted or is not this store's
     */
    void delete(String location);

    /** Releases what the store holds (its client, if it made one). */
    @Override
    default void close() {
    }

    /**
     * The store a command line names: {@code file:DIR} (a directory every host can reach) or
     * {@code s3://BUCKET[/PREFIX]} (an S3 client configured from the environment, like
     * {@link SqsClients#fromEnvironment()}).
     *
     * @throws IllegalArgumentException for any other form
     * @throws IllegalStateException     for {@code s3://} without the AWS SDK's {@code s3} module
     */
    static BlobStore open(String spec) {
        if (spec.startsWith("file:")) {
            return new FileBlobStore(Path.of(spec.substring("file:".length())));
        }
        if (spec.startsWith("s3://")) {
            try {
                return S3BlobStore.fromEnvironment(spec);
            } catch (NoClassDefFoundError e) {
                throw new IllegalStateException("an s3:// blob store needs software.amazon.awssdk:s3 on the class path", e);
            }
        }
        throw new IllegalArgumentException("unknown blob store '" + spec + "': expected file:DIR or s3://BUCKET/PREFIX");
    }
}
