package dev.piperpc.queue;

import dev.piperpc.core.Batch;
import dev.piperpc.core.Call;
import dev.piperpc.core.CallTimeoutException;
import dev.piperpc.core.CompletionQueue;
import dev.piperpc.core.Endpoint;
import dev.piperpc.core.Params;
import dev.piperpc.core.ProtocolMethods;
import dev.piperpc.core.RpcException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The point of the project, over SQS: the same {@link dev.piperpc.core.Rpc} calls from a real
 * {@link QueueClient} and the same worker code ({@link QueueTestWorker}, a plain service served by
 * {@code Worker} in its own process, listening through {@code PIPERPC_LISTEN=sqs:...}), against an
 * embedded SQS server.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class QueueEndToEndTest {

    /** Long enough to turn a hang into a failure on a loaded machine, never a timing goal. */
    private static final long PATIENCE_SECONDS = 45;

    /** The typed API of the worker, as a manager declares it. */
    interface Calculator {
        int add(int a, int b);

        CompletableFuture<String> echo(String text);
    }

    private static EmbeddedSqs server;
    private static SqsClient sqs;

    private final String prefix = "e2e-reply-" + UUID.randomUUID().toString().substring(0, 8) + "-";
    private final List<String> queues = new ArrayList<>();
    private final List<QueueClient> clients = new CopyOnWriteArrayList<>();
    private final List<Process> workers = new ArrayList<>();

    @TempDir
    Path dir;

    @BeforeAll
    static void startSqs() {
        server = EmbeddedSqs.get();
        sqs = server.client();
    }

    @AfterAll
    static void closeSqs() {
        sqs.close();
    }

    @AfterEach
    void cleanUp() throws InterruptedException {
        clients.forEach(QueueClient::closeNow);
        for (Process worker : workers) {
            worker.destroyForcibly();
        }
        for (Process worker : workers) {
            worker.waitFor(10, TimeUnit.SECONDS);
        }
        for (String queue : queues) {
            sqs.deleteQueue(b -> b.queueUrl(queue));
        }
        for (String url : sqs.listQueues(b -> b.queueNamePrefix(prefix)).queueUrls()) {
            sqs.deleteQueue(b -> b.queueUrl(url));
        }
    }

    @Test
    void everyCallStyleReachesARealWorker() throws Exception {
        String requests = queue(30);
        startWorker(requests, 4);
        QueueClient rpc = client(requests, b -> b);

        // send and join, sync call
        Call<String> echoed = rpc.send("echo", Params.of("héllo"), String.class);
        assertEquals(3, rpc.call("add", Params.of(1, 2), Integer.class));
        assertEquals("héllo", echoed.join());

        // a callback
        CountDownLatch done = new CountDownLatch(1);
        AtomicReference<Object> seen = new AtomicReference<>();
        rpc.send("add", Params.of(40, 2), Integer.class).whenDone((result, error) -> {
            seen.set(error == null ? result : error);
            done.countDown();
        });
        assertTrue(done.await(PATIENCE_SECONDS, TimeUnit.SECONDS));
        assertEquals(42, seen.get());

        // scatter and gather
        CompletionQueue<Integer> gathered = new CompletionQueue<>();
        for (int i = 0; i < 20; i++) {
            gathered.add(rpc.send("add", Params.of(i, 1000), Integer.class));
        }
        Set<Integer> results = new HashSet<>();
        while (gathered.outstanding() > 0) {
            results.add(gathered.take().join());
        }
        Set<Integer> expected = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            expected.add(i + 1000);
        }
        assertEquals(expected, results);

        // a batch: calls, an error and a notification in one message
        Batch batch = rpc.batch();
        Call<Integer> sum = batch.add("add", Params.of(5, 6), Integer.class);
        Call<String> echo = batch.add("echo", Params.of("x"), String.class);
        Call<String> failed = batch.add("fail", Params.of("in a batch"), String.class);
        batch.notify("set", Params.of("batched", "yes"));
        batch.send();
        assertEquals(11, sum.join());
        assertEquals("x", echo.join());
        assertEquals("in a batch", assertThrows(RpcException.class, failed::join).error().message());

        // a notification, seen through a later call (a standard queue keeps no order: ask until it shows)
        rpc.notify("set", Params.of("notified", "yes"));
        awaitValue(rpc, "notified", "yes");
        awaitValue(rpc, "batched", "yes");

        // a typed proxy
        Calculator calculator = rpc.proxy(Calculator.class);
        assertEquals(5, calculator.add(2, 3));
        assertEquals("hi", calculator.echo("hi").join());

        // the worker's exception, as the caller's RpcException with jsonrpc4j's error data
        RpcException error = assertThrows(RpcException.class, () -> rpc.call("fail", Params.of("boom"), String.class));
        assertEquals(-32000, error.code());
        assertEquals("boom", error.error().message());
        @SuppressWarnings("unchecked")
        Map<String, String> data = error.data(new com.fasterxml.jackson.databind.ObjectMapper(), Map.class);
        assertEquals(IllegalStateException.class.getName(), data.get("exceptionTypeName"));

        // progress notifications come to the reply queue; the client has no handler for them and the call still ends
        assertEquals(3, rpc.call("progress", Params.of(3), Integer.class));

        // a call's own timeout on a slow method; its late answer is ignored
        Path marker = dir.resolve("slow");
        Path gate = dir.resolve("slow-gate");
        long ignoredBefore = rpc.stats().ignoredResponses();
        Call<Integer> slow = rpc.send("work", Params.of(marker.toString(), gate.toString(), 0L), Integer.class, Duration.ofSeconds(2));
        awaitCount(marker, "started", 1);
        assertThrows(CallTimeoutException.class, slow::join);
        // The timeout also sent a cancellation: whether it or the gate reaches the method first, one late
        // answer (the result, or the -32800 of the cancelled call) comes and is ignored.
        Files.createFile(gate);
        Await.until(() -> rpc.stats().ignoredResponses() == ignoredBefore + 1, "the late answer counted as ignored");
        assertEquals("still", rpc.call("echo", Params.of("still"), String.class), "the client goes on");

        assertEquals(0, rpc.stats().endpoint().callsPending());
        stopWorkers();
    }

    @Test
    void progressNotificationsOfAWorkerReachAHandlerOnTheClientsEndpoint() throws Exception {
        String requests = queue(30);
        startWorker(requests, 2);
        int count = 5;
        CountDownLatch allProgress = new CountDownLatch(count);
        Set<Integer> values = java.util.concurrent.ConcurrentHashMap.newKeySet();
        Endpoint.Builder endpoint = Endpoint.builder().defaultTimeout(Duration.ofSeconds(PATIENCE_SECONDS))
                .handler(ProtocolMethods.PROGRESS, request -> {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> params = request.params(Map.class);
                    assertEquals("p", params.get("token"));
                    values.add(((Number) params.get("value")).intValue());
                    allProgress.countDown();
                    return null;
                });
        QueueClient rpc = client(requests, b -> b.endpoint(endpoint));

        assertEquals(count, rpc.call("progress", Params.of(count), Integer.class));
        // A standard queue keeps no order: the notifications may come after the answer.
        assertTrue(allProgress.await(PATIENCE_SECONDS, TimeUnit.SECONDS), "progress seen: " + values);
        assertEquals(Set.of(1, 2, 3, 4, 5), values);
        assertEquals(Duration.ofSeconds(PATIENCE_SECONDS), rpc.defaultCallTimeout(), "the endpoint's timeout is the client's");
        stopWorkers();
    }

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void twoManagersShareTheRequestQueueAndItsWorkers() throws Exception {
        // 3,000 calls: 2 managers x 1,500 over 3 workers (about 7 s); -Dpiperpc.e2e.calls and -Dpiperpc.e2e.workers change it.
        int calls = Integer.getInteger("piperpc.e2e.calls", 1500);
        int workerCount = Integer.getInteger("piperpc.e2e.workers", 3);
        String requests = queue(30);
        for (int w = 0; w < workerCount; w++) {
            startWorker(requests, 8);
        }
        QueueClient[] managers = {client(requests, b -> b), client(requests, b -> b)};
        AtomicIntegerArray[] ends = {new AtomicIntegerArray(calls), new AtomicIntegerArray(calls)};
        List<List<Call<Integer>>> sent = List.of(new ArrayList<>(), new ArrayList<>());

        long start = System.nanoTime();
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int m = 0; m < 2; m++) {
            int manager = m;
            Thread thread = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                // At most 1,000 outstanding per manager, below the client's bound on queued requests.
                Semaphore outstanding = new Semaphore(1000);
                for (int i = 0; i < calls; i++) {
                    int index = i;
                    outstanding.acquireUninterruptibly();
                    Call<Integer> call = managers[manager].send("add", Params.of(i, manager * 100_000), Integer.class);
                    call.whenDone((result, error) -> {
                        ends[manager].incrementAndGet(index);
                        outstanding.release();
                    });
                    sent.get(manager).add(call);
                }
            }, "manager-" + m);
            threads.add(thread);
            thread.start();
        }
        go.countDown();
        for (Thread thread : threads) {
            thread.join(TimeUnit.SECONDS.toMillis(PATIENCE_SECONDS));
        }
        for (int m = 0; m < 2; m++) {
            assertEquals(calls, sent.get(m).size());
            for (int i = 0; i < calls; i++) {
                assertEquals(i + m * 100_000, sent.get(m).get(i).join(Duration.ofSeconds(PATIENCE_SECONDS)), "manager " + m + " call " + i);
            }
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        System.out.println("2 managers x " + calls + " calls over " + workerCount + " worker processes: " + millis + " ms");

        for (int m = 0; m < 2; m++) {
            AtomicIntegerArray ended = ends[m];
            int manager = m;
            Await.until(() -> {
                for (int i = 0; i < calls; i++) {
                    if (ended.get(i) == 0) {
                        return false;
                    }
                }
                return true;
            }, "every callback of manager " + manager + " ran");
            for (int i = 0; i < calls; i++) {
                assertEquals(1, ended.get(i), "manager " + m + " call " + i + " ended once");
            }
            QueueClientStats stats = managers[m].stats();
            assertEquals(calls, stats.endpoint().callsSent(), stats.toString());
            assertEquals(0, stats.endpoint().callsPending(), stats.toString());
            assertEquals(calls, stats.messagesSent(), stats.toString());
            assertEquals(0, stats.messagesNotSent(), stats.toString());
            assertEquals(0, stats.messagesQueued(), stats.toString());
            // a 30 s visibility timeout: nothing is redelivered, so nothing comes twice
            assertEquals(0, stats.ignoredResponses(), stats.toString());
            assertEquals(calls, stats.messagesReceived(), stats.toString());
        }
        awaitEmpty(requests);
        stopWorkers();
    }

    @Test
    void aCallWhoseWorkerIsKilledIsCompletedByAnotherWorkerOnce() throws Exception {
        String requests = queue(2);
        Process first = startWorker(requests, 1);
        QueueClient rpc = client(requests, b -> b.endpoint(Endpoint.builder().defaultTimeout(Duration.ofSeconds(PATIENCE_SECONDS))));
        Path marker = dir.resolve("killed");
        Path gate = dir.resolve("gate");
        AtomicInteger ends = new AtomicInteger();
        Call<Integer> call = rpc.send("work", Params.of(marker.toString(), gate.toString(), 0L), Integer.class);
        call.whenDone((result, error) -> ends.incrementAndGet());

        awaitCount(marker, "started", 1);
        first.destroyForcibly().waitFor();
        Files.createFile(gate);
        startWorker(requests, 1);

        assertEquals(2, call.join(), "the second worker ran it again and answered");
        assertEquals(1, QueueTestWorker.count(marker.toString(), "finished"), "only the second run finished");
        awaitEmpty(requests);
        // one more round trip, so that a second answer of the killed call would have come first
        assertEquals("after", rpc.call("echo", Params.of("after"), String.class));
        assertEquals(1, ends.get(), "the call ended once");
        assertEquals(0, rpc.stats().ignoredResponses(), "answered once");
        assertEquals(1, QueueTestWorker.count(marker.toString(), "finished"));
        stopWorkers();
    }

    @Test
    void closeDeletesTheReplyQueueAndWorkersExitZeroOnSigterm() throws Exception {
        String requests = queue(30);
        startWorker(requests, 2);
        startWorker(requests, 2);
        QueueClient rpc = client(requests, b -> b);
        assertEquals("one", rpc.call("echo", Params.of("one"), String.class));
        String replies = rpc.replyQueueUrl();
        assertTrue(exists(replies));
        rpc.close();
        assertTrue(rpc.isClosed());
        assertFalse(exists(replies), "close deleted the reply queue");
        stopWorkers();
    }

    // ---------------------------------------------------------------- helpers

    private String queue(int visibilitySeconds) {
        String url = server.newQueue(sqs, "e2e-requests",
                Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, Integer.toString(visibilitySeconds)));
        queues.add(url);
        return url;
    }

    private QueueClient client(String requests, UnaryOperator<QueueClient.Builder> settings) {
        QueueClient client = settings.apply(QueueClient.builder(requests).sqs(sqs).replyQueuePrefix(prefix)).build();
        clients.add(client);
        return client;
    }

    private Process startWorker(String queue, int concurrency) throws IOException {
        Process process = QueueTestWorker.process(queue, null, concurrency, server.endpoint(),
                dir.resolve("worker-" + workers.size() + ".log")).start();
        workers.add(process);
        return process;
    }

    /** Sends SIGTERM to the live workers and checks that each exits 0. */
    private void stopWorkers() throws Exception {
        for (int i = 0; i < workers.size(); i++) {
            if (workers.get(i).isAlive()) {
                // Until it listens, a worker has no SIGTERM handler yet and the JVM's default (exit 143) applies.
                Path log = dir.resolve("worker-" + i + ".log");
                Await.until(() -> Files.exists(log) && Files.readString(log).contains("worker listening on"), "worker " + i + " listening");
            }
        }
        List<Process> live = workers.stream().filter(Process::isAlive).toList();
        live.forEach(Process::destroy);
        for (Process worker : live) {
            assertTrue(worker.waitFor(PATIENCE_SECONDS, TimeUnit.SECONDS), "worker " + worker.pid() + " stopped");
            assertEquals(0, worker.exitValue(), "worker " + worker.pid() + " exit value; log in " + dir);
        }
    }

    private static boolean exists(String url) {
        return sqs.listQueues(b -> b.queueNamePrefix(url.substring(url.lastIndexOf('/') + 1))).queueUrls().contains(url);
    }

    private static void awaitValue(QueueClient rpc, String key, String value) throws Exception {
        Await.until(() -> value.equals(rpc.call("get", Params.of(key), String.class)), key + " = " + value);
    }

    private static void awaitCount(Path marker, String line, int count) throws Exception {
        Await.until(() -> QueueTestWorker.count(marker.toString(), line) >= count, count + " '" + line + "' in " + marker);
    }

    private static void awaitEmpty(String queue) throws Exception {
        Await.empty(sqs, queue);
    }
}
