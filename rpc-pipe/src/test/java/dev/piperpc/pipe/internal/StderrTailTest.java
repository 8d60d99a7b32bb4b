package dev.piperpc.pipe.internal;

import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A worker's stderr is logged on an executor, never by the thread that reads it, and what waits for the log is bounded. */
class StderrTailTest {

    @Test
    void linesAreLoggedOnTheExecutorAndReadingWaitsWhileTooManyWait() {
        ArrayDeque<Runnable> executor = new ArrayDeque<>();
        StderrTail tail = new StderrTail(LoggerFactory.getLogger("stderr-tail-test"), 3, executor::add);
        AtomicInteger roomSignals = new AtomicInteger();
        tail.onRoom(roomSignals::incrementAndGet);

        byte[] lines = "line\n".repeat(StderrTail.MAX_UNLOGGED).getBytes(StandardCharsets.US_ASCII);
        tail.feed(lines, 0, lines.length);
        assertEquals(1, executor.size(), "the logging was handed to the executor, not done by the reader");
        assertFalse(tail.hasRoom(), "a full backlog tells the reader to stop");
        assertEquals(List.of("line", "line", "line"), tail.lines(), "the tail keeps the last lines at once");

        executor.poll().run();
        assertTrue(tail.hasRoom());
        assertEquals(1, roomSignals.get(), "the reader is told when it may read again");
    }
}
