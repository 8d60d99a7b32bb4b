package dev.piperpc.cli;

import dev.piperpc.queue.local.LocalQueueServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Help, version and bad usage of every command. Each command is run in this JVM through
 * {@link Main#run}, the method {@code main} hands the command line to and whose exit code it exits
 * with; what only a process shows (the exit code the JVM ends with, what reaches its stdout and
 * stderr, nothing else on them) is checked on processes, for each kind of outcome.
 */
@Timeout(180)
class CliUsageTest {

    /** Every command and subcommand of piperpc.jar, as typed after {@code piperpc}. */
    private static final List<List<String>> COMMANDS = List.of(List.of(), List.of("call"), List.of("send"), List.of("serve"),
            List.of("bridge"), List.of("queue"), List.of("queue", "local"), List.of("queue", "create"), List.of("queue", "stats"),
            List.of("queue", "sweep"), List.of("mcp"), List.of("mcp", "tools"), List.of("mcp", "call"), List.of("demo"), List.of("bench"));

    /** Runs the command in this JVM as {@code main} does. */
    private static CliProcess.Result cli(List<String> command, String... more) {
        List<String> args = new ArrayList<>(command);
        args.addAll(List.of(more));
        return CliProcess.runInJvm(args);
    }

    /** Runs the command as a process of its own. */
    private static CliProcess.Result process(List<String> command, String... more) {
        List<String> args = new ArrayList<>(command);
        args.addAll(List.of(more));
        return CliProcess.run(CliProcess.cli(args.toArray(String[]::new)), "");
    }

    @Test
    void asProcessesHelpVersionAndBadUsageEndAndPrintAsInTheJvm() {
        // Help and version of a command and of a subcommand: exit code 0, the text on stdout, nothing on stderr.
        for (List<String> command : List.of(List.of("call", "--help"), List.of("queue", "create", "-h"), List.of("--version"),
                List.of("queue", "stats", "-V"))) {
            CliProcess.Result printed = process(command);
            assertEquals(0, printed.exitCode(), command + ": " + printed.stderr());
            assertEquals(cli(command).stdout(), printed.stdout(), command.toString());
            assertEquals("", printed.stderr(), command.toString());
        }
        // Bad usage found by the parser, and by a command: exit code 2, one line on stderr.
        assertUsageError(process(List.of("call", "--wat", "x", "--", "true")), "unknown option --wat");
        assertUsageError(process(List.of("call", "x")), "missing the worker command after --");
    }

    @Test
    void everyCommandPrintsItsHelpOnStdoutAndExitsZero() {
        for (List<String> command : COMMANDS) {
            String usage = "usage: " + String.join(" ", prefixed(command));
            for (String flag : command.size() < 2 ? List.of("--help") : List.of("--help", "-h")) {
                CliProcess.Result help = cli(command, flag);
                assertEquals(0, help.exitCode(), command + " " + flag + ": " + help.stderr());
                assertTrue(help.stdout().startsWith(usage), command + " " + flag + ": " + help.stdout());
                assertTrue(help.stdout().contains("--version"), "the options are listed: " + help.stdout());
                assertEquals("", help.stderr(), command + " " + flag);
            }
        }
        CliProcess.Result overview = cli(List.of("help"));
        assertEquals(0, overview.exitCode(), overview.stderr());
        assertTrue(overview.stdout().contains("commands:") && overview.stdout().contains("bridge"), overview.stdout());
        CliProcess.Result helpOfCall = cli(List.of("help", "call"));
        assertEquals(0, helpOfCall.exitCode(), helpOfCall.stderr());
        assertTrue(helpOfCall.stdout().startsWith("usage: piperpc call"), helpOfCall.stdout());
    }

    @Test
    void everyCommandPrintsTheVersionAndExitsZero() {
        String version = System.getProperty("piperpc.version");
        assertTrue(version != null && !version.isBlank(), "the build passes its version to the tests");
        for (List<String> command : COMMANDS) {
            CliProcess.Result printed = cli(command, "--version");
            assertEquals(0, printed.exitCode(), command + ": " + printed.stderr());
            assertEquals("piperpc " + version, printed.stdout().strip(), command.toString());
        }
        assertEquals("piperpc " + version, cli(List.of(), "-V").stdout().strip());
    }

    @Test
    void badUsageIsOneLineOnStderrAndExitCodeTwo() {
        assertUsageError(cli(List.of("send", "--workers", "0", "--", "true")), "--workers takes a positive number, not 0");
        assertUsageError(cli(List.of("send", "--workers", "many", "--", "true")), "'many' is not an int");
        assertUsageError(cli(List.of("call", "--timeout", "99999999999999d", "x", "--", "true")), "'99999999999999d' is too long");
        assertUsageError(cli(List.of("call", "--timeout=99999999999999999999999ms", "x", "--", "true")), "is too long");
        assertUsageError(cli(List.of("call", "--timeout", "soon", "x", "--", "true")), "'soon' is not a duration");
        assertUsageError(cli(List.of("call", "--timeout", "0s", "x", "--", "true")), "must be positive");
        assertUsageError(cli(List.of("call", "--wat", "x", "--", "true")), "unknown option --wat");
        assertUsageError(cli(List.of("call", "x", "42", "--", "true")), "PARAMS_JSON must be a JSON array or object, not 42");
        assertUsageError(cli(List.of("call", "--", "true")), "METHOD");
        assertUsageError(cli(List.of("call", "x")), "missing the worker command after --");
        assertUsageError(cli(List.of("call", "--framing", "morse", "x", "--", "true")), "unknown framing 'morse'");
        assertUsageError(cli(List.of("bridge", "--", "true")), "--listen");
        assertUsageError(cli(List.of("serve")), "spec|echo");
        assertUsageError(cli(List.of("serve", "spec", "--", "true")), "'serve' takes no worker command after --");
        assertUsageError(cli(List.of("queue", "create")), "NAME");
        assertUsageError(cli(List.of("queue", "stats", "a", "b")), "unexpected argument b");
        assertUsageError(cli(List.of("queue", "frobnicate")), "unknown command 'queue frobnicate'");
        assertUsageError(cli(List.of("frobnicate")), "unknown command 'frobnicate'");
        assertUsageError(cli(List.of("demo", "--script", "x")), "own jar");
        assertUsageError(cli(List.of("mcp")), "expected tools or call");
        assertUsageError(cli(List.of("mcp", "tools")), "missing the worker command after --");
        assertUsageError(cli(List.of("mcp", "tools", "--timeout", "soon", "--", "true")), "'soon' is not a duration");
        assertUsageError(cli(List.of("mcp", "call", "--", "true")), "TOOL");
        assertUsageError(cli(List.of("mcp", "call", "add")), "missing the worker command after --");
        assertUsageError(cli(List.of("mcp", "call", "add", "[1,2]", "--", "true")), "ARGS_JSON must be a JSON object, not '[1,2]'");
        assertUsageError(cli(List.of("mcp", "call", "add", "{\"a\":", "--", "true")), "ARGS_JSON is not JSON");
    }

    @Test
    void noCommandPrintsTheOverviewOnStderrAsBadUsage() {
        for (CliProcess.Result none : List.of(cli(List.of()), process(List.of()))) {
            assertEquals(2, none.exitCode());
            assertEquals("", none.stdout());
            assertTrue(none.stderr().startsWith("usage: piperpc"), none.stderr());
        }
    }

    @Test
    void anOptionValueMayFollowAnEqualsSign() {
        CliProcess.Result silent = process(List.of("call", "--timeout=500ms", "x"), CliProcess.concat(List.of("--"),
                CliTest.SILENT_WORKER.toArray(String[]::new)));
        assertEquals(4, silent.exitCode(), silent.stderr());
        assertTrue(silent.stderr().contains("within 500ms"), "the duration as written: " + silent.stderr());

        CliProcess.Result answered = process(List.of("call", "--framing=lsp", "get_data"), CliProcess.concat(List.of("--"),
                CliProcess.cli("serve", "spec", "--framing=lsp").toArray(String[]::new)));
        assertEquals(0, answered.exitCode(), answered.stderr());
        assertEquals("[\"hello\",5]", answered.stdout().strip());
    }

    @Test
    void queueLocalFromItsOwnJarAnswersHelpVersionAndBadUsageAlike() {
        String main = LocalQueueServer.class.getName();
        CliProcess.Result help = CliProcess.run(CliProcess.java(main, "--help"), "");
        assertEquals(0, help.exitCode(), help.stderr());
        assertTrue(help.stdout().startsWith("usage: piperpc queue local") && help.stdout().contains("--port"), help.stdout());
        CliProcess.Result version = CliProcess.run(CliProcess.java(main, "--version"), "");
        assertEquals(0, version.exitCode(), version.stderr());
        assertEquals("piperpc " + System.getProperty("piperpc.version"), version.stdout().strip());
        assertUsageError(CliProcess.run(CliProcess.java(main, "--port", "70000"), ""), "--port takes a number from 0 to 65535, not 70000");
        assertUsageError(CliProcess.run(CliProcess.java(main, "--port"), ""), "--port");
        assertUsageError(CliProcess.run(CliProcess.java(main, "--wat"), ""), "--wat");
    }

    /** {@code piperpc} and the command, as the usage line names it. */
    private static List<String> prefixed(List<String> command) {
        List<String> words = new ArrayList<>(List.of("piperpc"));
        words.addAll(command);
        return words;
    }

    private static void assertUsageError(CliProcess.Result result, String expected) {
        String stderr = result.stderr();
        assertEquals(2, result.exitCode(), stderr);
        assertEquals("", result.stdout(), "nothing on stdout");
        List<String> lines = stderr.lines().toList();
        assertTrue(lines.size() == 1 || lines.size() == 2, "one line, and perhaps a pointer to --help: " + stderr);
        assertTrue(lines.get(0).startsWith("piperpc: ") && lines.get(0).contains(expected), stderr);
        if (lines.size() == 2) {
            assertTrue(lines.get(1).matches("try 'piperpc( [a-z]+)* --help'"), stderr);
        }
        assertFalse(stderr.contains("Exception") || stderr.contains("\tat "), "no stack trace: " + stderr);
    }
}
