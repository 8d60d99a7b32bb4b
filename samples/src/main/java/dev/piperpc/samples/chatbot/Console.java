package dev.piperpc.samples.chatbot;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.reflect.InvocationTargetException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the chat bot reads its commands and shows what happens: plain lines for a script or piped
 * input ({@link PlainConsole}), or an editable prompt with job progress drawn in place when a person
 * types at a terminal ({@link TerminalConsole}). Every method may be called from any thread, except
 * that {@link #readLine()} and {@link #askOnQuit(int)} are called by one thread at a time.
 */
interface Console extends AutoCloseable {

    /** What to do with the jobs still running when the user quits. */
    enum QuitChoice {
        /** Wait for them to end, then quit. */
        WAIT,
        /** Cancel them, then quit. */
        CANCEL,
        /** Do not quit. */
        STAY
    }

    /** The next command line, or {@code null} at the end of the input. */
    String readLine() throws IOException;

    /** Shows a message. */
    void say(String text);

    /** Job {@code number} ({@code description}) was handed to the workers. */
    void started(int number, String description);

    /** The worker running job {@code number} reports how far it got. */
    void progress(int number, String value);

    /** Job {@code number} ended: its progress is shown no more. */
    void ended(int number);

    /** The user quits while {@code running} jobs still run: asks what to do with them. */
    QuitChoice askOnQuit(int running);

    /** Gives the terminal back as it was. */
    @Override
    void close();

    /**
     * The console for the bot's input: the lines of {@code script} if there is one; else a terminal
     * console if a person types at a terminal; else the lines of standard input.
     */
    static Console open(Path script) throws IOException {
        if (script != null) {
            return new PlainConsole(Files.newBufferedReader(script, StandardCharsets.UTF_8), System.out);
        }
        if (isTerminal()) {
            return TerminalConsole.open();
        }
        return new PlainConsole(new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)), System.out);
    }

    /**
     * Whether standard input and output are a terminal. Up to Java 21 {@code System.console()} says
     * so by being there; from Java 22 on it is there for redirected streams too, and its
     * {@code isTerminal()} says it.
     */
    private static boolean isTerminal() {
        java.io.Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(console);
        } catch (NoSuchMethodException beforeJava22) {
            return true;
        } catch (IllegalAccessException | InvocationTargetException e) {
            return false;
        }
    }
}
