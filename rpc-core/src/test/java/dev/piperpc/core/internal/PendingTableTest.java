package dev.piperpc.core.internal;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.piperpc.core.CallTimeoutException;
import dev.piperpc.core.ConnectionClosedException;
import dev.piperpc.core.message.Id;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(60)
class PendingTableTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JavaType STRING = MAPPER.constructType(String.class);

    private final InlineCallOwner owner = new InlineCallOwner();
    private final PendingTable table = new PendingTable();

    private PendingCall<String> own(Duration timeout) {
        return new PendingCall<>(owner, table.nextId(), null, "m", STRING, timeout);
    }

    private PendingCall<String> chosen(Id id) {
        return new PendingCall<>(owner, table.nextId(), id, "m", STRING, Duration.ofMinutes(1));
    }

    @Test
    void aResponseFindsItsCallOnceAndOnlyItsOwn() {
        PendingCall<String> first = own(Duration.ofMinutes(1));
        PendingCall<String> second = own(Duration.ofMinutes(1));
        table.put(first);
        table.put(second);
        assertEquals(2, table.size());
        assertSame(second, table.get(Id.of(second.numericId())));
        assertSame(second, table.removeAnswered(Id.of(second.numericId())));
        assertNull(table.removeAnswered(Id.of(second.numericId())), "a second response to the same id finds nothing");
        assertNull(table.removeAnswered(Id.of(first.numericId() + 1000)), "an id never sent finds nothing");
        assertNull(table.removeAnswered(Id.of("1")), "a string id is not a number id");
        assertEquals(1, table.size());
        assertTrue(table.remove(first));
        assertFalse(table.remove(first));
        assertEquals(0, table.size());
    }

    @Test
    void aCallOlderThanAThousandLaterOnesKeepsItsPlaceAndBothAreFound() {
        PendingCall<String> old = own(Duration.ofMinutes(1));
        table.put(old);
        List<PendingCall<String>> later = new ArrayList<>();
        for (int i = 0; i < 3 * PendingTable.SLOTS; i++) {
            PendingCall<String> call = own(Duration.ofMinutes(1));
            table.put(call);
            later.add(call);
        }
        assertEquals(1 + 3 * PendingTable.SLOTS, table.size());
        // The call whose id shares the old call's slot is found by its own id, and the old one by its.
        PendingCall<String> sameSlot = later.get(PendingTable.SLOTS - 1);
        assertEquals(old.numericId() % PendingTable.SLOTS, sameSlot.numericId() % PendingTable.SLOTS);
        assertSame(sameSlot, table.removeAnswered(Id.of(sameSlot.numericId())));
        assertSame(old, table.removeAnswered(Id.of(old.numericId())));
        for (PendingCall<String> call : later) {
            if (call != sameSlot) {
                assertSame(call, table.removeAnswered(Id.of(call.numericId())), "call " + call.numericId());
            }
        }
        assertEquals(0, table.size());
    }

    @Test
    void idsCallersChoseLiveBesideTheEndpointsOwn() {
        PendingCall<String> own = own(Duration.ofMinutes(1));
        table.put(own);
        assertThrows(IllegalStateException.class, () -> table.put(chosen(Id.of(own.numericId()))),
                "an id the endpoint's own call in flight has");
        PendingCall<String> named = chosen(Id.of("job-7"));
        table.put(named);
        assertThrows(IllegalStateException.class, () -> table.put(chosen(Id.of("job-7"))));
        PendingCall<String> numbered = chosen(Id.of(own.numericId() + 8));
        table.put(numbered);
        List<Long> fresh = new ArrayList<>();
        while (fresh.size() < 10) {
            fresh.add(table.nextId());
        }
        long taken = numbered.chosenId().asLong();
        assertTrue(fresh.get(0) < taken && fresh.get(fresh.size() - 1) > taken);
        assertFalse(fresh.contains(taken), "a fresh id skips the ids callers chose: " + fresh);
        assertEquals(3, table.size());
        assertSame(numbered, table.removeAnswered(Id.of(own.numericId() + 8)));
        assertSame(named, table.get(Id.of("job-7")));
        assertSame(named, table.removeAnswered(Id.of("job-7")));
        assertSame(own, table.removeAnswered(Id.of(own.numericId())));
        assertEquals(0, table.size());
    }

    @Test
    void expiringEndsTheCallsPastTheirDeadlineWhereverTheyAreAndReportsTheNextDeadline() {
        PendingCall<String> soon = own(Duration.ofMillis(1));
        table.put(soon);
        for (int i = 0; i < PendingTable.SLOTS; i++) {
            table.put(own(Duration.ofMinutes(1)));
        }
        PendingCall<String> displaced = own(Duration.ofMillis(1));
        table.put(displaced);
        PendingCall<String> named = new PendingCall<>(owner, table.nextId(), Id.of("x"), "m", STRING, Duration.ofMillis(1));
        table.put(named);
        PendingCall<String> later = own(Duration.ofSeconds(30));
        table.put(later);

        long now = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
        long next = table.expire(now, TimeUnit.MINUTES.toNanos(10));
        assertEquals(later.deadlineNanos(), next);
        for (PendingCall<String> call : List.of(soon, displaced, named)) {
            assertThrows(CallTimeoutException.class, call::join);
        }
        assertFalse(later.isDone());
        assertEquals(PendingTable.SLOTS + 1, table.size());
        assertEquals(now + TimeUnit.MILLISECONDS.toNanos(5), new PendingTable().expire(now, TimeUnit.MILLISECONDS.toNanos(5)),
                "nothing pending: the horizon");
    }

    @Test
    void failingAllEndsEveryCallOnce() {
        List<PendingCall<String>> calls = new ArrayList<>();
        for (int i = 0; i < PendingTable.SLOTS + 10; i++) {
            PendingCall<String> call = own(Duration.ofMinutes(1));
            calls.add(call);
        }
        // Put in reverse, so that the later ids take their slots first and the first ten go aside.
        for (int i = calls.size() - 1; i >= 0; i--) {
            table.put(calls.get(i));
        }
        PendingCall<String> named = chosen(Id.of("n"));
        table.put(named);
        calls.add(named);
        AtomicInteger failed = new AtomicInteger();
        table.failAll(call -> {
            failed.incrementAndGet();
            return new ConnectionClosedException("closed");
        });
        assertEquals(calls.size(), failed.get());
        assertEquals(0, table.size());
        for (PendingCall<String> call : calls) {
            assertTrue(call.isDone());
        }
    }

    @Test
    void aResponseAndACancelRacingForEachCallEndItExactlyOnce() throws InterruptedException {
        int calls = 50_000;
        ConcurrentLinkedQueue<PendingCall<String>> toAnswer = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<PendingCall<String>> toCancel = new ConcurrentLinkedQueue<>();
        AtomicInteger removals = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        Thread sender = new Thread(() -> {
            await(start);
            for (int i = 0; i < calls; i++) {
                PendingCall<String> call = own(Duration.ofMinutes(1));
                table.put(call);
                toAnswer.add(call);
                toCancel.add(call);
            }
        });
        Thread answerer = new Thread(() -> endEach(toAnswer, calls, start,
                call -> table.removeAnswered(Id.of(call.numericId())) != null, removals));
        Thread canceller = new Thread(() -> endEach(toCancel, calls, start, table::remove, removals));
        List<Thread> threads = List.of(sender, answerer, canceller);
        threads.forEach(Thread::start);
        start.countDown();
        for (Thread thread : threads) {
            thread.join();
        }
        assertEquals(calls, removals.get(), "each call removed by exactly one of the two");
        assertEquals(0, table.size());
    }

    /** Once {@code start} opens, takes {@code calls} calls from {@code queue} as they come, counting those {@code end} removed. */
    private static void endEach(ConcurrentLinkedQueue<PendingCall<String>> queue, int calls, CountDownLatch start,
                                Predicate<PendingCall<String>> end, AtomicInteger removals) {
        await(start);
        for (int seen = 0; seen < calls; ) {
            PendingCall<String> call = queue.poll();
            if (call == null) {
                Thread.onSpinWait();
                continue;
            }
            seen++;
            if (end.test(call)) {
                removals.incrementAndGet();
            }
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
