package dev.piperpc.pipe.internal;

import org.slf4j.Logger;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;

/**
 * Splits a worker's stderr into lines, logs each one, and keeps the last few for error messages.
 * Lines longer than a limit are cut, so a worker that never writes a newline cannot grow it.
 */
public final class StderrTail {

    private static final int MAX_LINE = 2000;

    private final Logger log;
    private final int capacity;
    private final ArrayDeque<String> lines = new ArrayDeque<>();
    private final byte[] partial = new byte[MAX_LINE];
    private int partialLength;
    private boolean truncated;

    /** Logs to {@code log}, keeping {@code capacity} lines. */
    public StderrTail(Logger log, int capacity) {
        this.log = log;
        this.capacity = Math.max(1, capacity);
    }

    /** Feeds bytes read from stderr. */
    public synchronized void feed(byte[] bytes, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            byte b = bytes[i];
            if (b == '\n') {
                completeLine();
            } else if (partialLength < MAX_LINE) {
                partial[partialLength++] = b;
            } else {
                truncated = true;
            }
        }
    }

    /** Stderr ended: keeps a last line that had no newline. */
    public synchronized void end() {
        if (partialLength > 0 || truncated) {
            completeLine();
        }
    }

    private void completeLine() {
        int length = partialLength;
        if (length > 0 && partial[length - 1] == '\r') {
            length--;
        }
        String line = new String(partial, 0, length, StandardCharsets.UTF_8) + (truncated ? " [line cut]" : "");
        partialLength = 0;
        truncated = false;
        log.info("{}", line);
        if (lines.size() == capacity) {
            lines.removeFirst();
        }
        lines.addLast(line);
    }

    /** The last lines, oldest first. */
    public synchronized List<String> lines() {
        return List.copyOf(lines);
    }
}
