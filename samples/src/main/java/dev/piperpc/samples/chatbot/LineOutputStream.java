package dev.piperpc.samples.chatbot;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * A stream that hands each line written to it (UTF-8, without its line end) to a consumer. A line
 * longer than {@value #MAX_LINE} bytes is handed on in parts of that size.
 */
final class LineOutputStream extends OutputStream {

    private static final int MAX_LINE = 8192;

    private final Consumer<String> lines;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();

    LineOutputStream(Consumer<String> lines) {
        this.lines = lines;
    }

    /** Hands a complete line on outside the lock, so that the consumer may take locks of its own. */
    @Override
    public void write(int b) {
        String complete = null;
        synchronized (line) {
            if (b != '\n') {
                line.write(b);
            }
            if (b == '\n' || line.size() >= MAX_LINE) {
                complete = line.toString(StandardCharsets.UTF_8);
                line.reset();
            }
        }
        if (complete != null) {
            lines.accept(complete.endsWith("\r") ? complete.substring(0, complete.length() - 1) : complete);
        }
    }
}
