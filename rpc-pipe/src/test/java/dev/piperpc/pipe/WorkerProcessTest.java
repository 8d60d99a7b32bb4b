package dev.piperpc.pipe;

import dev.piperpc.core.BackpressureException;
import dev.piperpc.core.Call;
import dev.piperpc.core.CompletionQueue;
import dev.piperpc.core.CallTimeoutException;
import dev.piperpc.core.ConnectionClosedException;
import dev.piperpc.core.Endpoint;
import dev.piperpc.core.Params;
import dev.piperpc.core.ProtocolException;
import dev.piperpc.core.RpcException;
import dev.piperpc.core.framing.FrameTooLargeException;
import dev.piperpc.core.message.RawJson;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Real worker processes behind one endpoint each, in both I/O modes. */
@Timeout(120)
class WorkerProcessTest {

    private final StartedWorkers workers = new StartedWorkers();

    @AfterEach
    void stopAll() {
        workers.stopAll();
    }

    private WorkerProcess start(WorkerCommand command, IoMode mode) {
        return workers.start(command, mode, Endpoint.builder());
    }

    private WorkerProcess start(WorkerCommand command, IoMode mode, Endpoint.Builder endpoint) {
        return workers.start(command, mode, endpoint);
    }

    private static long millisSince(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }

    @ParameterizedTest
    @EnumSource(value = IoMode.class, names = {"SELECTOR", "THREADS"})
    void pythonWorkerAnswersOutOfOrder(IoMode mode) {
        WorkerProcess worker = start(Workers.python(), mode);
        CompletionQueue<Object> arrivals = new CompletionQueue<>();
        arrivals.add(worker.endpoint().send("after", Params.of(1), Object.class));
        arrivals.add(worker.endpoint().send("echo", Params.of(1, "fast"), Object.class));
        assertEquals(List.of(1, "fast"), arrivals.take().join(), "the echo overtook the call sent before it");
        assertEquals(1, arrivals.take().join());
    }

    @ParameterizedTest
    @EnumSource(value = IoMode.class, names = {"SELECTOR", "THREADS"})
    void javaWorkerInEveryFraming(IoMode mode) {
        for (String framing : List.of("newline", "lsp", "stream")) {
            WorkerProcess worker = start(Workers.javaWorker(framing), mode);
            assertEquals(List.of(7, "ünïcödé ✓ " + framing), worker.endpoint().call("echo", Params.of(7, "ünïcödé ✓ " + framing), Object.class));
        }
    }

