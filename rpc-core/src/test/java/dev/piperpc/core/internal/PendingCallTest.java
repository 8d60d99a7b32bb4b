package dev.piperpc.core.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.piperpc.core.message.RawJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerArray;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(60)
class PendingCallTest {

    @Test
    void aJoinerThatSeesTheCallDoneAlsoSeesWhatItsEndingListenersDid() throws InterruptedException {
        PendingCall<Integer> call = new PendingCall<>(new InlineCallOwner(), 1, "m",
                new ObjectMapper().constructType(Integer.class), Duration.ofMinutes(1));
        AtomicBoolean released = new AtomicBoolean();
        CountDownLatch listenerStarted = new CountDownLatch(1);
        CountDownLatch proceed = new CountDownLatch(1);
        call.onEnding(() -> {
            listenerStarted.countDown();
            try {
                proceed.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            released.set(true);
        });
        Thread ender = new Thread(() -> call.succeed(RawJson.parse("42")));
        ender.start();
        assertTrue(listenerStarted.await(10, TimeUnit.SECONDS));
        assertFalse(call.isDone(), "not done while its ending listeners run");
        proceed.countDown();
        assertEquals(42, call.join());
        assertTrue(released.get(), "the listener finished before join returned");
        ender.join();
    }

    @Test
    void aListenerAddedWhileTheCallEndsRunsAtOnceAndEndListenersSeeItDone() throws InterruptedException {
        PendingCall<Integer> call = new PendingCall<>(new InlineCallOwner(), 2, "m",
                new ObjectMapper().constructType(Integer.class), Duration.ofMinutes(1));
        CountDownLatch firstRunning = new CountDownLatch(1);
        CountDownLatch proceed = new CountDownLatch(1);
        AtomicBoolean doneWhenEnded = new AtomicBoolean();
        call.onEnd(() -> doneWhenEnded.set(call.isDone()));
        call.onEnding(() -> {
            firstRunning.countDown();
            try {
                proceed.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Thread ender = new Thread(() -> call.succeed(RawJson.parse("7")));
        ender.start();
        assertTrue(firstRunning.await(10, TimeUnit.SECONDS));
        AtomicBoolean late = new AtomicBoolean();
        call.onEnding(() -> late.set(true));
        assertTrue(late.get(), "a listener added once the call is ending runs at once");
        proceed.countDown();
        ender.join();
        assertEquals(7, call.join());
        assertTrue(doneWhenEnded.get(), "an end listener sees the call done");
        assertFalse(call.succeed(RawJson.parse("8")), "ends only once");
        assertEquals(7, call.join());
    }

    @Test
    void everyEndingListenerRunsOnceWhenAddedWhileAnotherThreadEndsTheCall() throws Exception {
        int listeners = 4;
        for (int round = 0; round < 1_000; round++) {
            PendingCall<Integer> call = new PendingCall<>(new InlineCallOwner(), round, "m",
                    new ObjectMapper().constructType(Integer.class), Duration.ofMinutes(1));
            AtomicIntegerArray runs = new AtomicIntegerArray(listeners);
            CyclicBarrier start = new CyclicBarrier(listeners + 1);
            List<Thread> adders = new ArrayList<>();
            for (int i = 0; i < listeners; i++) {
                int index = i;
                Thread adder = new Thread(() -> {
                    await(start);
                    call.onEnding(() -> runs.incrementAndGet(index));
                });
                adder.start();
                adders.add(adder);
            }
            await(start);
            call.succeed(RawJson.parse("1"));
            for (Thread adder : adders) {
                adder.join();
            }
            assertEquals(1, call.join());
            for (int i = 0; i < listeners; i++) {
                assertEquals(1, runs.get(i), "listener " + i + " in round " + round + " ran once");
            }
        }
    }

    @Test
    void listenersAddedBeforeTheEndAllRunBeforeTheOutcomeIsVisible() {
        PendingCall<Integer> call = new PendingCall<>(new InlineCallOwner(), 3, "m",
                new ObjectMapper().constructType(Integer.class), Duration.ofMinutes(1));
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String name = "listener " + i;
            call.onEnding(() -> seen.add(name + (call.isDone() ? " after" : " before")));
        }
        call.succeed(RawJson.parse("5"));
        assertEquals(List.of("listener 0 before", "listener 1 before", "listener 2 before"), seen);
        call.onEnding(() -> seen.add("late"));
        assertEquals("late", seen.get(3), "a listener added after the end runs at once");
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
