package dev.piperpc.pipe;

import dev.piperpc.core.Endpoint;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The worker processes a test started, named w0, w1, ...; all killed and reaped when the test ends. */
final class StartedWorkers {

    private final List<WorkerProcess> started = new ArrayList<>();

    /** Starts {@code command} in {@code mode} with an endpoint built by {@code endpoint}. */
    WorkerProcess start(WorkerCommand command, IoMode mode, Endpoint.Builder endpoint) {
        WorkerProcess worker = WorkerProcess.start("w" + started.size(), command.withIoMode(mode), endpoint);
        started.add(worker);
        return worker;
    }

    /** Kills every worker started and waits for it. */
    void stopAll() {
        for (WorkerProcess worker : started) {
            worker.kill();
            worker.awaitExit(Duration.ofSeconds(10));
        }
    }
}
