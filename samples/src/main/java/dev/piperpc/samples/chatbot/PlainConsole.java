package dev.piperpc.samples.chatbot;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;

/**
 * The bot's console for a script or piped input: it reads lines and writes one timestamped line per
 * message and per progress report, which a program or a test can read. Quitting waits for the jobs
 * still running, as the end of the input does.
 */
final class PlainConsole implements Console {

    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");

    private final BufferedReader input;
    private final PrintStream out;

    PlainConsole(BufferedReader input, PrintStream out) {
        this.input = input;
        this.out = out;
    }

    @Override
    public String readLine() throws IOException {
        return input.readLine();
    }

    @Override
    public void say(String text) {
        synchronized (out) {
            out.println("[" + LocalTime.now().format(CLOCK) + "] " + text);
            out.flush();
        }
    }

    @Override
    public void started(int number, String description) {
        // the bot says "queued #n" itself
    }

    @Override
    public void progress(int number, String value) {
        say("#" + number + " " + value);
    }

    @Override
    public void ended(int number) {
        // the bot says how it ended itself
    }

    @Override
    public QuitChoice askOnQuit(int running) {
        return QuitChoice.WAIT;
    }

    @Override
    public void close() {
        try {
            input.close();
        } catch (IOException ignored) {
            // nothing more is read
        }
    }
}
