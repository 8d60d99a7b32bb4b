package dev.piperpc.pipe.internal;

import org.slf4j.Logger;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * Splits a worker's stderr into lines, keeps the last few for error messages, and logs each line
 * on an executor: logging is user code (appenders), so it never runs on the thread that reads.
 * Lines longer than a limit are cut, so a worker that never writes a newline cannot grow it; lines
 * waiting to be logged are bounded too: {@link #hasRoom()} turns false at the bound, and the
 * reader stops reading until {@code onRoom} says half of them were logged.
 */
public final class StderrTail {

    private static final int MAX_LINE = 2000;
    /** Lines read and not yet logged at which the reader should pause. */
    static final int MAX_UNLOGGED = 1000;

    private final Logger log;
    private final int capacity;
    private final Executor executor;
    private final ArrayDeque<String> lines = new ArrayDeque<>();
    private final ArrayDeque<String> unlogged = new ArrayDeque<>();
    private final byte[] partial = new byte[MAX_LINE];
    private int partialLength;
    private boolean truncated;
    private boolean logging;
    private boolean full;
    private Runnable onRoom = () -> { };

    /** Logs to {@code log} on {@code executor}, keeping {@code capacity} lines. */
    public StderrTail(Logger log, int capacity, Executor executor) {
        this.log = log;
        this.capacity = Math.max(1, capacity);
        this.executor = executor;
    }

    /** Runs {@code listener} (quick, never blocking) when lines waiting to be logged fall to half the bound after reaching it. */
    public synchronized void onRoom(Runnable listener) {
        this.onRoom = listener;
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
        scheduleLogging();
    }

    /** Stderr ended: keeps a last line that had no newline. */
    public synchronized void end() {
        if (partialLength > 0 || truncated) {
            completeLine();
            scheduleLogging();
        }
    }

    /** Whether fewer lines than the bound wait to be logged. */
    public synchronized boolean hasRoom() {
        return !full;
    }

    /** Waits until {@link #hasRoom()}; for a reader thread of its own. */
    public synchronized void awaitRoom() throws InterruptedException {
        while (full) {
            wait();
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
        unlogged.addLast(line);
        if (unlogged.size() >= MAX_UNLOGGED) {
            full = true;
        }
        if (lines.size() == capacity) {
            lines.removeFirst();
        }
        lines.addLast(line);
    }

    private void scheduleLogging() {
        if (!logging && !unlogged.isEmpty()) {
            logging = true;
            executor.execute(this::logLines);
        }
    }

    private void logLines() {
        while (true) {
            String line;
            Runnable room = null;
            synchronized (this) {
                line = unlogged.poll();
                if (line == null) {
                    logging = false;
                    return;
                }
                if (full && unlogged.size() <= MAX_UNLOGGED / 2) {
                    full = false;
                    room = onRoom;
                    notifyAll();
                }
            }
            if (room != null) {
                room.run();
            }
            try {
                log.info("{}", line);
            } catch (RuntimeException e) {
                // an appender failed: the line is lost from the log, kept in the tail
            }
        }
    }

    /** The last lines, oldest first. */
    public synchronized List<String> lines() {
        return List.copyOf(lines);
    }
}
