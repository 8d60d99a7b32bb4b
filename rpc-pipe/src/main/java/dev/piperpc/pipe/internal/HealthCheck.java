package dev.piperpc.pipe.internal;

import dev.piperpc.core.Call;
import dev.piperpc.core.CallTimeoutException;
import dev.piperpc.core.Params;
import dev.piperpc.core.internal.DefaultExecutor;
import dev.piperpc.core.internal.Scheduler;
import dev.piperpc.pipe.WorkerEvent;
import dev.piperpc.pipe.WorkerProcess;

import java.time.Duration;

/**
 * Finds workers that are running but dead to the world (hung, stopped, stuck writing) and has
 * them killed, so the supervisor restarts them. Every {@code interval}, a worker that wrote
 * nothing to stdout for that long gets one probe request; an answer of any kind, an error such
 * as "method not found" included, shows that it reads and writes. A worker that stays silent
 * and leaves the probe unanswered for {@code timeout} is killed. Workers that talk are never
 * probed, and a worker whose stdout we stopped reading is never judged.
 *
 * @param method   the probe's method
 * @param interval how often workers are looked at, and the silence that earns a probe
 * @param timeout  how long a probe may go unanswered
 */
public record HealthCheck(String method, Duration interval, Duration timeout) {

    /** Starts looking at the workers of {@code supervisor} until it closes. */
    void start(Supervisor supervisor) {
        schedule(supervisor);
    }

    private void schedule(Supervisor supervisor) {
        Scheduler.instance().schedule(interval.toNanos(), () -> DefaultExecutor.instance().execute(() -> {
            if (!supervisor.isClosing()) {
                supervisor.slots().forEach(slot -> look(supervisor, slot));
                schedule(supervisor);
            }
        }));
    }

    private void look(Supervisor supervisor, PoolSlot slot) {
        WorkerProcess worker = slot.worker;
        Call<?> previous = slot.probe;
        if (worker == null || worker.endpoint().isClosed() || (previous != null && !previous.isDone())
                || worker.silence().compareTo(interval) < 0) {
            return;
        }
        Call<Object> probe;
        try {
            probe = worker.endpoint().send(method, Params.none(), Object.class, timeout);
        } catch (RuntimeException refused) {
            // A full stdin queue or a closing connection: the worker is busy or its end is being handled already.
            return;
        }
        slot.probe = probe;
        probe.whenDone((result, error) -> {
            if (error instanceof CallTimeoutException && slot.worker == worker && worker.silence().compareTo(timeout) >= 0
                    && !supervisor.isClosing()) {
                supervisor.emit(new WorkerEvent(WorkerEvent.Kind.UNRESPONSIVE, slot.name, worker.pid(), null, null,
                        worker + " wrote nothing for " + worker.silence().toMillis() + " ms and left " + method
                                + " unanswered for " + timeout.toMillis() + " ms; killing it"));
                worker.kill();
            }
        });
    }
}
