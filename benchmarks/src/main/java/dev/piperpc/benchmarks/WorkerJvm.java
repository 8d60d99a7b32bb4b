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

    /** The flags of {@link #many(Path)} besides the archive, as the results file states them. */
    static final List<String> MANY_FLAGS = List.of("-XX:TieredStopAtLevel=1", "-XX:CICompilerCount=1", "-XX:CompileThresholdScaling=0.1",
            "-Xms16m", "-Xmx64m", "-XX:-UsePerfData");

    WorkerJvm {
        flags = List.copyOf(flags);
    }

    /**
     * Many workers on few cores (W5's 64 on 2): each JVM compiles with C1 alone, on one compiler
     * thread, after a tenth of the usual number of calls, so that it reaches its steady state after
     * tens of calls instead of thousands (64 JVMs each running C2 would keep both cores busy
     * compiling for minutes); a small heap, no perf data file, and the class data archive of the
     * worker's classes when there is one ({@code archive}, or {@code null}).
     */
    static WorkerJvm many(Path archive) {
        List<String> flags = new ArrayList<>(COMMON);
        flags.addAll(MANY_FLAGS);
        if (archive != null) {
            flags.add("-XX:SharedArchiveFile=" + archive);
        }
        return new WorkerJvm(flags);
    }

    /** These flags with {@code more} after them. */
    WorkerJvm with(String... more) {
        return new WorkerJvm(concat(flags, List.of(more)));
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
