package dev.piperpc.queue;

import dev.piperpc.core.Call;
import dev.piperpc.core.Endpoint;
import dev.piperpc.core.Params;
import dev.piperpc.core.RpcException;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Claim-check end to end: a real {@link QueueClient} and a real worker process
 * ({@link QueueTestWorker} with {@code PIPERPC_BLOB_STORE}), through a file store and through an S3
 * store (S3Proxy), against the embedded SQS server.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class QueueClaimCheckTest {

    private static final long PATIENCE_MILLIS = 45_000;
    private static final int FIVE_MIB = 5 * 1024 * 1024;

    private static EmbeddedSqs server;
    private static SqsClient sqs;
    private static S3Proxy s3proxy;
    private static S3Client s3;

    private final String prefix = "claim-reply-" + UUID.randomUUID().toString().substring(0, 8) + "-";
    private final List<String> queues = new ArrayList<>();
    private final List<QueueClient> clients = new ArrayList<>();
    private final List<Process> workers = new ArrayList<>();

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception {
        server = EmbeddedSqs.get();
        sqs = server.client();
        s3proxy = S3Proxy.builder().blobStore(new TransientNio2BlobStore())
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, "test", "test")
                .endpoint(URI.create("http://127.0.0.1:0")).build();
        s3proxy.start();
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!"STARTED".equals(s3proxy.getState()) && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        s3 = S3Client.builder().httpClient(UrlConnectionHttpClient.create())
                .endpointOverride(URI.create("http://127.0.0.1:" + s3proxy.getPort()))
                .region(Region.US_EAST_1).forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .build();
        s3.createBucket(b -> b.bucket("claims"));
    }

    @AfterAll
    static void stop() throws Exception {
        sqs.close();
        s3.close();
        s3proxy.stop();
    }

    @AfterEach
    void cleanUp() throws InterruptedException {
        clients.forEach(QueueClient::closeNow);
        workers.forEach(Process::destroyForcibly);
        for (Process worker : workers) {
            worker.waitFor(10, TimeUnit.SECONDS);
        }
        queues.forEach(queue -> sqs.deleteQueue(b -> b.queueUrl(queue)));
        for (String url : sqs.listQueues(b -> b.queueNamePrefix(prefix)).queueUrls()) {
            sqs.deleteQueue(b -> b.queueUrl(url));
        }
    }

    @Test
    void fiveMiBOfParamsAndOfResultTravelThroughAFileStoreAndLeaveNoBlobBehind() throws Exception {
        Path blobs = dir.resolve("blobs");
        String requests = queue();
        startWorker(requests, "file:" + blobs);
        Counting store = new Counting(new FileBlobStore(blobs));
        QueueClient rpc = client(requests, b -> b.blobStore(store));

        String text = randomText(FIVE_MIB);
        assertEquals(text, rpc.call("echo", Params.of(text), String.class), "5 MiB there and back");
        String repeated = rpc.call("repeat", Params.of("ab", 400_000), String.class);
        assertEquals("ab".repeat(400_000), repeated, "a large result of a small request");
        assertEquals("small", rpc.call("echo", Params.of("small"), String.class), "a small text travels as itself");

        await(() -> count(blobs) == 0, "every blob deleted after its message; left: " + count(blobs));
        assertEquals(1, store.puts, "the manager stored the 5 MiB request");
        assertEquals(2, store.gets, "the manager read both large answers from the store");
        await(() -> store.deletes == 2, "the manager deleted the blobs of both answers");
        assertEquals(0, rpc.stats().unreadableAnswers());
    }

    /** A store that counts what its side asks of it. */
    private static final class Counting implements BlobStore {
        private final BlobStore store;
        volatile int puts;
        volatile int gets;
        volatile int deletes;

        Counting(BlobStore store) {
            this.store = store;
        }

        @Override
        public synchronized String put(byte[] data) {
            puts++;
            return store.put(data);
        }

        @Override
        public synchronized byte[] get(String location) {
            gets++;
            return store.get(location);
        }

        @Override
        public synchronized void delete(String location) {
            deletes++;
            store.delete(location);
        }
    }

    @Test
    void fiveMiBOfParamsAndOfResultTravelThroughAnS3StoreAndLeaveNoBlobBehind() throws Exception {
        String requests = queue();
        startWorker(requests, "s3://claims/piperpc/blobs");
        try (S3BlobStore store = S3BlobStore.of(s3, "claims", "piperpc/blobs")) {
            QueueClient rpc = client(requests, b -> b.blobStore(store));
            String text = randomText(FIVE_MIB);
            Call<String> echoed = rpc.send("echo", Params.of(text), String.class);
            assertEquals(text, echoed.join(Duration.ofMillis(PATIENCE_MILLIS)), "5 MiB there and back");
            await(() -> s3.listObjectsV2(b -> b.bucket("claims").prefix("piperpc/blobs/")).keyCount() == 0,
                    "every blob deleted from the S3 prefix");
        }
    }

    @Test
    void aPointerWhoseTextIsGoneEndsItsCallWithAClearErrorAndSoDoesOneThisSideCannotRead() throws Exception {
        Path blobs = dir.resolve("blobs");
        String requests = queue();
        QueueClient rpc = client(requests, b -> b.blobStore(new FileBlobStore(blobs))
                .endpoint(Endpoint.builder().defaultTimeout(Duration.ofMillis(PATIENCE_MILLIS))));
        // No worker yet: the request waits on the queue while its blob is deleted.
        Call<String> call = rpc.send("echo", Params.of("y".repeat(600 * 1024)), String.class);
        await(() -> count(blobs) == 1, "the request's text stored");
        try (Stream<Path> files = Files.list(blobs)) {
            for (Path file : files.toList()) {
                Files.delete(file);
            }
        }
        long start = System.nanoTime();
        startWorker(requests, "file:" + blobs);
        RpcException gone = assertThrows(RpcException.class, () -> call.join(Duration.ofMillis(PATIENCE_MILLIS)));
        assertTrue(gone.getMessage().contains("blob store") && gone.getMessage().contains("is gone"), gone.getMessage());
        assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) < PATIENCE_MILLIS, "not a timeout");

        // An answer stored by the worker, for a manager that has no store to read it from.
        QueueClient storeless = client(requests, b -> b);
        RpcException unreadable = assertThrows(RpcException.class,
                () -> storeless.call("repeat", Params.of("z", 400_000), String.class));
        assertTrue(unreadable.getMessage().contains("no blob store"), unreadable.getMessage());
        assertEquals(1, storeless.stats().unreadableAnswers());
    }

    // ---------------------------------------------------------------- helpers

    private static String randomText(int length) {
        Random random = new Random(11);
        char[] chars = new char[length];
        for (int i = 0; i < length; i++) {
            chars[i] = (char) ('a' + random.nextInt(26));
        }
        return new String(chars);
    }

    private String queue() {
        String url = server.newQueue(sqs, "claim-requests", Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "30"));
        queues.add(url);
        return url;
    }

    private QueueClient client(String requests, java.util.function.UnaryOperator<QueueClient.Builder> settings) {
        QueueClient client = settings.apply(QueueClient.builder(requests).sqs(sqs).replyQueuePrefix(prefix)).build();
        clients.add(client);
        return client;
    }

    private void startWorker(String queue, String blobStore) throws IOException {
        ProcessBuilder builder = QueueTestWorker.process(queue, null, 2, server.endpoint(), dir.resolve("worker-" + workers.size() + ".log"));
        builder.environment().put(SqsAcceptorProvider.BLOB_STORE_ENV, blobStore);
        builder.environment().put("AWS_ENDPOINT_URL_S3", "http://127.0.0.1:" + s3proxy.getPort());
        workers.add(builder.start());
    }

    private static long count(Path directory) {
        if (!Files.isDirectory(directory)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(directory)) {
            return files.count();
        } catch (IOException e) {
            return -1;
        }
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(PATIENCE_MILLIS);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("not within " + PATIENCE_MILLIS + " ms: " + what);
            }
            Thread.sleep(20);
        }
    }
}
