package dev.piperpc.pipe;

import dev.piperpc.core.BackpressureException;
import dev.piperpc.core.Call;
import dev.piperpc.core.ConnectionClosedException;
import dev.piperpc.core.Params;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(300)
class WorkerPoolTest {

    private static final String TEXT = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_";

    /** Live threads, not counting the JDK's per-child process reaper threads. */
    private static int managerThreads() {
        return (int) Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .filter(thread -> !thread.getName().startsWith("process reaper"))
                .count();
    }

    private static int runCalls(WorkerPool pool, int total, int window) {
        int checked = 0;
        java.util.ArrayDeque<Object[]> expected = new java.util.ArrayDeque<>();
        java.util.ArrayDeque<Call<Object[]>> calls = new java.util.ArrayDeque<>();
        for (int i = 0; i < total; i++) {
            if (calls.size() == window) {
                checked += check(calls.poll(), expected.poll());
            }
            calls.add(pool.send("echo", Params.of(i, TEXT + i), Object[].class));
            expected.add(new Object[] {i, TEXT + i});
        }
        while (!calls.isEmpty()) {
            checked += check(calls.poll(), expected.poll());
        }
        return checked;
    }

    private static int check(Call<Object[]> call, Object[] expected) {
        Object[] result = call.join();
        if (!Arrays.equals(expected, result)) {
            throw new AssertionError("call " + expected[0] + " got " + Arrays.toString(result));
        }
        return 1;
    }

    @Test
    void sixtyFourWorkersServeTwoHundredThousandCallsOnTheSameThreadsAsOne() {
        int threadsWithOne;
        try (WorkerPool one = WorkerPool.builder(Workers.sedEcho()).size(1).start()) {
            assertEquals(2_000, runCalls(one, 2_000, 1_000));
            threadsWithOne = managerThreads();
        }
        try (WorkerPool pool = WorkerPool.builder(Workers.sedEcho()).size(64).start()) {
            assertEquals(200_000, runCalls(pool, 200_000, 1_000));
            int threadsWithSixtyFour = managerThreads();
            assertTrue(threadsWithSixtyFour <= threadsWithOne + 2,
                    "threads with 64 workers: " + threadsWithSixtyFour + ", with 1: " + threadsWithOne);
            Set<Long> pids = new HashSet<>();
            pool.workers().forEach(worker -> pids.add(worker.pid()));
            assertEquals(64, pids.size());
            assertTrue(pool.status().stream().allMatch(status -> status.inFlight() == 0));
        }
    }

    @Test
    void aThousandWorkersStartAndStopWithoutLeakingDescriptorsOrProcesses() throws IOException {
        // Warm up the reactor and the JDK's lazily opened descriptors first.
        try (WorkerPool warmUp = WorkerPool.builder(WorkerCommand.of("cat")).size(2).start()) {
            assertEquals(2, warmUp.workers().size());
        }
        long fdsBefore = openDescriptors();
        for (int round = 0; round < 20; round++) {
            try (WorkerPool pool = WorkerPool.builder(WorkerCommand.of("cat")).size(50).start()) {
                assertEquals(50, pool.workers().size());
            }
        }
        long fdsAfter = openDescriptors();
        assertTrue(fdsAfter <= fdsBefore + 2, "descriptors before: " + fdsBefore + ", after: " + fdsAfter);
        List<ProcessHandle> children = ProcessHandle.current().children().filter(ProcessHandle::isAlive).toList();
        assertEquals(List.of(), children, "no worker left behind");
    }

    private static long openDescriptors() throws IOException {
        try (var entries = Files.list(Path.of("/proc/self/fd"))) {
            return entries.count();
        }
    }

