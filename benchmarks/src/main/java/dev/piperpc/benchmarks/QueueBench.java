package dev.piperpc.benchmarks;

import dev.piperpc.core.Endpoint;
import dev.piperpc.core.Params;
import dev.piperpc.queue.QueueClient;
import dev.piperpc.queue.QueueClientStats;
import dev.piperpc.queue.QueueWire;
import dev.piperpc.queue.SqsAcceptor;
import dev.piperpc.worker.Worker;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

import java.lang.management.ManagementFactory;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * W7: calls over a queue, an embedded ElasticMQ in this JVM. The same echo calls as the other
 * workloads, as a burst with at most 1,000 outstanding (calls/s) and one at a time (round trip
 * p50 and p99), each with the SQS requests made per call (every API request of both sides, counted
 * at the SQS client). Peers: {@code raw-sdk}, a loop on the AWS SDK doing the same batched sends,
 * receives and deletes with no JSON-RPC library; {@code piperpc}, a {@link QueueClient} and a
 * {@link Worker} listening on the request queue through an {@link SqsAcceptor}, in this JVM.
 */
final class QueueBench {

    /** The peer that is a loop on the AWS SDK alone: the baseline of the queue workloads. */
    static final String RAW_SDK = "raw-sdk";

    /** How many calls the piperpc worker (and its acceptor) holds at once: as many as one raw receive brings. */
    static final int WORKER_CONCURRENCY = 10;
    private static final Duration WARM_UP = Duration.ofSeconds(1);
    private static final Duration QUICK_WARM_UP = Duration.ofMillis(500);

    private QueueBench() {
    }

    /** Whether {@code workload} runs over a queue. */
    static boolean isQueue(Workload workload) {
        return workload == Workload.W7 || workload == Workload.W7L;
    }

    /** One run: starts the server and the peer, warms up, measures {@code workloads}, prints a result line each. */
    static void run(String peerName, List<Workload> workloads, boolean quick) throws Exception {
        SQSRestServer server = SQSRestServerBuilder.withDynamicPort().withInterface("127.0.0.1").start();
        URI endpoint = URI.create("http://127.0.0.1:" + server.waitUntilStarted().localAddress().getPort());
        LongAdder requests = new LongAdder();
        try (QueuePeer peer = peerName.equals(RAW_SDK) ? new RawQueuePeer(endpoint, requests) : new PiperpcQueuePeer(endpoint, requests)) {
            long end = System.nanoTime() + (quick ? QUICK_WARM_UP : WARM_UP).toNanos();
            while (System.nanoTime() < end) {
                peer.burst(1_000, 1_000);
            }
            for (int i = 0; i < 20; i++) {
                peer.once();
            }
            for (Workload workload : workloads) {
                int calls = workload.callsFor(peerName, quick);
                long cpuBefore = RunOne.cpuNanos();
                long requestsBefore = requests.sum();
                double value;
                double p99 = Double.NaN;
                if (workload == Workload.W7) {
                    value = peer.burst(calls, workload.window);
                } else {
                    long[] times = new long[calls];
                    for (int i = 0; i < calls; i++) {
                        long start = System.nanoTime();
                        peer.once();
                        times[i] = System.nanoTime() - start;
                    }
                    Arrays.sort(times);
                    value = times[times.length / 2] / 1e3;
                    p99 = times[(int) (times.length * 0.99)] / 1e3;
                }
                // Requests still under way (long polls) are counted when they return: wait a moment for the burst's last ones.
                Thread.sleep(50);
                double perCall = (requests.sum() - requestsBefore) / (double) calls;
                long cpu = RunOne.cpuNanos() - cpuBefore;
                System.out.printf(Locale.ROOT, "result peer=%s workload=%s value=%.3f p99=%.3f calls=%d cpu_s=%.3f worker_cpu_s=NaN "
                                + "threads=%d own_threads=%d peak_threads=%d rss_mb=%.1f heap_mb=%.1f sqs_requests_per_call=%.3f%n",
                        peerName, workload, value, p99, calls, cpu / 1e9, ManagementFactory.getThreadMXBean().getThreadCount(),
                        RunOne.ownThreads(), ManagementFactory.getThreadMXBean().getPeakThreadCount(), RunOne.peakRssMb(),
                        RunOne.peakHeapMb(), perCall);
                System.err.printf(Locale.ROOT, "%s %s: %s%n  requests since start: %s%n", peerName, workload, peer.describe(),
                        new java.util.TreeMap<>(BY_METHOD));
            }
        }
    }

