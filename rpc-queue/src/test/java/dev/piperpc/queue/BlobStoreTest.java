package dev.piperpc.queue;

import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BlobStoreTest {

    private static S3Proxy s3proxy;
    private static S3Client s3;

    @BeforeAll
    static void startS3() throws Exception {
        s3proxy = S3Proxy.builder().blobStore(new TransientNio2BlobStore())
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, "access", "secret")
                .endpoint(URI.create("http://127.0.0.1:0")).build();
        s3proxy.start();
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!"STARTED".equals(s3proxy.getState()) && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        s3 = S3Client.builder().httpClient(UrlConnectionHttpClient.create())
                .endpointOverride(URI.create("http://127.0.0.1:" + s3proxy.getPort()))
                .region(Region.US_EAST_1).forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("access", "secret")))
                .build();
        s3.createBucket(b -> b.bucket("blobs"));
    }

    @AfterAll
    static void stopS3() throws Exception {
        s3.close();
        s3proxy.stop();
    }

    private static byte[] fiveMiB() {
        byte[] data = new byte[5 * 1024 * 1024];
        new Random(7).nextBytes(data);
        return data;
    }

    @Test
    void aFileStoreKeepsFiveMiBAndDeletesItOnce(@TempDir Path dir) throws Exception {
        FileBlobStore store = new FileBlobStore(dir.resolve("shared"));
        byte[] data = fiveMiB();
        String location = store.put(data);
        assertTrue(location.startsWith("file:"), location);
        assertArrayEquals(data, store.get(location));
        try (var files = Files.list(dir.resolve("shared"))) {
            assertEquals(1, files.count(), "no partial file left behind");
        }
        store.delete(location);
        store.delete(location);
        BlobStoreException gone = assertThrows(BlobStoreException.class, () -> store.get(location));
        assertTrue(gone.getMessage().contains("is gone"), gone.getMessage());
    }

    @Test
    void aFileStoreRefusesLocationsThatAreNotItsOwn(@TempDir Path dir) throws Exception {
        FileBlobStore store = new FileBlobStore(dir.resolve("shared"));
        Path secret = Files.writeString(dir.resolve("secret.txt"), "do not read");
        for (String location : new String[] {secret.toUri().toString(), dir.resolve("shared/../secret.txt").toUri().toString(),
                "file:/etc/passwd", "http://example.com/x.blob", "not a uri at all"}) {
            assertThrows(BlobStoreException.class, () -> store.get(location), location);
            assertThrows(BlobStoreException.class, () -> store.delete(location), location);
        }
        assertTrue(Files.exists(secret));
    }

    @Test
    void anS3StoreKeepsFiveMiBUnderItsPrefixAndDeletesIt() {
        try (S3BlobStore store = S3BlobStore.of(s3, "blobs", "piperpc/claims")) {
            byte[] data = fiveMiB();
            String location = store.put(data);
            assertTrue(location.startsWith("s3://blobs/piperpc/claims/"), location);
            assertArrayEquals(data, store.get(location));
            assertEquals(1, s3.listObjectsV2(b -> b.bucket("blobs").prefix("piperpc/claims/")).keyCount());
            store.delete(location);
            assertEquals(0, s3.listObjectsV2(b -> b.bucket("blobs").prefix("piperpc/claims/")).keyCount());
            assertThrows(BlobStoreException.class, () -> store.get(location));
        }
    }

    @Test
    void anS3StoreRefusesLocationsThatAreNotItsOwn() {
        s3.putObject(b -> b.bucket("blobs").key("other/keep.blob"), software.amazon.awssdk.core.sync.RequestBody.fromString("x"));
        try (S3BlobStore store = S3BlobStore.of(s3, "blobs", "piperpc/claims")) {
            for (String location : new String[] {"s3://blobs/other/keep.blob", "s3://other-bucket/piperpc/claims/0123456789abcdef0123456789abcdef.blob",
                    "s3://blobs/piperpc/claims/../../other/keep.blob", "file:/etc/passwd"}) {
                assertThrows(BlobStoreException.class, () -> store.delete(location), location);
            }
        }
        assertEquals(1, s3.listObjectsV2(b -> b.bucket("blobs").prefix("other/")).keyCount());
    }

    @Test
    void aCommandLineNamesItsStore(@TempDir Path dir) {
        assertTrue(BlobStore.open("file:" + dir) instanceof FileBlobStore);
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> BlobStore.open("ftp://x"));
        assertTrue(unknown.getMessage().contains("expected file:DIR or s3://BUCKET/PREFIX"), unknown.getMessage());
    }
}
