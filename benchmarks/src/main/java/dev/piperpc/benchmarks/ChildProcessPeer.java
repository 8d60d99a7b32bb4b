package dev.piperpc.benchmarks;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** A peer that starts its worker processes itself with {@link ProcessBuilder}. */
abstract class ChildProcessPeer implements Peer {

    /** The worker processes, in the order they were started. */
    protected final List<Process> processes = new ArrayList<>();

    @Override
    public List<ProcessHandle> workerProcesses() {
        return processes.stream().map(Process::toHandle).toList();
    }

    @Override
    public void close() throws IOException {
        Payload.stopAll(processes);
    }
}