    /** API requests by method name, over every client of this run, for the log. */
    static final Map<String, LongAdder> BY_METHOD = new ConcurrentHashMap<>();

    /** A client of the server at {@code endpoint} whose every API request adds one to {@code requests}. */
    static SqsClient client(URI endpoint, LongAdder... requests) {
        SqsClient real = SqsClient.builder().httpClient(UrlConnectionHttpClient.create()).endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("bench", "bench"))).build();
        Set<String> notRequests = Set.of("close", "serviceName", "serviceClientConfiguration");
        return (SqsClient) Proxy.newProxyInstance(SqsClient.class.getClassLoader(), new Class<?>[] {SqsClient.class},
                (proxy, method, args) -> {
                    if (method.getDeclaringClass() != Object.class && !notRequests.contains(method.getName())) {
                        BY_METHOD.computeIfAbsent((requests.length > 1 ? "worker." : "") + method.getName(), k -> new LongAdder())
                                .increment();
                        for (LongAdder counter : requests) {
                            counter.increment();
                        }
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    static String newQueue(SqsClient sqs, String name) {
        return sqs.createQueue(b -> b.queueName(name + "-" + System.nanoTime())
                .attributes(Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "30"))).queueUrl();
    }

    /** One way of making echo calls over the queue. */
    interface QueuePeer extends AutoCloseable {
        /** {@code calls} echo calls, at most {@code window} outstanding, every result checked; calls per second. */
        double burst(int calls, int window) throws Exception;

        /** One echo call, waited for and checked. */
        void once() throws Exception;

        /** What the peer counted, for the log. */
        default String describe() {
            return "";
        }

        @Override
        void close();
    }

    /**
     * The AWS SDK alone: the calling thread sends the requests in batches of whatever is allowed
     * out (up to ten per {@code SendMessageBatch}); a responder thread receives up to ten, sends
     * their answers in one batch and deletes them in one batch; a receiver thread on the reply
     * queue receives up to ten, completes them and deletes them in one batch. Bodies are JSON-RPC
     * requests echoed as they are (as {@code cat} does for raw-pipe), with the reply queue as an
     * attribute.
     */
    static final class RawQueuePeer implements QueuePeer {
        private final SqsClient sqs;
        private final String requests;
        private final String replies;
        private final List<Thread> threads = new ArrayList<>();
        private final Set<Long> done = ConcurrentHashMap.newKeySet();
        private final AtomicLong nextId = new AtomicLong();
        private volatile Semaphore window = new Semaphore(0);
        private volatile CountDownLatch remaining = new CountDownLatch(0);
        private volatile boolean closing;

        RawQueuePeer(URI endpoint, LongAdder counter) {
            this.sqs = client(endpoint, counter);
            this.requests = newQueue(sqs, "w7-raw-requests");
            this.replies = newQueue(sqs, "w7-raw-replies");
            threads.add(new Thread(this::respond, "raw-responder"));
            threads.add(new Thread(this::receive, "raw-receiver"));
            threads.forEach(thread -> {
                thread.setDaemon(true);
                thread.start();
            });
        }

        @Override
        public double burst(int calls, int max) throws InterruptedException {
            long start = System.nanoTime();
            run(calls, max);
            return calls / ((System.nanoTime() - start) / 1e9);
        }

        @Override
        public void once() throws InterruptedException {
            run(1, 1);
        }

        private void run(int calls, int max) throws InterruptedException {
            window = new Semaphore(max);
            remaining = new CountDownLatch(calls);
            Map<String, MessageAttributeValue> attributes = Map.of(QueueWire.REPLY_TO,
                    MessageAttributeValue.builder().dataType("String").stringValue(replies).build());
            int sent = 0;
            List<SendMessageBatchRequestEntry> entries = new ArrayList<>(10);
            while (sent < calls) {
                window.acquire();
                int n = 1;
                while (n < 10 && sent + n < calls && window.tryAcquire()) {
                    n++;
                }
                entries.clear();
                for (int k = 0; k < n; k++) {
                    long id = nextId.incrementAndGet();
                    entries.add(SendMessageBatchRequestEntry.builder().id(Integer.toString(k))
                            .messageBody(Payload.rawLine((int) id).trim()).messageAttributes(attributes).build());
                }
                List<SendMessageBatchRequestEntry> batch = List.copyOf(entries);
                sqs.sendMessageBatch(b -> b.queueUrl(requests).entries(batch));
                sent += n;
            }
            if (!remaining.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("raw: " + remaining.getCount() + " answers missing");
            }
        }

        private void respond() {
            while (!closing) {
                try {
                    List<Message> messages = sqs.receiveMessage(b -> b.queueUrl(requests).maxNumberOfMessages(10).waitTimeSeconds(20)
                            .messageAttributeNames("All")).messages();
                    if (messages.isEmpty()) {
                        continue;
                    }
                    List<SendMessageBatchRequestEntry> answers = new ArrayList<>(messages.size());
                    List<DeleteMessageBatchRequestEntry> deletes = new ArrayList<>(messages.size());
                    for (int k = 0; k < messages.size(); k++) {
                        Message message = messages.get(k);
                        answers.add(SendMessageBatchRequestEntry.builder().id(Integer.toString(k)).messageBody(message.body()).build());
                        deletes.add(DeleteMessageBatchRequestEntry.builder().id(Integer.toString(k)).receiptHandle(message.receiptHandle()).build());
                    }
                    String replyTo = messages.get(0).messageAttributes().get(QueueWire.REPLY_TO).stringValue();
                    sqs.sendMessageBatch(b -> b.queueUrl(replyTo).entries(answers));
                    sqs.deleteMessageBatch(b -> b.queueUrl(requests).entries(deletes));
                } catch (RuntimeException e) {
                    if (!closing) {
                        e.printStackTrace();
                    }
                }
            }
        }

        private void receive() {
            while (!closing) {
                try {
                    List<Message> messages = sqs.receiveMessage(b -> b.queueUrl(replies).maxNumberOfMessages(10).waitTimeSeconds(20))
                            .messages();
                    if (messages.isEmpty()) {
                        continue;
                    }
                    List<DeleteMessageBatchRequestEntry> deletes = new ArrayList<>(messages.size());
                    for (int k = 0; k < messages.size(); k++) {
                        Message message = messages.get(k);
                        String body = message.body();
                        int from = body.indexOf("\"id\":") + 5;
                        long id = Long.parseLong(body.substring(from, body.indexOf(',', from)));
                        if (!body.contains(Payload.TEXT)) {
                            throw new IllegalStateException("wrong answer " + body);
                        }
                        if (done.add(id)) {
                            window.release();
                            remaining.countDown();
                        }
                        deletes.add(DeleteMessageBatchRequestEntry.builder().id(Integer.toString(k)).receiptHandle(message.receiptHandle()).build());
                    }
                    sqs.deleteMessageBatch(b -> b.queueUrl(replies).entries(deletes));
                } catch (RuntimeException e) {
                    if (!closing) {
                        e.printStackTrace();
                    }
                }
            }
        }

        @Override
        public void close() {
            closing = true;
        }
    }

    /** piperpc: a {@link QueueClient} and an in-process {@link Worker} of {@link BenchmarkWorker} on an {@link SqsAcceptor}. */
    static final class PiperpcQueuePeer implements QueuePeer {
        private final QueueClient rpc;
        private final SqsAcceptor acceptor;
        private final LongAdder workerRequests = new LongAdder();
        private int next;

        PiperpcQueuePeer(URI endpoint, LongAdder counter) {
            SqsClient sqs = client(endpoint, counter);
            SqsClient workerSqs = client(endpoint, counter, workerRequests);
            String requests = newQueue(sqs, "w7-piperpc-requests");
            // 2 s polls: the queue is busy while measuring, and the acceptor's stop waits for its poll under way.
            acceptor = SqsAcceptor.builder(workerSqs, requests).concurrency(WORKER_CONCURRENCY).pollWait(Duration.ofSeconds(2)).build();
            Thread worker = new Thread(() -> Worker.builder().concurrency(WORKER_CONCURRENCY).shutdownGrace(Duration.ofSeconds(1))
                    .service(new BenchmarkWorker()).listen(acceptor).run(), "w7-worker");
            worker.setDaemon(true);
            worker.start();
            rpc = QueueClient.builder(requests).sqs(sqs).endpoint(Endpoint.builder().defaultTimeout(Duration.ofSeconds(60))).build();
        }

        @Override
        public double burst(int calls, int window) {
            double perSecond = PiperpcPeer.throughput(rpc, next, calls, window);
            next += calls;
            return perSecond;
        }

        @Override
        public void once() {
            int i = next++;
            PiperpcPeer.check(rpc.call("echo", Params.of(i, Payload.TEXT), Object[].class), i);
        }

        @Override
        public String describe() {
            QueueClientStats stats = rpc.stats();
            return "client " + stats + "; worker requests " + workerRequests.sum() + " " + acceptor.stats();
        }

        @Override
        public void close() {
            rpc.closeNow();
        }
    }
}
