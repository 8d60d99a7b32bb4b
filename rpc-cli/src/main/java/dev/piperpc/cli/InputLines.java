package dev.piperpc.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The lines of stdin, read ahead by a thread of their own (a few at most), so that whoever takes
 * them can stop waiting when something else ends the session, such as the server exiting, even
 * while stdin (a terminal) has nothing to say.
 */
final class InputLines {

    private static final String END = new String("end of input");

    private final BlockingQueue<String> lines = new ArrayBlockingQueue<>(16);

    InputLines(InputStream in) {
        Thread reader = new Thread(() -> read(in), "piperpc-stdin");
        reader.setDaemon(true);
        reader.start();
    }

    private void read(InputStream in) {
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        try {
            String line;
            while ((line = reader.readLine()) != null) {
                lines.put(line);
            }
        } catch (IOException e) {
            // The end of input, as far as the session is concerned.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            try {
                lines.put(END);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The next line; {@code null} at the end of input, or as soon as {@code stop} says so. */
    String next(BooleanSupplier stop) throws InterruptedException {
        while (!stop.getAsBoolean()) {
            String line = lines.poll(50, TimeUnit.MILLISECONDS);
            if (line == END) {
                return null;
            }
            if (line != null) {
                return line;
            }
        }
        return null;
    }
}