    @ParameterizedTest
    @EnumSource(value = IoMode.class, names = {"SELECTOR", "THREADS"})
    void killedWorkerFailsEveryPendingCallAtOnceWithTheReason(IoMode mode) throws Exception {
        WorkerProcess worker = start(Workers.python(), mode);
        assertEquals(true, worker.endpoint().call("log", Params.of("about to be killed"), Boolean.class));
        List<Call<Long>> pending = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            pending.add(worker.endpoint().send("sleep", Params.of(60_000), Long.class, Duration.ofMinutes(2)));
        }
        Thread.sleep(200);
        long start = System.nanoTime();
        ProcessHandle.of(worker.pid()).orElseThrow().destroyForcibly();
        for (Call<Long> call : pending) {
            ConnectionClosedException error = assertThrows(ConnectionClosedException.class, call::join);
            assertTrue(error.getMessage().contains("w0 (pid " + worker.pid() + ") was killed by signal 9 (SIGKILL)"), error.getMessage());
            assertTrue(error.getMessage().contains("about to be killed"), "names the last stderr lines: " + error.getMessage());
            WorkerExitedException cause = assertInstanceOf(WorkerExitedException.class, error.getCause());
            assertEquals(9, cause.exit().signal());
        }
        assertTrue(millisSince(start) < 5_000, "failed at once, not by timeout: " + millisSince(start) + " ms");
        WorkerExit exit = worker.awaitExit(Duration.ofSeconds(10));
        assertNotNull(exit);
        assertFalse(exit.requested());
    }

    @ParameterizedTest
    @EnumSource(value = IoMode.class, names = {"SELECTOR", "THREADS"})
    void workerThatExitsMidCallNamesItsExitCode(IoMode mode) {
        WorkerProcess worker = start(Workers.python(), mode);
        Call<Long> pending = worker.endpoint().send("sleep", Params.of(60_000), Long.class);
        ConnectionClosedException error = assertThrows(ConnectionClosedException.class,
                () -> worker.endpoint().call("exit", Params.of(3), Object.class));
        assertTrue(error.getMessage().contains("exited with code 3"), error.getMessage());
        assertTrue(error.getMessage().contains("exiting with 3 on request"), error.getMessage());
        assertThrows(ConnectionClosedException.class, pending::join);
        assertEquals(3, worker.awaitExit(Duration.ofSeconds(10)).exitCode());
        assertThrows(ConnectionClosedException.class, () -> worker.endpoint().call("echo", Params.of(1, 2), Object.class));
    }

    @ParameterizedTest
    @EnumSource(value = IoMode.class, names = {"SELECTOR", "THREADS"})
    void garbageIsCountedAndTheConnectionGoesOn(IoMode mode) {
        WorkerProcess worker = start(Workers.javaWorker("newline"), mode);
        assertEquals("after garbage", worker.endpoint().call("garbage", Params.none(), String.class));
        assertEquals(List.of(1, "still fine"), worker.endpoint().call("echo", Params.of(1, "still fine"), Object.class));
        assertEquals(1, worker.endpoint().stats().invalidMessages());
        assertEquals(1, worker.endpoint().stats().unknownResponses());
    }

    @ParameterizedTest
    @EnumSource(value = IoMode.class, names = {"SELECTOR", "THREADS"})
    void halfAFrameThenExitFailsThePendingCall(IoMode mode) {
        WorkerProcess worker = start(Workers.shell("read line; printf '{\"jsonrpc\":\"2.0\",\"id\":1,\"res'; echo 'dying' >&2; exit 4"), mode);
        Call<Object> call = worker.endpoint().send("anything", Params.none(), Object.class, Duration.ofMinutes(1));
        ConnectionClosedException error = assertThrows(ConnectionClosedException.class, call::join);
        assertTrue(error.getMessage().contains("exited with code 4; last stderr: dying"), error.getMessage());
        assertEquals(1, worker.endpoint().stats().invalidMessages(), "the half frame is reported");
    }

    @ParameterizedTest
    @EnumSource(value = IoMode.class, names = {"SELECTOR", "THREADS"})
    void oversizedResponseFailsItsCallAndTheWorkerGoesOn(IoMode mode) {
        WorkerProcess worker = start(Workers.javaWorker("newline").withMaxFrameSize(100_000), mode);
        long start = System.nanoTime();
        ProtocolException error = assertThrows(ProtocolException.class,
                () -> worker.endpoint().call("huge", Params.of(2_000_000), String.class));
        assertTrue(millisSince(start) < 20_000);
        assertTrue(error.getMessage().contains("'huge'") && error.getMessage().contains("maximum frame size of 100000"), error.getMessage());
        assertInstanceOf(FrameTooLargeException.class, error.getCause());
        assertEquals(50_000, worker.endpoint().call("huge", Params.of(50_000), String.class).length());
    }

    @ParameterizedTest
    @EnumSource(value = IoMode.class, names = {"SELECTOR", "THREADS"})
    void aCallThatIsNeverAnsweredTimesOutAndTheWorkerServesOthers(IoMode mode) {
        WorkerProcess worker = start(Workers.python(), mode);
        Call<Long> stuck = worker.endpoint().send("sleep", Params.of(60_000), Long.class, Duration.ofMillis(300));
        assertThrows(CallTimeoutException.class, stuck::join);
        assertEquals(5, worker.endpoint().call("add", Params.of(2, 3), Integer.class));
    }

    @ParameterizedTest
    @EnumSource(value = IoMode.class, names = {"SELECTOR", "THREADS"})
    void aWorkerThatDoesNotReadGetsBackpressureWhileOthersAreServed(IoMode mode) {
        WorkerProcess deaf = start(WorkerCommand.of("sleep", "60").withMaxQueuedBytes(1_000_000), mode);
        WorkerProcess healthy = start(Workers.python(), mode);
        String payload = "y".repeat(10_000);
        BackpressureException refused = null;
        int accepted = 0;
        for (int i = 0; i < 10_000 && refused == null; i++) {
            try {
                deaf.endpoint().notify("data", Params.of(payload));
                accepted++;
            } catch (BackpressureException e) {
                refused = e;
            }
        }
        assertNotNull(refused, "sending was refused at some point");
        assertTrue(refused.getMessage().contains("w0 is not reading its stdin"), refused.getMessage());
        assertTrue(accepted < 200, "bounded: " + accepted + " notifications of 10 kB accepted");
        long start = System.nanoTime();
        assertEquals(5, healthy.endpoint().call("add", Params.of(2, 3), Integer.class));
        assertTrue(millisSince(start) < 5_000);
    }

    @ParameterizedTest
    @EnumSource(value = IoMode.class, names = {"SELECTOR", "THREADS"})
    void spawnFailureIsAClearExceptionFromStart(IoMode mode) {
        WorkerStartException error = assertThrows(WorkerStartException.class,
                () -> start(WorkerCommand.of("no-such-program-piperpc"), mode));
        assertTrue(error.getMessage().contains("cannot start w0 (no-such-program-piperpc)"), error.getMessage());
    }

    @ParameterizedTest
    @EnumSource(value = IoMode.class, names = {"SELECTOR", "THREADS"})
    void workersCallTheManagerAndSendNotificationsUp(IoMode mode) throws InterruptedException {
        LinkedBlockingQueue<String> progress = new LinkedBlockingQueue<>();
        Endpoint.Builder manager = Endpoint.builder()
                .handler("question", request -> "42 for " + request.params())
                .handler("progress", request -> progress.add(request.params().toString()));
        WorkerProcess worker = start(Workers.python(), mode, manager);
        RawJson answer = worker.endpoint().call("ask", Params.of("question", "life"), RawJson.class);
        assertEquals("{\"manager said\":\"42 for [\\\"life\\\"]\"}", answer.toString());
        assertEquals("done", worker.endpoint().call("progress", Params.of(3), String.class));
        assertEquals("{\"step\":0}", progress.poll(10, TimeUnit.SECONDS));
        assertEquals("{\"step\":1}", progress.poll(10, TimeUnit.SECONDS));
        assertEquals("{\"step\":2}", progress.poll(10, TimeUnit.SECONDS));
    }

    @ParameterizedTest
    @EnumSource(value = IoMode.class, names = {"SELECTOR", "THREADS"})
    void stderrIsKeptAndDirectoryAndEnvironmentAreSet(IoMode mode) throws Exception {
        Path directory = Files.createTempDirectory("piperpc-worker");
        WorkerProcess worker = start(Workers.python().withDirectory(directory)
                .withEnvironment(Map.of("PIPERPC_TEST", "set by the manager")), mode);
        assertEquals(directory.toRealPath().toString(), worker.endpoint().call("cwd", Params.none(), String.class));
        assertEquals("set by the manager", worker.endpoint().call("env", Params.of("PIPERPC_TEST"), String.class));
        worker.endpoint().call("log", Params.of("line one"), Boolean.class);
        worker.endpoint().call("log", Params.of("line two"), Boolean.class);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (worker.recentStderr().size() < 2 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(List.of("line one", "line two"), worker.recentStderr());
    }

    @ParameterizedTest
    @EnumSource(value = IoMode.class, names = {"SELECTOR", "THREADS"})
    void closeLetsTheWorkerExitCleanly(IoMode mode) {
        WorkerProcess worker = start(Workers.python(), mode);
        assertEquals(3, worker.endpoint().call("add", Params.of(1, 2), Integer.class));
        worker.close();
        WorkerExit exit = worker.awaitExit(Duration.ofSeconds(1));
        assertTrue(exit.isClean(), exit.describe());
        assertFalse(worker.isAlive());
    }

    @Test
    void closeEscalatesToSigtermForAWorkerThatIgnoresItsStdin() {
        WorkerProcess worker = start(WorkerCommand.of("sleep", "60").withShutdownGrace(Duration.ofMillis(300)), IoMode.SELECTOR);
        long start = System.nanoTime();
        worker.close();
        WorkerExit exit = worker.awaitExit(Duration.ofSeconds(1));
        assertEquals(15, exit.signal(), exit.describe());
        assertTrue(millisSince(start) < 5_000);
    }

    @Test
    void aJsonRpcErrorFromTheWorkerIsAnRpcException() {
        WorkerProcess worker = start(Workers.python(), IoMode.SELECTOR);
        RpcException error = assertThrows(RpcException.class, () -> worker.endpoint().call("fail", Params.of("boom"), Object.class));
        assertEquals(-32000, error.code());
        assertEquals("boom", error.error().message());
    }
}
