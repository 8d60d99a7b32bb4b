package dev.piperpc.benchmarks;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The class data archive (AppCDS) of a peer's worker JVM, made once per bench run for the runs
 * with many workers (W5): one worker started with their flags answers echo calls and, as it exits,
 * writes the classes it loaded into the archive; the 64 workers of each run then map those classes
 * instead of each loading, parsing and verifying them again.
 */
final class WorkerArchive {

    private WorkerArchive() {
    }

    /**
     * Makes the archive of {@code peer}'s worker in {@code dir}.
     *
     * @return the archive, or {@code null} if the peer has no Java worker or none could be made
     *         (the workers then start without one, for every peer alike)
     */
    static Path create(String peer, Path dir) {
        if (peer.equals(Bench.RAW_PIPE) || !classPathIsJars()) {
            return null;
        }
        Path file = dir.resolve(peer + ".jsa");
        try (Peer training = RunOne.peer(peer, WorkerJvm.many(null).with("-XX:ArchiveClassesAtExit=" + file,
                // Not a word about the classes it leaves out (generated reflection accessors).
                "-Xlog:cds*=off:stderr"))) {
            training.start(1);
            training.echoEach();
            training.throughput(2_000, 100);
        } catch (Exception e) {
            System.err.println("no class data archive for the " + peer + " worker: " + e);
            return null;
        }
        try {
            return Files.size(file) > 0 ? file : null;
        } catch (IOException e) {
            System.err.println("no class data archive for the " + peer + " worker: " + e);
            return null;
        }
    }

    /** Whether the class path is made of jars alone: the JVM maps no archive made with a directory on its class path. */
    private static boolean classPathIsJars() {
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator)).allMatch(entry -> Files.isRegularFile(Path.of(entry)));
    }
}
