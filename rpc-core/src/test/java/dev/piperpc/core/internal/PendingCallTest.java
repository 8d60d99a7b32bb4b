package dev.piperpc.core.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.piperpc.core.message.RawJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

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
}
