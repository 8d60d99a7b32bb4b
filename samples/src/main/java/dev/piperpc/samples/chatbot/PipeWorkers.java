package dev.piperpc.samples.chatbot;

import dev.piperpc.core.Endpoint;
import dev.piperpc.core.Rpc;
import dev.piperpc.pipe.WorkerCommand;
import dev.piperpc.pipe.WorkerEvent;
import dev.piperpc.pipe.WorkerPool;
import dev.piperpc.pipe.WorkerStatus;

import java.util.List;
import java.util.function.Consumer;

/** The bot's jobs on a {@link WorkerPool} of {@link JobWorker} processes on this machine. */
final class PipeWorkers implements Workers {

    private final Consumer<String> say;
    private final WorkerPool pool;

    PipeWorkers(int size, Endpoint.Builder endpoint, List<String> workerCommand, Consumer<String> say) {
        this.say = say;
        this.pool = WorkerPool.builder(WorkerCommand.of(workerCommand).withName("worker")).size(size).endpoint(endpoint)
                .onEvent(this::onWorkerEvent).start();
    }

    @Override
    public Rpc rpc() {
        return pool;
    }

    @Override
    public int parallelism() {
        return pool.size();
    }

    @Override
    public String status() {
        StringBuilder text = new StringBuilder("workers:");
        for (WorkerStatus worker : pool.status()) {
            text.append("\n  ").append(worker.name()).append(worker.alive() ? " pid " + worker.pid() : " restarting")
                    .append(", ").append(worker.inFlight()).append(" in flight, ").append(worker.restarts()).append(" restarts");
        }
        return text.toString();
    }

    /**
     * Crashes are news, told once: the exit says that the worker is restarted (a restart that fails
     * is news of its own). Starts, and the exits at shutdown, are not.
     */
    private void onWorkerEvent(WorkerEvent event) {
        boolean news = switch (event.kind()) {
            case STARTED -> false;
            case EXITED -> !event.exit().requested();
            case START_FAILED, GAVE_UP, UNRESPONSIVE -> true;
        };
        if (news) {
            say.accept(event.reason());
        }
    }

    @Override
    public void close() {
        pool.close();
    }
}
