package dev.piperpc.samples;

import dev.piperpc.samples.chatbot.ChatBot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The demo as a person sees it in a terminal: it runs in a tmux pane (a real terminal), keys are
 * typed with {@code send-keys} and the screen is read with {@code capture-pane}. Skipped where tmux
 * is not installed.
 */
@Timeout(180)
class ChatBotTerminalTest {

    /** How long a screen may take to show what is awaited: only turns a hang into a failure. */
    private static final long AWAIT_MILLIS = 60_000;
    private static final Pattern STATUS_LINE_1 = Pattern.compile("#1 sleep \\d+ +\\[[= ]+\\] \\d+/\\d+ s");

    private final String server = "piperpc-test-" + UUID.randomUUID();
    private Path script;

    @BeforeEach
    void startTheDemoInATerminal(@TempDir Path dir) throws Exception {
        assumeTrue(tmuxIsInstalled(), "tmux is not installed");
        script = dir.resolve("demo.sh");
        // A terminal type whose capabilities JLine carries itself, so that no terminfo database is needed;
        // tmux emulates it. The pane stays after the demo ends, so that its last words can be read.
        Files.writeString(script, "TERM=screen-256color '" + Path.of(System.getProperty("java.home"), "bin", "java")
                + "' -Xlog:all=warning:stderr -cp '" + System.getProperty("java.class.path") + "' " + ChatBot.class.getName()
                + "\necho \"demo exited with code $?\"\nexec sleep 600\n", StandardCharsets.UTF_8);
        tmux("new-session", "-d", "-x", "120", "-y", "30", "sh " + script);
        awaitScreen(screen -> screen.contains("ready: 2 workers") && promptLine(screen).equals(">"), "the prompt");
    }

    @AfterEach
    void stopTheDemo() throws Exception {
        if (script == null) {
            return;
        }
        try {
            long shell = Long.parseLong(tmux("display-message", "-p", "#{pane_pid}").strip());
            ProcessHandle.of(shell).ifPresent(pane -> pane.descendants().forEach(ProcessHandle::destroyForcibly));
        } finally {
            tmux("kill-server");
        }
    }

    @Test
    void aJobHasOneStatusLineRedrawnInPlaceAndTheTypedLineStaysOnThePrompt() throws Exception {
        type("primes -5", "Enter");
        awaitScreen(screen -> screen.contains("primes needs a whole number from 0 to"), "primes -5 refused");
        type("sleep 3", "Enter");
        String progress = awaitScreen(screen -> screen.contains("queued #1: sleep 3") && STATUS_LINE_1.matcher(screen).find(),
                "the job's status line");
        type("echo still typing");
        awaitScreen(screen -> promptLine(screen).equals("> echo still typing"), "the typed text on the prompt");

        // Each screen until the job ends shows its progress on one line, whatever the progress is.
        List<String> seen = new ArrayList<>(List.of(progress));
        String done = awaitScreen(screen -> {
            seen.add(screen);
            return screen.contains("#1 done: sleep 3 = slept 3 s");
        }, "the job's result");
        for (String screen : seen) {
            assertTrue(countMatches(screen, STATUS_LINE_1) <= 1, "one status line for the job:\n" + screen);
        }
        List<String> statusLines = seen.stream().map(ChatBotTerminalTest::statusLine).filter(line -> !line.isEmpty()).distinct().toList();
        assertTrue(statusLines.size() >= 2, "the status line changed as the job went on: " + statusLines);
        assertEquals(0, countMatches(everything(), STATUS_LINE_1), "no progress left behind:\n" + everything());
        assertTrue(!everything().contains("#1 1/3 s"), "no progress lines in the output:\n" + everything());
        // The result came while a line was being typed: it is above the prompt, and the line is intact.
        assertEquals("> echo still typing", promptLine(done), done);
        assertTrue(done.indexOf("#1 done") < done.indexOf("> echo still typing"), done);

        type("Enter");
        awaitScreen(screen -> screen.contains("] still typing"), "the typed command's answer");
        type("echo raw ", "C-v", "Escape", "[31mred", "Enter");
        String echoed = awaitScreen(screen -> screen.contains("] raw ^[[31mred"), "the control character shown as ^[");
        assertTrue(!echoed.contains("\u001b"), echoed);
    }

