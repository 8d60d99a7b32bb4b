package dev.piperpc.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.piperpc.queue.QueueWire;
import dev.piperpc.queue.local.LocalQueueServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The tool's queue commands and --queue/--listen forms, run as processes against a local SQS server (ElasticMQ). */
@Timeout(180)
class CliQueueTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static LocalQueueServer server;
    private static Map<String, String> env;
    private static SqsClient sqs;

    @BeforeAll
    static void startServer() {
        server = LocalQueueServer.start(0);
        env = Map.of("AWS_ENDPOINT_URL_SQS", server.endpoint(), "AWS_REGION", "us-east-1",
                "AWS_ACCESS_KEY_ID", "test", "AWS_SECRET_ACCESS_KEY", "test");
        sqs = SqsClient.builder().httpClient(UrlConnectionHttpClient.create()).endpointOverride(URI.create(server.endpoint()))
                .region(Region.US_EAST_1).credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .build();
    }

    @AfterAll
    static void stopServer() {
        sqs.close();
        server.stop();
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static CliProcess.Result cli(String stdin, String... args) {
        return CliProcess.run(CliProcess.cli(args), stdin, env);
    }

    private static String createQueue(String name, String... options) {
        List<String> args = new ArrayList<>(List.of("queue", "create", name));
        args.addAll(List.of(options));
        CliProcess.Result created = cli("", args.toArray(String[]::new));
        assertEquals(0, created.exitCode(), created.stderr());
        assertEquals(1, created.lines().size(), created.stdout());
        return created.lines().get(0);
    }

    /** A queue made here, with the visibility timeout {@code queue create} gives (30 s), for the tests of the other commands. */
    private static String newQueue(String name) {
        return sqs.createQueue(b -> b.queueName(name).attributes(Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "30"))).queueUrl();
    }

    @Test
    void createPrintsTheUrlOnceAndAgainAndSetsTheRedrivePolicy() throws Exception {
        String name = unique("cli-jobs");
        String url = createQueue(name, "--visibility", "40s", "--dlq-after", "3");
        assertTrue(url.startsWith(server.endpoint()) && url.endsWith("/" + name), url);
        assertEquals(url, createQueue(name, "--visibility", "40s", "--dlq-after", "3"), "creating it again finds it");

        Map<QueueAttributeName, String> attributes = sqs.getQueueAttributes(b -> b.queueUrl(url)
                .attributeNames(QueueAttributeName.VISIBILITY_TIMEOUT, QueueAttributeName.REDRIVE_POLICY)).attributes();
        assertEquals("40", attributes.get(QueueAttributeName.VISIBILITY_TIMEOUT));
        JsonNode redrive = MAPPER.readTree(attributes.get(QueueAttributeName.REDRIVE_POLICY));
        assertEquals(3, redrive.get("maxReceiveCount").asInt());
        assertTrue(redrive.get("deadLetterTargetArn").asText().endsWith(":" + name + "-dlq"), redrive.toString());

        CliProcess.Result badName = cli("", "queue", "create", "no spaces");
        assertEquals(2, badName.exitCode());
        assertTrue(badName.stderr().startsWith("piperpc: a queue name is"), badName.stderr());
        assertFalse(badName.stderr().contains("Exception"), badName.stderr());
        assertEquals(2, cli("", "queue", "create", name, "--dlq-after", "0").exitCode());
        assertEquals(2, cli("", "queue", "create", name, "--visibility", "1500ms").exitCode());
    }

    @Test
    void statsShowsASentMessageAndTheDeadLetterQueue() throws Exception {
        String url = createQueue(unique("cli-stats"), "--dlq-after", "2");
        sqs.sendMessage(b -> b.queueUrl(url).messageBody("{\"jsonrpc\":\"2.0\",\"method\":\"x\"}"));

        CliProcess.Result text = cli("", "queue", "stats", url);
        assertEquals(0, text.exitCode(), text.stderr());
        assertTrue(text.lines().contains("visible:       1"), text.stdout());
        assertTrue(text.lines().contains("in flight:     0"), text.stdout());
        assertTrue(text.lines().contains("dlq visible:   0"), text.stdout());

        CliProcess.Result json = cli("", "queue", "stats", "--json", url);
        assertEquals(0, json.exitCode(), json.stderr());
        JsonNode stats = MAPPER.readTree(json.stdout());
        assertEquals(1, stats.get("visible").asInt());
        assertEquals(0, stats.get("delayed").asInt());
        assertEquals(2, stats.get("dlq").get("maxReceiveCount").asInt());
        assertTrue(stats.get("dlq").get("url").asText().endsWith("-dlq"), stats.toString());

        CliProcess.Result missing = cli("", "queue", "stats", server.endpoint() + "/000000000000/" + unique("nothing"));
        assertEquals(3, missing.exitCode(), missing.stderr());
    }

    @Test
    void callAndSendOverAQueueAnswerAsOverAPipe() throws Exception {
        String url = newQueue(unique("cli-spec"));
        Process worker = CliProcess.start(CliProcess.cli("serve", "spec", "--listen", "sqs:" + url + "?waitSeconds=1"), env);
        CompletableFuture<String> workerErr = drain(worker);
        try {
            CliProcess.Result ok = cli("", "call", "--queue", url, "subtract", "{\"minuend\":42,\"subtrahend\":23}");
            assertEquals(0, ok.exitCode(), ok.stderr());
            assertEquals("19\n", ok.stdout());

            CliProcess.Result error = cli("", "call", "--queue", url, "fail", "[\"no good\"]");
            CliProcess.Result pipeError = CliProcess.run(withWorker(CliProcess.cli("call", "fail", "[\"no good\"]"), CliProcess.specWorker()), "");
            assertEquals(1, error.exitCode(), error.stderr());
            assertEquals("", error.stdout());
            assertEquals(pipeError.stderr().strip(), error.stderr().strip(), "the error object as the pipe form prints it");

            CliProcess.Result late = cli("", "call", "--queue", url, "--timeout", "500ms", "sleep", "[3000]");
            assertEquals(4, late.exitCode(), late.stderr());
            assertTrue(late.stderr().contains("within 500ms"), late.stderr());

            String input = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"subtract\",\"params\":[5,2]}\n"
                    + "[{\"jsonrpc\":\"2.0\",\"id\":\"a\",\"method\":\"get_data\"},{\"jsonrpc\":\"2.0\",\"method\":\"notify_hello\",\"params\":[7]}]\n"
                    + "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"nope\"}\n";
            CliProcess.Result sent = CliProcess.run(CliProcess.cli("send", "--queue", url), input, env);
            assertEquals(0, sent.exitCode(), sent.stderr());
            assertEquals(3, sent.lines().size(), sent.stdout());
            for (String line : sent.lines()) {
                JsonNode response = MAPPER.readTree(line);
                switch (response.get("id").asText()) {
                    case "1" -> assertEquals(3, response.get("result").asInt());
                    case "a" -> assertEquals(MAPPER.readTree("[\"hello\",5]"), response.get("result"));
                    case "3" -> assertEquals(-32601, response.get("error").get("code").asInt());
                    default -> throw new AssertionError(line);
                }
            }
        } finally {
            worker.destroy();
        }
        assertTrue(worker.waitFor(60, TimeUnit.SECONDS), "serve --listen stops on SIGTERM");
        assertEquals(0, worker.exitValue(), workerErr.join());
    }

    @Test
    void bridgeServesAStdioWorkerUnchanged() throws Exception {
        String url = newQueue(unique("cli-bridge"));
        Path python = Path.of("..", "samples", "python", "worker.py").toAbsolutePath().normalize();
        Process bridge = CliProcess.start(CliProcess.cli("bridge", "--listen", "sqs:" + url + "?waitSeconds=1", "--workers", "2", "--", "python3", python.toString()), env);
        CompletableFuture<String> bridgeErr = drain(bridge);
        try {
            CliProcess.Result sum = cli("", "call", "--queue", url, "add", "[1,2]");
            assertEquals(0, sum.exitCode(), sum.stderr() + bridgeErr.getNow(""));
            assertEquals("3", sum.stdout().strip());

            CliProcess.Result missing = cli("", "call", "--queue", url, "nope");
            assertEquals(1, missing.exitCode(), missing.stderr());
            JsonNode error = MAPPER.readTree(missing.stderr().strip());
            assertEquals(-32601, error.get("code").asInt());
            assertEquals("'nope'", error.get("data").asText(), "the worker's own error object: " + error);
        } finally {
            bridge.destroy();
        }
        assertTrue(bridge.waitFor(60, TimeUnit.SECONDS), "bridge stops on SIGTERM");
        assertEquals(0, bridge.exitValue(), bridgeErr.join());
    }

    /** A stdio worker that reports progress on the request's workDoneToken and logs before it answers. */
    private static final String REPORTING_WORKER = String.join("\n",
            "import json, sys",
            "for line in sys.stdin:",
            "    request = json.loads(line)",
            "    token = request['params']['workDoneToken']",
            "    for message in [{'jsonrpc': '2.0', 'method': '$/progress', 'params': {'token': token, 'value': 'half'}},",
            "                    {'jsonrpc': '2.0', 'method': 'window/logMessage', 'params': {'message': 'on ' + token}},",
            "                    {'jsonrpc': '2.0', 'id': request['id'], 'result': 'done ' + token}]:",
            "        sys.stdout.write(json.dumps(message) + '\\n')",
            "    sys.stdout.flush()",
            "");

    @Test
    void aBridgedWorkersProgressReachesTheCallerWhoseTokenItNames(@TempDir Path dir) throws Exception {
        String url = newQueue(unique("cli-bridge-progress"));
        String callerA = newQueue(unique("cli-caller-a"));
        String callerB = newQueue(unique("cli-caller-b"));
        Path worker = java.nio.file.Files.writeString(dir.resolve("reporting.py"), REPORTING_WORKER);
        Process bridge = CliProcess.start(CliProcess.cli("bridge", "--listen", "sqs:" + url + "?waitSeconds=1", "--", "python3",
                worker.toString()), env);
        CompletableFuture<String> bridgeErr = drain(bridge);
        try {
            // One caller at a time: the log line (no token) goes to the only caller with a call running.
            sendRequest(url, callerA, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"work\",\"params\":{\"workDoneToken\":\"a\"}}");
            List<JsonNode> a = receiveUntil(callerA, 3);
            sendRequest(url, callerB, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"work\",\"params\":{\"workDoneToken\":\"b\"}}");
            List<JsonNode> b = receiveUntil(callerB, 3);
            for (var entry : Map.of("a", a, "b", b).entrySet()) {
                String token = entry.getKey();
                List<String> seen = entry.getValue().stream().map(JsonNode::toString).sorted().toList();
                assertEquals(List.of("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":\"done " + token + "\"}",
                        "{\"jsonrpc\":\"2.0\",\"method\":\"$/progress\",\"params\":{\"token\":\"" + token + "\",\"value\":\"half\"}}",
                        "{\"jsonrpc\":\"2.0\",\"method\":\"window/logMessage\",\"params\":{\"message\":\"on " + token + "\"}}"),
                        seen, bridgeErr.getNow(""));
            }
        } finally {
            bridge.destroy();
        }
        assertTrue(bridge.waitFor(60, TimeUnit.SECONDS), "bridge stops on SIGTERM");
    }

    private static void sendRequest(String queue, String replyTo, String body) {
        sqs.sendMessage(b -> b.queueUrl(queue).messageBody(body).messageAttributes(Map.of("piperpc-reply-to",
                software.amazon.awssdk.services.sqs.model.MessageAttributeValue.builder().dataType("String").stringValue(replyTo).build())));
    }

    /** Receives (and deletes) from {@code queue} until {@code count} messages came, 60 s at most. */
    private static List<JsonNode> receiveUntil(String queue, int count) throws Exception {
        List<JsonNode> messages = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (messages.size() < count && System.nanoTime() < deadline) {
            for (var message : sqs.receiveMessage(b -> b.queueUrl(queue).maxNumberOfMessages(10).waitTimeSeconds(1)).messages()) {
                messages.add(MAPPER.readTree(message.body()));
                sqs.deleteMessage(b -> b.queueUrl(queue).receiptHandle(message.receiptHandle()));
            }
        }
        assertEquals(count, messages.size(), "messages on " + queue + ": " + messages);
        return messages;
    }

    /** A stdio worker whose "gated" method says it started (a file) and waits for a gate file. */
    private static final String GATED_WORKER = String.join("\n",
            "import json, os, sys, time",
            "for line in sys.stdin:",
            "    request = json.loads(line)",
            "    marker, gate = request['params']",
            "    open(marker, 'w').close()",
            "    while not os.path.exists(gate):",
            "        time.sleep(0.01)",
            "    sys.stdout.write(json.dumps({'jsonrpc': '2.0', 'id': request['id'], 'result': 'through the gate'}) + '\\n')",
            "    sys.stdout.flush()",
            "");

    @Test
    void aBridgeStoppedMidCallAnswersTheCallBeforeItStopsItsWorkers(@TempDir Path dir) throws Exception {
        String url = newQueue(unique("cli-bridge-stop"));
        Path worker = java.nio.file.Files.writeString(dir.resolve("gated.py"), GATED_WORKER);
        Path marker = dir.resolve("started");
        Path gate = dir.resolve("gate");
        Process bridge = CliProcess.start(CliProcess.cli("bridge", "--listen", "sqs:" + url + "?waitSeconds=1", "--", "python3", worker.toString()), env);
        CompletableFuture<String> bridgeErr = drain(bridge);
        Process call = CliProcess.start(CliProcess.cli("call", "--queue", url, "gated",
                MAPPER.writeValueAsString(List.of(marker.toString(), gate.toString()))), env);
        CompletableFuture<String> callOut = CompletableFuture.supplyAsync(() -> readQuietly(call.getInputStream()));
        CompletableFuture<String> callErr = CompletableFuture.supplyAsync(() -> readQuietly(call.getErrorStream()));
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!java.nio.file.Files.exists(marker)) {
                assertTrue(System.nanoTime() < deadline && call.isAlive(), "the worker behind the bridge started the call: " + callErr.getNow(""));
                Thread.sleep(10);
            }
            bridge.destroy();
            // The bridge now waits for its running call, with its worker kept alive.
            java.nio.file.Files.createFile(gate);
            assertTrue(bridge.waitFor(60, TimeUnit.SECONDS), "bridge stops on SIGTERM");
            assertEquals(0, bridge.exitValue(), bridgeErr.join());
            assertTrue(call.waitFor(60, TimeUnit.SECONDS));
            assertEquals(0, call.exitValue(), callErr.join() + bridgeErr.join());
            assertEquals("\"through the gate\"", callOut.join().strip());
        } finally {
            bridge.destroyForcibly();
            call.destroyForcibly();
        }
    }

    @Test
    void sweepDeletesTheReplyQueuesOfDeadManagers() {
        String prefix = unique("cli-sweep").replace('-', '_') + "-";
        String stale = sqs.createQueue(b -> b.queueName(prefix + "dead")
                .tags(Map.of(QueueWire.HEARTBEAT_TAG, Long.toString(System.currentTimeMillis() - 3_600_000)))).queueUrl();
        String alive = sqs.createQueue(b -> b.queueName(prefix + "alive")
                .tags(Map.of(QueueWire.HEARTBEAT_TAG, Long.toString(System.currentTimeMillis())))).queueUrl();

        CliProcess.Result swept = cli("", "queue", "sweep", "--prefix", prefix, "--stale", "5m");
        assertEquals(0, swept.exitCode(), swept.stderr());
        assertEquals(List.of(stale), swept.lines());
        assertThrows(QueueDoesNotExistException.class, () -> sqs.getQueueAttributes(b -> b.queueUrl(stale)));
        sqs.getQueueAttributes(b -> b.queueUrl(alive));

        assertEquals(2, cli("", "queue", "sweep", "--prefix", "no spaces").exitCode());
    }

    @Test
    void queueLocalPrintsItsUrlFirstAndStopsOnSigterm() throws Exception {
        Process local = CliProcess.start(CliProcess.java(LocalQueueServer.class.getName(), "--port", "0"), Map.of());
        CompletableFuture<String> localErr = CompletableFuture.supplyAsync(() -> readQuietly(local.getErrorStream()));
        try {
            BufferedReader stdout = new BufferedReader(new InputStreamReader(local.getInputStream(), StandardCharsets.UTF_8));
            String endpoint = CompletableFuture.supplyAsync(() -> readLine(stdout)).get(90, TimeUnit.SECONDS);
            assertTrue(endpoint != null && endpoint.matches("http://127\\.0\\.0\\.1:\\d+"), endpoint + " " + localErr.getNow(""));

            Map<String, String> localEnv = Map.of("AWS_ENDPOINT_URL_SQS", endpoint, "AWS_REGION", "us-east-1",
                    "AWS_ACCESS_KEY_ID", "test", "AWS_SECRET_ACCESS_KEY", "test");
            CliProcess.Result created = CliProcess.run(CliProcess.cli("queue", "create", "work"), "", localEnv);
            assertEquals(0, created.exitCode(), created.stderr());
            assertEquals(endpoint + "/000000000000/work", created.stdout().strip());
        } finally {
            local.destroy();
        }
        assertTrue(local.waitFor(60, TimeUnit.SECONDS), "queue local stops on SIGTERM");
    }

    @Test
    void aCallAbove256KiBTravelsThroughTheBlobStoreBothWays(@TempDir Path dir) throws Exception {
        String url = newQueue(unique("cli-claims"));
        Path blobs = dir.resolve("blobs");
        Process worker = CliProcess.start(CliProcess.cli("serve", "spec", "--listen", "sqs:" + url + "?waitSeconds=1", "--blob-store", "file:" + blobs), env);
        String big = "b".repeat(600 * 1024);
        try {
            // A command line argument holds at most 128 KiB on Linux: the call runs in this JVM, with
            // the AWS SDK's settings as system properties instead of environment variables.
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
            Map<String, String> properties = Map.of("aws.endpointUrlSqs", server.endpoint(), "aws.region", "us-east-1",
                    "aws.accessKeyId", "test", "aws.secretAccessKey", "test");
            properties.forEach(System::setProperty);
            int code;
            try {
                code = Main.run(new String[] {"call", "--queue", url, "--blob-store", "file:" + blobs, "echo", "[1,\"" + big + "\"]"},
                        InputStream.nullInputStream(), new java.io.PrintStream(out, true, StandardCharsets.UTF_8),
                        new java.io.PrintStream(err, true, StandardCharsets.UTF_8));
            } finally {
                properties.keySet().forEach(System::clearProperty);
            }
            assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
            assertEquals("[1,\"" + big + "\"]", out.toString(StandardCharsets.UTF_8).trim());

            // send reads its messages from stdin, so a large one needs no trick.
            CliProcess.Result sent = CliProcess.run(CliProcess.cli("send", "--queue", url, "--blob-store", "file:" + blobs),
                    "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"echo\",\"params\":[2,\"" + big + "\"]}\n", env);
            assertEquals(0, sent.exitCode(), sent.stderr());
            assertEquals(big, MAPPER.readTree(sent.lines().get(0)).get("result").get(1).asText());

            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (blobCount(blobs) > 0 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertEquals(0, blobCount(blobs), "every blob deleted after its message");

            CliProcess.Result badStore = cli("", "call", "--queue", url, "--blob-store", "ftp://x", "echo", "[1]");
            assertEquals(2, badStore.exitCode(), badStore.stderr());
            assertTrue(badStore.stderr().contains("file:DIR or s3://BUCKET/PREFIX"), badStore.stderr());
            assertEquals(2, cli("", "serve", "spec", "--listen", "sqs:" + url, "--blob-store", "nope").exitCode());
            assertEquals(2, cli("", "call", "--blob-store", "file:" + blobs, "echo", "[1]", "--", "true").exitCode(),
                    "--blob-store is for --queue");
        } finally {
            worker.destroy();
            assertTrue(worker.waitFor(60, TimeUnit.SECONDS), "serve --listen stops on SIGTERM");
        }
    }

    private static long blobCount(Path directory) throws IOException {
        if (!java.nio.file.Files.isDirectory(directory)) {
            return 0;
        }
        try (var files = java.nio.file.Files.list(directory)) {
            return files.count();
        }
    }

    @Test
    void usageErrorsOfTheQueueForms() {
        // Usage errors are found before anything is opened, as CliUsageTest shows for the other forms: in this JVM.
        String url = server.endpoint() + "/000000000000/anything";
        CliProcess.Result both = CliProcess.runInJvm(List.of("call", "--queue", url, "x", "--", "true"));
        assertEquals(2, both.exitCode());
        assertTrue(both.stderr().startsWith("piperpc: give either --queue URL or a worker command"), both.stderr());
        assertEquals(2, CliProcess.runInJvm(List.of("send", "--queue", url, "--workers", "2")).exitCode());
        assertEquals(2, CliProcess.runInJvm(List.of("bridge", "--", "true")).exitCode(), "--listen is required");
        assertEquals(2, CliProcess.runInJvm(List.of("serve", "spec", "--listen", "http://example")).exitCode());
        assertEquals(2, CliProcess.runInJvm(List.of("queue", "frobnicate")).exitCode());
        CliProcess.Result local = CliProcess.runInJvm(List.of("queue", "local"));
        assertEquals(2, local.exitCode());
        assertTrue(local.stderr().contains("own jar"), local.stderr());
        CliProcess.Result help = CliProcess.runInJvm(List.of("--help"));
        assertTrue(help.stdout().contains("piperpc bridge --listen sqs:URL"), help.stdout());
        assertTrue(help.stdout().contains("piperpc queue local|create|stats|sweep"), help.stdout());
    }

    private static List<String> withWorker(List<String> cli, List<String> worker) {
        List<String> command = new ArrayList<>(cli);
        command.add("--");
        command.addAll(worker);
        return command;
    }

    /** Reads a background process's stdout away and collects its stderr, as far as it can be read (for messages). */
    private static CompletableFuture<String> drain(Process process) {
        CompletableFuture.runAsync(() -> readQuietly(process.getInputStream()));
        return CompletableFuture.supplyAsync(() -> readQuietly(process.getErrorStream()));
    }

    private static String readQuietly(InputStream in) {
        StringBuilder text = new StringBuilder();
        byte[] buffer = new byte[8192];
        try {
            for (int n; (n = in.read(buffer)) > 0; ) {
                text.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            // The JDK may close a pipe of an exited process under a reader: what was read is kept.
        }
        return text.toString();
    }

    private static String readLine(BufferedReader reader) {
        try {
            return reader.readLine();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
