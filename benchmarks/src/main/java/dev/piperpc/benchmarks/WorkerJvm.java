package dev.piperpc.benchmarks;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * How the Java worker processes of a run are started: the same JVM flags for every peer's workers.
 *
 * @param flags the JVM flags, before the class path
 */
record WorkerJvm(List<String> flags) {

    /** The flags every worker JVM has. */
    private static final List<String> COMMON = List.of("-XX:+UseSerialGC", "-Xss512k", "-Xlog:all=warning:stderr",
            "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");

    /** Workers that have the machine's cores to themselves (1 or 4 of them): full tiered compilation, C2 at steady state. */
    static final WorkerJvm STEADY = new WorkerJvm(concat(COMMON, List.of("-Xmx256m")));

    WorkerJvm {
        flags = List.copyOf(flags);
    }

    /** {@code java <flags> -cp <this class path> <mainClass> <args>}. */
    List<String> command(String mainClass, String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(flags);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass));
        command.addAll(List.of(args));
        return command;
    }

    private static List<String> concat(List<String> first, List<String> second) {
        List<String> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }
}