    @Test
    void eachRunningJobHasItsOwnLineAndQuitAsksWhatToDoWithThemAndCancelsThem() throws Exception {
        type("sleep 60", "Enter");
        awaitScreen(screen -> STATUS_LINE_1.matcher(screen).find(), "the first job running");
        type("sleep 61", "Enter");
        awaitScreen(screen -> screen.contains("#2 sleep 61"), "the second job's line");
        type("sleep 62", "Enter");
        // The moment the third line shows, the area has grown twice: every job has its own line, once.
        String three = awaitScreen(screen -> screen.contains("#3 sleep 62"), "the third job's line");
        for (String job : List.of("#1 sleep 60  ", "#2 sleep 61  ", "#3 sleep 62  ")) {
            assertEquals(1, three.lines().filter(line -> line.startsWith(job)).count(), job + " once:\n" + three);
        }
        assertEquals(3, three.lines().filter(line -> line.matches("#\\d sleep \\d+  .*")).count(), three);

        type("quit", "Enter");
        String question = "(w)ait for them, (c)ancel them, or (k)eep typing?";
        awaitScreen(screen -> screen.contains("3 jobs are still running.") && promptLine(screen).equals(question), "the question");
        type("k", "Enter");
        awaitScreen(screen -> promptLine(screen).equals(">") && STATUS_LINE_1.matcher(screen).find(), "back at the prompt, the jobs running");
        type("quit", "Enter");
        awaitScreen(screen -> promptLine(screen).equals(question), "the question again");
        type("c", "Enter");
        String end = awaitScreen(screen -> screen.contains("demo exited with code"), "the demo's end");
        assertTrue(end.contains("cancelling #1, #2, #3 on the way out") && end.contains("#1 cancelled")
                && end.contains("#2 cancelled") && end.contains("#3 cancelled") && end.contains("bye"), end);
        assertTrue(end.contains("demo exited with code 0"), end);
        assertEquals(0, end.lines().filter(line -> line.matches("#\\d sleep \\d+  .*")).count(), "the status area is cleared:\n" + end);
    }

    private static boolean tmuxIsInstalled() {
        try {
            Process version = new ProcessBuilder("tmux", "-V").redirectErrorStream(true).start();
            version.getInputStream().readAllBytes();
            return version.waitFor(30, TimeUnit.SECONDS) && version.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /** Runs a tmux command on this test's own server (no user configuration) and returns what it printed. */
    private String tmux(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("tmux", "-L", server, "-f", "/dev/null"));
        command.addAll(Arrays.asList(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "tmux " + String.join(" ", args) + " ended");
        assertEquals(0, process.exitValue(), "tmux " + String.join(" ", args) + ": " + out);
        return out;
    }

    /** Types keys: text, or tmux key names such as Enter and C-v. */
    private void type(String... keys) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("send-keys", "-t", "0"));
        args.addAll(Arrays.asList(keys));
        tmux(args.toArray(String[]::new));
    }

    /** The visible screen, one line per row, trailing spaces removed. */
    private String screen() throws IOException, InterruptedException {
        return tmux("capture-pane", "-p", "-t", "0");
    }

    /** All the pane shows and showed: its history and the screen. */
    private String everything() throws IOException, InterruptedException {
        return tmux("capture-pane", "-p", "-S", "-", "-t", "0");
    }

    /** Polls the screen until {@code condition} holds; returns that screen. */
    private String awaitScreen(Predicate<String> condition, String what) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(AWAIT_MILLIS);
        String screen = screen();
        while (!condition.test(screen)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the screen never showed " + what + ":\n" + screen);
            }
            Thread.sleep(50);
            screen = screen();
        }
        return screen;
    }

    /** The line where the cursor is being typed: the last line starting with "> " or a question. */
    private static String promptLine(String screen) {
        List<String> lines = screen.lines().map(String::stripTrailing).toList();
        for (int i = lines.size() - 1; i >= 0; i--) {
            String line = lines.get(i);
            if (line.startsWith(">") || line.startsWith("(w)ait")) {
                return line;
            }
        }
        return "";
    }

    private static String statusLine(String screen) {
        return screen.lines().filter(line -> STATUS_LINE_1.matcher(line).find()).findFirst().orElse("").strip();
    }

    private static int countMatches(String text, Pattern pattern) {
        return (int) pattern.matcher(text).results().count();
    }
}
