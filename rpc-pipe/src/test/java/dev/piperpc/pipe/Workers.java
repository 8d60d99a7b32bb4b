package dev.piperpc.pipe;

import java.nio.file.Path;
import java.util.List;

/** Commands for the worker programs the tests run. */
final class Workers {

    private Workers() {
    }

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** The Java test worker, with a framing. */
    static WorkerCommand javaWorker(String framing) {
        return WorkerCommand.of(java(), "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                TestWorker.class.getName(), framing).withFraming(dev.piperpc.core.framing.Framing.parse(framing));
    }

    /** The Python standard-library worker of the samples. */
    static WorkerCommand python() {
        return WorkerCommand.of("python3", Path.of("..", "samples", "python", "worker.py").toAbsolutePath().normalize().toString());
    }

    /** A worker of {@code hostile.py} (test resources) in {@code mode}: too much, or half dead. */
    static WorkerCommand hostile(String... modeAndArgs) {
        List<String> argv = new java.util.ArrayList<>(List.of("python3",
                Path.of("src", "test", "resources", "hostile.py").toAbsolutePath().toString()));
        argv.addAll(List.of(modeAndArgs));
        return WorkerCommand.of(argv).withShutdownGrace(java.time.Duration.ofSeconds(1));
    }

    /** A worker that answers every {@code echo} with its params: sed rewriting the request into a response. */
    static WorkerCommand sedEcho() {
        return WorkerCommand.of("sed", "-u", "s/\"method\":\"echo\",\"params\"/\"result\"/");
    }

    /** A program run through {@code sh -c} for framing edge cases. */
    static WorkerCommand shell(String script) {
        return WorkerCommand.of(List.of("sh", "-c", script));
    }

}
