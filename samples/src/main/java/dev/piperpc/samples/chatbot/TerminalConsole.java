package dev.piperpc.samples.chatbot;

import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.jline.utils.AttributedString;
import org.jline.utils.InfoCmp.Capability;
import org.jline.utils.Status;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The bot's console when a person types at a terminal, on JLine: the line being typed can be edited
 * and recalled from the history, and it stays on the prompt while messages scroll above it. Each
 * running job has one line in a status area at the bottom of the terminal, redrawn in place as its
 * worker reports progress.
 *
 * <p>Output comes from many threads (workers' progress, jobs that end, worker restarts) while the
 * main thread reads a line. All of it goes through one lock, {@link #output}; while a line is being
 * read, the status area is redrawn by a widget of the line reader (which runs under the reader's own
 * lock, as its redisplay does), else directly.
 */
final class TerminalConsole implements Console {

    private static final String PROMPT = "> ";
    private static final String DRAW_STATUS = "piperpc-draw-status";
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");
    /** How long a line written to stderr waits for the terminal before it is written there raw. */
    private static final long STDERR_WAIT_MILLIS = 1000;

    private final Terminal terminal;
    private final LineReader reader;
    /** The status area, or {@code null} on a terminal that cannot keep one (then progress is shown as messages). */
    private final Status status;
    private final PrintStream originalErr = System.err;
    /** Taken for every write to the terminal, and before the reader's lock when both are needed. */
    private final ReentrantLock output = new ReentrantLock();
    /** The status line of each running job, by job number. Guarded by output. */
    private final Map<Integer, JobProgress> running = new TreeMap<>();
    /** What the status area is to show, for the reader's widgets, which do not take {@link #output}. */
    private volatile List<AttributedString> statusLines = List.of();
    /** What the status area shows. */
    private volatile List<AttributedString> statusShown = List.of();
    /** Whether the main thread is inside {@link LineReader#readLine}. Guarded by output. */
    private boolean readingLine;

    private TerminalConsole(Terminal terminal) {
        this.terminal = terminal;
        this.reader = LineReaderBuilder.builder().terminal(terminal).appName("piperpc demo")
                // "!" in a message is text, not a reference to the history
                .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true).build();
        boolean scrollRegions = terminal.getStringCapability(Capability.change_scroll_region) != null;
        this.status = scrollRegions ? Status.getStatus(terminal) : null;
        reader.getWidgets().put(DRAW_STATUS, this::drawStatusWhileReading);
        reader.getWidgets().put(LineReader.CALLBACK_INIT, this::updateStatusBeforeReading);
        // A line written to stderr (a log message, a worker's complaint) would be drawn over the prompt.
        System.setErr(new PrintStream(new LineOutputStream(this::showStderrLine), true, StandardCharsets.UTF_8));
    }

    /** A console on this process's terminal. */
    static TerminalConsole open() throws IOException {
        return new TerminalConsole(TerminalBuilder.builder().system(true).build());
    }

    @Override
    public String readLine() {
        try {
            return read(PROMPT);
        } catch (UserInterruptException e) {
            // Ctrl-C drops the line being typed; on an empty line it quits
            return e.getPartialLine() == null || e.getPartialLine().isEmpty() ? "quit" : "";
        } catch (EndOfFileException e) {
            return "quit";
        }
    }

    @Override
    public QuitChoice askOnQuit(int running) {
        say(running == 1 ? "1 job is still running." : running + " jobs are still running.");
        String them = running == 1 ? "it" : "them";
        String question = "(w)ait for " + them + ", (c)ancel " + them + ", or (k)eep typing? ";
        reader.setVariable(LineReader.DISABLE_HISTORY, true);
        try {
            while (true) {
                String answer = read(question).strip().toLowerCase(Locale.ROOT);
                switch (answer) {
                    case "w", "wait" -> {
                        return QuitChoice.WAIT;
                    }
                    case "c", "cancel" -> {
                        return QuitChoice.CANCEL;
                    }
                    case "k", "keep", "keep typing" -> {
                        return QuitChoice.STAY;
                    }
                    default -> say("please answer w, c or k");
                }
            }
        } catch (UserInterruptException | EndOfFileException e) {
            // Ctrl-C or Ctrl-D again: the user insists on leaving
            return QuitChoice.CANCEL;
        } finally {
            reader.setVariable(LineReader.DISABLE_HISTORY, false);
        }
    }

    private String read(String prompt) {
        locked(() -> readingLine = true);
        try {
            return reader.readLine(prompt);
        } finally {
            locked(() -> {
                readingLine = false;
                drawStatus();
            });
        }
    }

    @Override
    public void say(String text) {
        String line = "[" + LocalTime.now().format(CLOCK) + "] " + text;
        locked(() -> reader.printAbove(line));
    }

    /**
     * A line written to stderr, maybe by a thread that holds the reader's lock (JLine logging): it
     * waits a while for the terminal, and rather than wait for ever it is written raw.
     */
    private void showStderrLine(String line) {
        try {
            if (output.tryLock(STDERR_WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
                try {
                    reader.printAbove(line);
                } finally {
                    output.unlock();
                }
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        originalErr.println(line);
    }

    @Override
    public void started(int number, String description) {
        locked(() -> {
            running.put(number, new JobProgress(number, description, null));
            drawStatus();
        });
    }

    @Override
    public void progress(int number, String value) {
        locked(() -> {
            JobProgress job = running.get(number);
            if (job == null) {
                return;
            }
            if (status == null) {
                say("#" + number + " " + value);
                return;
            }
            running.put(number, job.at(value));
            drawStatus();
        });
    }

    @Override
    public void ended(int number) {
        locked(() -> {
            if (running.remove(number) != null) {
                drawStatus();
            }
        });
    }

    private void locked(Runnable action) {
        output.lock();
        try {
            action.run();
        } finally {
            output.unlock();
        }
    }

    /**
     * Draws the status area as {@link #running} says (on at most a third of the terminal's rows), by
     * the reader's widget while it reads a line.
     */
    private void drawStatus() {
        if (status == null) {
            return;
        }
        int width = Math.max(20, terminal.getWidth());
        int room = Math.max(1, terminal.getHeight() / 3);
        List<JobProgress> jobs = List.copyOf(running.values());
        int shown = jobs.size() <= room ? jobs.size() : room - 1;
        List<AttributedString> lines = new ArrayList<>();
        jobs.subList(0, shown).forEach(job -> lines.add(new AttributedString(job.render(width))));
        if (shown < jobs.size()) {
            lines.add(new AttributedString("and " + (jobs.size() - shown) + " more jobs running (see 'status')"));
        }
        statusLines = List.copyOf(lines);
        if (!readingLine) {
            showStatus();
            return;
        }
        try {
            reader.callWidget(DRAW_STATUS);
        } catch (IllegalStateException notReadingYetOrAnyMore) {
            // The reader's start draws statusLines (CALLBACK_INIT); after its end, read() draws them.
        }
    }

    /** The reader's widget: runs under the reader's lock, while it reads a line. */
    private boolean drawStatusWhileReading() {
        if (status != null) {
            showStatus();
            reader.callWidget(LineReader.REDISPLAY);
        }
        return true;
    }

    /** The reader's widget at the start of each line: its first display places the line under the status area. */
    private boolean updateStatusBeforeReading() {
        if (status != null) {
            showStatus();
        }
        return true;
    }

    /**
     * Shows {@link #statusLines} in the status area. When the area grows, JLine's {@link Status}
     * scrolls the text above it up to make room, so the lines it showed stay on their rows, under
     * new blank rows; but it then redraws only what changed as if they had moved up with the area
     * top. So it is first told what the screen then shows (the blank rows, then the old lines), and
     * then what it is to show.
     */
    private void showStatus() {
        List<AttributedString> lines = statusLines;
        List<AttributedString> shown = statusShown;
        if (!shown.isEmpty() && lines.size() > shown.size()) {
            List<AttributedString> asOnScreen = new ArrayList<>(Collections.nCopies(lines.size() - shown.size(), AttributedString.EMPTY));
            asOnScreen.addAll(shown);
            status.update(asOnScreen, false);
        }
        status.update(lines);
        statusShown = lines;
    }

    @Override
    public void close() {
        locked(() -> {
            running.clear();
            drawStatus();
        });
        System.setErr(originalErr);
        try {
            terminal.close();
        } catch (IOException e) {
            originalErr.println("cannot restore the terminal: " + e.getMessage());
        }
    }
}
