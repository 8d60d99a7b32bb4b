package dev.piperpc.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.util.List;

/**
 * What one run of the tool works with: its standard streams, and the worker command given after
 * {@code --} (empty when there is none), which is never read as options.
 */
record Invocation(InputStream in, PrintStream out, PrintStream err, List<String> workerCommand) {

    Invocation {
        workerCommand = List.copyOf(workerCommand);
    }

    /**
     * The worker command after {@code --}.
     *
     * @throws UsageException if there is none
     */
    List<String> requireWorkerCommand() {
        if (workerCommand.isEmpty()) {
            throw new UsageException("missing the worker command after --");
        }
        return workerCommand;
    }
}
