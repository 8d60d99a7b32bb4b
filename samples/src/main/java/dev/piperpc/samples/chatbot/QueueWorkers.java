package dev.piperpc.samples.chatbot;

import dev.piperpc.core.Endpoint;
import dev.piperpc.core.Rpc;
import dev.piperpc.queue.QueueClient;
import dev.piperpc.queue.local.LocalQueueServer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The bot's jobs behind an SQS request queue, on an SQS-compatible server started in this process:
 * {@link JobWorker} processes started with {@code PIPERPC_LISTEN=sqs:<queue>} take requests from
 * the queue, and a {@link QueueClient} sends them and reads the answers from its reply queue. A
 * worker that dies leaves its job on the queue: after the visibility timeout another worker
 * takes it. Such a worker is started again. The workers stop when the demo ends, however it ends
 * (their stdin, a pipe from the demo, ends with it).
 */
final class QueueWorkers implements Workers {

    /** How long a job taken by a worker that died stays hidden before another worker gets it. */
    private static final int VISIBILITY_SECONDS = 5;
    /** Short polls, so that the demo's workers stop quickly (a stopping worker waits for its poll under way). */
    private static final int POLL_SECONDS = 2;

    private final Consumer<String> say;
    private final List<String> workerCommand;
    private final LocalQueueServer server;
    private final SqsClient sqs;
    private final String requestQueue;
    private final QueueClient client;
    private final List<Process> processes = new ArrayList<>();
    private final int[] restarts;
    private boolean closing;

    QueueWorkers(int size, Endpoint.Builder endpoint, List<String> workerCommand, Consumer<String> say) {
        this.say = say;
        this.workerCommand = workerCommand;
        this.server = LocalQueueServer.start(0);
        this.sqs = SqsClient.builder().httpClient(UrlConnectionHttpClient.create()).endpointOverride(URI.create(server.endpoint()))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("demo", "demo"))).build();
        this.requestQueue = sqs.createQueue(b -> b.queueName("piperpc-demo-jobs")
                .attributes(Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, Integer.toString(VISIBILITY_SECONDS)))).queueUrl();
        this.restarts = new int[size];
        for (int i = 0; i < size; i++) {
            processes.add(null);
            startWorker(i);
        }
        this.client = QueueClient.builder(requestQueue).sqs(sqs).endpoint(endpoint).build();
    }

    private synchronized void startWorker(int index) {
        ProcessBuilder builder = new ProcessBuilder(workerCommand).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        builder.environment().putAll(Map.of("PIPERPC_LISTEN", "sqs:" + requestQueue + "?waitSeconds=" + POLL_SECONDS, "AWS_ENDPOINT_URL_SQS", server.endpoint(),
                "AWS_REGION", "us-east-1", "AWS_ACCESS_KEY_ID", "demo", "AWS_SECRET_ACCESS_KEY", "demo",
                JobWorker.EXIT_WITH_STDIN, "1"));
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start a worker", e);
        }
        // Through this process's System.err, which the bot's terminal shows above the prompt.
        Thread stderr = new Thread(() -> copyStderr(process), "worker-" + index + "-stderr");
        stderr.setDaemon(true);
        stderr.start();
        processes.set(index, process);
        process.onExit().thenAccept(exited -> onExit(index, exited));
    }

    private static void copyStderr(Process process) {
        try (InputStream in = process.getErrorStream()) {
            in.transferTo(System.err);
        } catch (IOException ended) {
            // the worker is gone
        }
    }

    private void onExit(int index, Process exited) {
        synchronized (this) {
            if (closing) {
                return;
            }
            restarts[index]++;
            startWorker(index);
        }
        say.accept("worker-" + index + " (pid " + exited.pid() + ") exited with code " + exited.exitValue()
                + "; a job it was running goes back on the queue for another worker within " + VISIBILITY_SECONDS + " s");
    }

    @Override
    public Rpc rpc() {
        return client;
    }

    @Override
    public int parallelism() {
        return processes.size();
    }

    @Override
    public synchronized String status() {
        StringBuilder text = new StringBuilder("workers (on the queue " + requestQueue + "):");
        for (int i = 0; i < processes.size(); i++) {
            Process process = processes.get(i);
            text.append("\n  worker-").append(i).append(" pid ").append(process.pid()).append(process.isAlive() ? "" : " (exited)")
                    .append(", ").append(restarts[i]).append(" restarts");
        }
        Map<QueueAttributeName, String> depth = sqs.getQueueAttributes(b -> b.queueUrl(requestQueue).attributeNames(
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
        text.append("\nrequest queue: ").append(depth.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)).append(" waiting, ")
                .append(depth.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).append(" taken by workers")
                .append("\nSQS requests so far: ").append(client.stats().sqsRequests());
        return text.toString();
    }

    @Override
    public void close() {
        client.close();
        synchronized (this) {
            closing = true;
        }
        for (Process process : processes) {
            process.destroy();
        }
        for (Process process : processes) {
            try {
                if (!process.waitFor(15, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
        sqs.close();
        server.stop();
    }
}