    @Test
    void aCrashedWorkerIsRestartedWithBackoff() throws InterruptedException {
        LinkedBlockingQueue<WorkerEvent> events = new LinkedBlockingQueue<>();
        try (WorkerPool pool = WorkerPool.builder(Workers.python()).size(1)
                .restartBackoff(Duration.ofMillis(50), Duration.ofSeconds(1)).restartJitter(0).onEvent(events::add).start()) {
            assertEquals(WorkerEvent.Kind.STARTED, events.poll(10, TimeUnit.SECONDS).kind());
            long firstPid = pool.call("pid", Params.none(), Long.class);
            assertThrows(ConnectionClosedException.class, () -> pool.call("exit", Params.of(7), Object.class));
            WorkerEvent exited = events.poll(10, TimeUnit.SECONDS);
            assertEquals(WorkerEvent.Kind.EXITED, exited.kind());
            assertEquals(7, exited.exit().exitCode());
            assertEquals(Duration.ofMillis(50), exited.restartDelay());
            WorkerEvent restarted = events.poll(10, TimeUnit.SECONDS);
            assertEquals(WorkerEvent.Kind.STARTED, restarted.kind());
            long secondPid = pool.call("pid", Params.none(), Long.class);
            assertNotEquals(firstPid, secondPid);
            assertEquals(1, pool.status().get(0).restarts());

            assertThrows(ConnectionClosedException.class, () -> pool.call("exit", Params.of(8), Object.class));
            WorkerEvent again = events.poll(10, TimeUnit.SECONDS);
            assertEquals(Duration.ofMillis(100), again.restartDelay(), "the delay doubles after a quick failure");
        }
    }

    @Test
    void callsGoToTheWorkerWithFewestInFlight() {
        try (WorkerPool pool = WorkerPool.builder(Workers.python()).size(2).start()) {
            Call<Integer> busy = pool.send("after", Params.of(2), Integer.class);
            long first = pool.call("pid", Params.none(), Long.class);
            long second = pool.call("pid", Params.none(), Long.class);
            assertEquals(first, second, "both go to the idle worker");
            WorkerProcess busyWorker = pool.workers().stream().filter(worker -> worker.pid() != first).findFirst().orElseThrow();
            assertFalse(busy.isDone(), "the busy worker has answered nothing else yet");
            busyWorker.endpoint().call("echo", Params.of(1, 1), Object.class);
            busyWorker.endpoint().call("echo", Params.of(2, 2), Object.class);
            assertEquals(2, busy.join());
        }
    }

    @Test
    void roundRobinTakesWorkersInTurn() {
        try (WorkerPool pool = WorkerPool.builder(Workers.python()).size(3).routing(Routing.ROUND_ROBIN).start()) {
            List<Long> pids = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                pids.add(pool.call("pid", Params.none(), Long.class));
            }
            assertEquals(3, new HashSet<>(pids).size());
            assertEquals(pids.subList(0, 3), pids.subList(3, 6));
        }
    }

    @Test
    void whenEveryWorkerIsAtItsBoundSendWaitsThenFails() {
        try (WorkerPool pool = WorkerPool.builder(WorkerCommand.of("sleep", "60").withShutdownGrace(Duration.ofMillis(200)))
                .size(2).maxInFlightPerWorker(3).acquireTimeout(Duration.ofMillis(300)).closeGrace(Duration.ZERO).start()) {
            for (int i = 0; i < 6; i++) {
                pool.send("never", Params.none(), Object.class);
            }
            long start = System.nanoTime();
            BackpressureException error = assertThrows(BackpressureException.class,
                    () -> pool.send("never", Params.none(), Object.class));
            long waited = (System.nanoTime() - start) / 1_000_000;
            assertTrue(waited >= 250, "waited " + waited + " ms");
            assertTrue(error.getMessage().contains("had 3 calls in flight"), error.getMessage());
            assertEquals(6, pool.inFlight());
        }
    }

    @Test
    void closeLetsRunningCallsFinishThenStopsEveryWorker() {
        WorkerPool pool = WorkerPool.builder(Workers.python()).size(2).start();
        List<WorkerProcess> workers = pool.workers();
        Call<Long> running = pool.send("sleep", Params.of(500), Long.class);
        pool.close(Duration.ofSeconds(10));
        assertEquals(500L, running.join(), "the running call finished during the grace period");
        for (WorkerProcess worker : workers) {
            WorkerExit exit = worker.awaitExit(Duration.ZERO);
            assertNotNull(exit);
            assertTrue(exit.isClean(), exit.describe());
        }
        assertThrows(ConnectionClosedException.class, () -> pool.send("echo", Params.of(1, 2), Object.class));
        assertEquals(List.of(), ProcessHandle.current().children().filter(ProcessHandle::isAlive).toList());
    }
}
