package dev.piperpc.core.internal;

import dev.piperpc.core.BackpressureException;
import dev.piperpc.core.framing.Framing;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OutboxTest {

    /** A sink that keeps what it is given, in pieces as written. */
    private static final class Recording implements Outbox.Sink {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final List<Integer> writes = new ArrayList<>();
        int flushes;

        @Override
        public boolean write(ByteBuffer chunk) {
            byte[] piece = new byte[chunk.remaining()];
            chunk.get(piece);
            bytes.writeBytes(piece);
            writes.add(piece.length);
            return true;
        }

        @Override
        public void flush() {
            flushes++;
        }

        String text() {
            return bytes.toString(StandardCharsets.UTF_8);
        }
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static Outbox outbox(Framing framing, long bound, int chunk, Outbox.Sink sink) {
        return new Outbox(framing, bound, "peer is slow", ByteBuffer.allocateDirect(chunk), sink, e -> {
            throw new AssertionError("unexpected break", e);
        });
    }

    @ParameterizedTest
    @EnumSource(Framing.class)
    void textsQueuedTogetherLeaveInOneWriteEachFramedAsTheFramingSays(Framing framing) {
        Recording sink = new Recording();
        Outbox outbox = outbox(framing, 1 << 20, 4096, sink);
        List<byte[]> texts = List.of(utf8("{\"id\":1}"), utf8("{\"a\":\n[1,\r\n2]}"), utf8("{\"id\":\"é\"}"));
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        for (byte[] text : texts) {
            outbox.offer(text, false);
            expected.writeBytes(framing.encode(text));
        }
        outbox.drain();
        assertEquals(expected.toString(StandardCharsets.UTF_8), sink.text());
        assertEquals(List.of(expected.size()), sink.writes);
        assertEquals(1, sink.flushes);
        assertEquals(0, outbox.queuedBytes());
    }

    @ParameterizedTest
    @EnumSource(Framing.class)
    void aFrameLargerThanTheChunkGoesOutInPiecesBetweenSmallOnes(Framing framing) {
        Recording sink = new Recording();
        Outbox outbox = outbox(framing, 1 << 20, 1024, sink);
        char[] filler = new char[200_000];
        Arrays.fill(filler, 'x');
        byte[] large = utf8("{\"big\":\n\"" + new String(filler) + "\"}");
        byte[] small = utf8("{\"id\":7}");
        outbox.offer(small, false);
        outbox.offer(large, false);
        outbox.offer(small, false);
        outbox.drain();
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        expected.writeBytes(framing.encode(small));
        expected.writeBytes(framing.encode(large));
        expected.writeBytes(framing.encode(small));
        assertArrayEquals(expected.toByteArray(), sink.bytes.toByteArray());
        assertTrue(sink.writes.stream().allMatch(size -> size <= 1024), "every write fits the chunk: " + sink.writes);
    }

    @Test
    void anOfferPastTheBoundIsRefusedAndQueuesNothingWhileResponsesMayTakeTwiceTheBound() {
        Recording sink = new Recording();
        Outbox outbox = outbox(Framing.NEWLINE, 100, 4096, sink);
        outbox.offer(new byte[60], false);
        assertFalse(outbox.isWritable(), "60 of 100 bytes is above the low-water mark");
        BackpressureException refused = assertThrows(BackpressureException.class, () -> outbox.offer(new byte[60], false));
        assertTrue(refused.getMessage().startsWith("peer is slow: 60 bytes are already queued"), refused.getMessage());
        assertEquals(60, outbox.queuedBytes());
        outbox.offer(new byte[60], true);
        assertThrows(BackpressureException.class, () -> outbox.offer(new byte[100], true));
        assertEquals(120, outbox.queuedBytes());
        outbox.drain();
        assertEquals(122, sink.bytes.size());
        assertTrue(outbox.isWritable());
        outbox.offer(new byte[500], false);
        assertEquals(500, outbox.queuedBytes(), "a text alone is taken whatever its size");
    }

    @Test
    void aFullSinkMakesTheOutboxWaitUntilResumedAndNothingIsLostOrReordered() {
        AtomicInteger room = new AtomicInteger(10);
        AtomicInteger roomAsked = new AtomicInteger();
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        Outbox.Sink trickle = new Outbox.Sink() {
            @Override
            public boolean write(ByteBuffer chunk) {
                int take = Math.min(room.getAndSet(0), chunk.remaining());
                byte[] piece = new byte[take];
                chunk.get(piece);
                received.writeBytes(piece);
                return !chunk.hasRemaining();
            }

            @Override
            public void awaitRoom() {
                roomAsked.incrementAndGet();
            }
        };
        Outbox outbox = outbox(Framing.NEWLINE, 1 << 20, 64, trickle);
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 30; i++) {
            String text = "{\"id\":" + i + "}";
            outbox.offer(utf8(text), false);
            expected.append(text).append('\n');
        }
        outbox.drain();
        assertTrue(outbox.isFull());
        int asked = 0;
        while (outbox.isFull()) {
            assertEquals(++asked, roomAsked.get(), "the sink is asked once per wait");
            outbox.drain();
            assertEquals(asked, roomAsked.get(), "a drain while full writes nothing");
            room.set(7);
            outbox.resume();
        }
        assertEquals(expected.toString(), received.toString(StandardCharsets.UTF_8));
    }

    @Test
    void framesFromManyThreadsAreEachWrittenOnceInEachThreadsOrder() throws Exception {
        Recording sink = new Recording();
        Outbox outbox = outbox(Framing.NEWLINE, Long.MAX_VALUE / 4, 512, sink);
        int threads = 8;
        int perThread = 20_000;
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> senders = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            Thread sender = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < perThread; i++) {
                    outbox.offer(utf8("[" + thread + "," + i + "]"), false);
                    outbox.drain();
                }
            });
            sender.start();
            senders.add(sender);
        }
        start.countDown();
        for (Thread sender : senders) {
            sender.join(TimeUnit.SECONDS.toMillis(60));
        }
        outbox.drain();
        int[] next = new int[threads];
        for (String line : sink.text().split("\n")) {
            String[] parts = line.substring(1, line.length() - 1).split(",");
            int thread = Integer.parseInt(parts[0]);
            assertEquals(next[thread]++, Integer.parseInt(parts[1]), "thread " + thread + "'s frames in order");
        }
        for (int t = 0; t < threads; t++) {
            assertEquals(perThread, next[t], "every frame of thread " + t + " written once");
        }
    }

    @Test
    void aBrokenSinkIsReportedOnceAndTheQueueIsDropped() {
        AtomicInteger breaks = new AtomicInteger();
        AtomicReference<IOException> cause = new AtomicReference<>();
        Outbox outbox = new Outbox(Framing.NEWLINE, 1 << 20, "peer", ByteBuffer.allocate(64), chunk -> {
            throw new IOException("Broken pipe");
        }, e -> {
            breaks.incrementAndGet();
            cause.set(e);
        });
        outbox.offer(utf8("{}"), false);
        outbox.drain();
        outbox.offer(utf8("{}"), false);
        outbox.drain();
        assertTrue(outbox.isBroken());
        assertEquals(1, breaks.get());
        assertEquals("Broken pipe", cause.get().getMessage());
    }

    @Test
    void closeWhenWrittenRunsOnceAfterTheLastByteEvenAcrossAFullSink() {
        AtomicInteger room = new AtomicInteger(5);
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        List<String> events = new ArrayList<>();
        Outbox outbox = outbox(Framing.NEWLINE, 1 << 20, 64, chunk -> {
            int take = Math.min(room.getAndSet(0), chunk.remaining());
            byte[] piece = new byte[take];
            chunk.get(piece);
            received.writeBytes(piece);
            return !chunk.hasRemaining();
        });
        outbox.offer(utf8("{\"last\":true}"), false);
        outbox.drain();
        outbox.closeWhenWritten(() -> events.add("closed after " + received.size() + " bytes"));
        outbox.drain();
        assertEquals(List.of(), events, "not while bytes wait");
        room.set(100);
        outbox.resume();
        outbox.drain();
        assertEquals(List.of("closed after 14 bytes"), events);
    }

    @Test
    void discardAndCloseDropsWhatWaitsAndCloses() {
        Recording sink = new Recording();
        Outbox outbox = outbox(Framing.NEWLINE, 1 << 20, 64, sink);
        outbox.offer(utf8("{\"never\":1}"), false);
        List<String> events = new ArrayList<>();
        outbox.discardAndClose(() -> events.add("closed"));
        outbox.drain();
        outbox.drain();
        assertEquals(List.of("closed"), events);
        assertEquals(0, sink.bytes.size());
        assertEquals(0, outbox.queuedBytes());
        assertFalse(outbox.isFull());
    }
}
