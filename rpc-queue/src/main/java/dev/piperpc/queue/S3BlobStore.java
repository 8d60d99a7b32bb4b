package dev.piperpc.queue;

import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Blobs as objects in an S3 bucket, under a prefix. Needs {@code software.amazon.awssdk:s3} on the
 * class path (an optional dependency of this module). Give the prefix a lifecycle rule that
 * expires objects after a day or so: it removes the blobs of messages that were never deleted
 * (a crash between sending and deleting, a message left in a dead-letter queue past its retention).
 */
public final class S3BlobStore implements BlobStore {

    private static final Pattern NAME = Pattern.compile("[0-9a-f]{32}\\.blob");

    private final S3Client s3;
    private final boolean ownsClient;
    private final String bucket;
    private final String prefix;

    private S3BlobStore(S3Client s3, boolean ownsClient, String bucket, String prefix) {
        if (bucket.isEmpty()) {
            throw new IllegalArgumentException("an S3 blob store needs a bucket");
        }
        this.s3 = s3;
        this.ownsClient = ownsClient;
        this.bucket = bucket;
        this.prefix = prefix.isEmpty() || prefix.endsWith("/") ? prefix : prefix + "/";
    }

    /**
     * A store in {@code bucket} under {@code prefix} (may be empty) through {@code s3}, which stays
     * the caller's to close.
     */
    public static S3BlobStore of(S3Client s3, String bucket, String prefix) {
        return new S3BlobStore(s3, false, bucket, prefix);
    }

    /**
     * The store named {@code s3://BUCKET[/PREFIX]}, with an S3 client that the AWS SDK configures
     * from the environment (endpoint, region, credentials); closing the store closes it.
     */
    static S3BlobStore fromEnvironment(String spec) {
        String rest = spec.substring("s3://".length());
        int slash = rest.indexOf('/');
        String bucket = slash < 0 ? rest : rest.substring(0, slash);
        String prefix = slash < 0 ? "" : rest.substring(slash + 1);
        S3Client s3 = S3Client.builder().httpClient(UrlConnectionHttpClient.create()).build();
        return new S3BlobStore(s3, true, bucket, prefix);
    }

    @Override
    public String put(byte[] data) {
        String key = prefix + UUID.randomUUID().toString().replace("-", "") + ".blob";
        try {
            s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(data));
        } catch (SdkException e) {
            throw new BlobStoreException("cannot store a blob of " + data.length + " bytes in " + this + ": " + e.getMessage(), e);
        }
        return "s3://" + bucket + "/" + key;
    }

    @Override
    public byte[] get(String location) {
        String key = keyOf(location);
        try {
            return s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
        } catch (NoSuchKeyException e) {
            throw new BlobStoreException("blob " + location + " is gone", e);
        } catch (SdkException e) {
            throw new BlobStoreException("cannot read blob " + location + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void delete(String location) {
        String key = keyOf(location);
        try {
            s3.deleteObject(b -> b.bucket(bucket).key(key));
        } catch (SdkException e) {
            throw new BlobStoreException("cannot delete blob " + location + ": " + e.getMessage(), e);
        }
    }

    /** The key a location of this store names; anything else is refused. */
    private String keyOf(String location) {
        String start = "s3://" + bucket + "/" + prefix;
        if (!location.startsWith(start) || !NAME.matcher(location.substring(start.length())).matches()) {
            throw new BlobStoreException("not a blob location of " + this + ": " + location);
        }
        return location.substring(("s3://" + bucket + "/").length());
    }

    @Override
    public void close() {
        if (ownsClient) {
            s3.close();
        }
    }

    /** For messages: {@code s3://BUCKET/PREFIX}. */
    @Override
    public String toString() {
        return "s3://" + bucket + "/" + prefix;
    }
}
