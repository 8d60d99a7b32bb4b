package dev.piperpc.cli;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@code ./piperpc} launcher, run by bash in a copy of the project's layout whose {@code mvn} and
 * {@code java} are stand-ins that write down how they were called: when it builds, and how it starts
 * the tool with its class data archive.
 */
@Timeout(60)
class LauncherTest {

    private static final List<String> MODULES = List.of("rpc-core", "rpc-cli", "samples", "benchmarks", "queue-local", "piperpc-bom");
    private static final List<String> JARS = List.of("rpc-cli/target/piperpc.jar", "samples/target/piperpc-samples.jar",
            "benchmarks/target/piperpc-benchmarks.jar", "queue-local/target/piperpc-queue-local.jar");
    /** A time well before the test: everything starts this old, then each change is made a little after it. */
    private static final Instant START = Instant.now().minusSeconds(3600);

    @TempDir
    Path root;

    private Path bin;

    @BeforeEach
    void layOutTheProject() throws IOException {
        Files.copy(Path.of("..", "piperpc"), root.resolve("piperpc"));
        StringBuilder modules = new StringBuilder();
        for (String module : MODULES) {
            modules.append("    <module>").append(module).append("</module>\n");
            write(root.resolve(module).resolve("pom.xml"), "<project/>\n");
            if (!module.equals("piperpc-bom")) {
                write(root.resolve(module).resolve("src/main/java/Main.java"), "class Main {}\n");
                write(root.resolve(module).resolve("src/test/java/MainTest.java"), "class MainTest {}\n");
            }
        }
        write(root.resolve("pom.xml"), "<project>\n  <modules>\n" + modules + "  </modules>\n</project>\n");
        bin = root.resolve("bin");
        script(bin.resolve("mvn"), "echo build >> \"$LAUNCHER_LOG/builds\"\n"
                + JARS.stream().map(jar -> "mkdir -p \"$(dirname '" + jar + "')\" && touch '" + jar + "'\n").reduce("", String::concat));
        script(bin.resolve("java"), "echo \"$*\" >> \"$LAUNCHER_LOG/java\"\n"
                + "for argument in \"$@\"; do\n"
                + "  case \"$argument\" in -XX:ArchiveClassesAtExit=*)\n"
                + "    if [ \"$TRAINING\" = fail ]; then exit 1; fi\n"
                + "    printf archive > \"${argument#-XX:ArchiveClassesAtExit=}\";;\n"
                + "  esac\n"
                + "done\n");
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.toList()) {
                Files.setLastModifiedTime(file, FileTime.from(START));
            }
        }
    }

    @Test
    void buildsWhenAPomOrAModulesMainSourcesChangeAndOnlyThen() throws Exception {
        assertEquals(1, launch("ok").builds(), "no jars yet: it builds");
        assertEquals(1, launch("ok").builds(), "nothing changed");

        touchAfterTheJars("rpc-core/src/test/java/MainTest.java");
        touchAfterTheJars("nested-worktree/rpc-core/src/main/java/Main.java");
        touchAfterTheJars("rpc-cli/target/classes/src/main/java/Main.java");
        touchAfterTheJars("notes/pom.xml");
        assertEquals(1, launch("ok").builds(), "tests, other trees, target directories and stray poms are not the project's sources");

        int builds = 1;
        for (String input : List.of("samples/pom.xml", "pom.xml", "rpc-core/src/main/java/Main.java", "piperpc-bom/pom.xml",
                "queue-local/src/main/resources/version.properties")) {
            touchAfterTheJars(input);
            assertEquals(++builds, launch("ok").builds(), input + " changed: it builds");
            assertEquals(builds, launch("ok").builds(), "built once for " + input);
        }
    }

    @Test
    void trainsAnArchiveAfterEachBuildAndStartsTheToolWithIt() throws Exception {
        List<String> first = launch("ok").java();
        assertTrue(first.get(0).contains("-XX:ArchiveClassesAtExit="), "the training run comes first: " + first);
        assertTrue(first.get(0).contains("call subtract"), first.get(0));
        assertTrue(first.get(1).contains("-XX:SharedArchiveFile=" + root.resolve("rpc-cli/target/piperpc.jsa")), first.get(1));
        assertTrue(first.get(1).endsWith("-jar " + root.resolve("rpc-cli/target/piperpc.jar") + " --version"), first.get(1));

        List<String> second = launch("ok").java();
        assertEquals(3, second.size(), "no second training: " + second);
        assertTrue(second.get(2).contains("-XX:SharedArchiveFile="), second.get(2));

        List<String> call = launch("ok", "call", "subtract", "[42,23]", "--", "./piperpc", "serve", "spec").java();
        assertTrue(call.get(3).contains("-XX:SharedArchiveFile=") && call.get(3).contains("-XX:TieredStopAtLevel=1"), call.get(3));
        assertFalse(second.get(2).contains("TieredStopAtLevel"), "only call, which ends at once, does without C2: " + second.get(2));

        touchAfterTheJars("rpc-core/src/main/java/Main.java");
        List<String> rebuilt = launch("ok").java();
        assertTrue(rebuilt.get(4).contains("-XX:ArchiveClassesAtExit="), "a new jar, a new archive: " + rebuilt);
    }

    @Test
    void runsWithoutAnArchiveWhenTrainingFailsAndDoesNotRetryUntilTheNextBuild() throws Exception {
        List<String> first = launch("fail").java();
        assertEquals(2, first.size(), first.toString());
        assertFalse(first.get(1).contains("SharedArchiveFile"), first.get(1));
        assertTrue(first.get(1).endsWith("--version"), first.get(1));
        assertFalse(Files.exists(root.resolve("rpc-cli/target/piperpc.jsa")));

        List<String> second = launch("fail").java();
        assertEquals(3, second.size(), "not tried again: " + second);

        touchAfterTheJars("rpc-core/src/main/java/Main.java");
        List<String> rebuilt = launch("ok").java();
        assertTrue(rebuilt.get(3).contains("-XX:ArchiveClassesAtExit="), "tried again after a build: " + rebuilt);
        assertTrue(rebuilt.get(4).contains("-XX:SharedArchiveFile="), rebuilt.get(4));
    }

    @Test
    void demoBenchAndQueueLocalRunFromTheirOwnJars() throws Exception {
        launch("ok");
        for (List<String> args : List.of(List.of("demo", "--help"), List.of("bench", "--help"), List.of("queue", "local", "--help"))) {
            Launch launched = launch("ok", args.toArray(String[]::new));
            String started = launched.java().get(launched.java().size() - 1);
            assertFalse(started.contains("piperpc.jar"), started);
            assertTrue(started.endsWith(" --help") && !started.contains(" " + args.get(0) + " "), started);
        }
    }

    private record Launch(int builds, List<String> java) {
    }

    /** Runs {@code bash piperpc args} (by default {@code --version}); training succeeds unless {@code training} is "fail". */
    private Launch launch(String training, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("bash", root.resolve("piperpc").toString()));
        command.addAll(args.length == 0 ? List.of("--version") : List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(root.toFile()).redirectErrorStream(true);
        builder.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        builder.environment().put("LAUNCHER_LOG", root.toString());
        builder.environment().put("TRAINING", training);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, process.exitValue(), output);
        Path builds = root.resolve("builds");
        Path java = root.resolve("java");
        return new Launch(Files.exists(builds) ? Files.readAllLines(builds).size() : 0,
                Files.exists(java) ? Files.readAllLines(java) : List.of());
    }

    /** Changes {@code file} (making it if need be) after the jars were last built. */
    private void touchAfterTheJars(String file) throws IOException {
        Path path = root.resolve(file);
        if (!Files.exists(path)) {
            write(path, "changed\n");
        }
        Instant jars = Files.getLastModifiedTime(root.resolve(JARS.get(0))).toInstant();
        for (String jar : JARS) {
            Files.setLastModifiedTime(root.resolve(jar), FileTime.from(jars.minusSeconds(60)));
        }
        Files.setLastModifiedTime(path, FileTime.from(jars.minusSeconds(30)));
    }

    private static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    private static void script(Path file, String body) throws IOException {
        write(file, "#!/bin/sh\n" + body);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}
