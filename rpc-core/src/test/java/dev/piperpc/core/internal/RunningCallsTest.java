package dev.piperpc.core.internal;

import dev.piperpc.core.message.Id;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

class RunningCallsTest {

    /** A request as the table sees it: itself, not equal to another with the same id. */
    private static final class Request {
        private final Id id;

        Request(Id id) {
            this.id = id;
        }

        Id id() {
            return id;
        }
    }

    private final RunningCalls<Request> running = new RunningCalls<>(Request::id);

    @Test
    void findsRequestsByIdWhateverTheirKindAndWhereverTheySit() {
        List<Request> requests = new ArrayList<>();
        for (Id id : List.of(Id.of(1), Id.of(1 + RunningCalls.SLOTS), Id.of(-5), Id.of(Long.MAX_VALUE), Id.of("a"),
                Id.ofNumber(new BigDecimal("2.5")), Id.NULL)) {
            Request request = new Request(id);
            requests.add(request);
            running.put(id, request);
        }
        assertEquals(requests.size(), running.size());
        for (Request request : requests) {
            assertSame(request, running.get(request.id()), request.id().toString());
        }
        assertNull(running.get(Id.of(2)));
        assertNull(running.get(Id.of(1 + 2 * RunningCalls.SLOTS)));
        assertNull(running.get(Id.of("b")));
        Set<Request> seen = new HashSet<>();
        running.forEach(seen::add);
        assertEquals(Set.copyOf(requests), seen);
        for (Request request : requests) {
            running.remove(request.id(), request);
            assertNull(running.get(request.id()), request.id().toString());
        }
        assertEquals(0, running.size());
    }

    @Test
    void aRequestIsRemovedOnlyByItselfEvenWhenAnotherHasItsId() {
        Request first = new Request(Id.of(7));
        Request second = new Request(Id.of(7));
        running.put(first.id(), first);
        running.put(second.id(), second);
        running.remove(Id.of(7), new Request(Id.of(7)));
        assertEquals(2, running.size());
        running.remove(Id.of(7), first);
        assertSame(second, running.get(Id.of(7)));
        running.remove(Id.of(7), second);
        assertNull(running.get(Id.of(7)));
        assertEquals(0, running.size());
    }

    /** One thread adds consecutive ids, as a reader does, and others remove them as they finish. */
    @Test
    void addsAndRemovesFromManyThreads() throws Exception {
        int count = 200_000;
        Request[] requests = new Request[count];
        for (int i = 0; i < count; i++) {
            requests[i] = new Request(Id.of(i));
        }
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> removers = new ArrayList<>();
            for (int t = 0; t < 3; t++) {
                int first = t;
                removers.add(threads.submit(() -> {
                    start.await();
                    for (int i = first; i < count; i += 3) {
                        while (running.get(requests[i].id()) != requests[i]) {
                            Thread.onSpinWait();
                        }
                        running.remove(requests[i].id(), requests[i]);
                    }
                    return null;
                }));
            }
            start.countDown();
            for (int i = 0; i < count; i++) {
                running.put(requests[i].id(), requests[i]);
            }
            for (Future<?> remover : removers) {
                remover.get(60, TimeUnit.SECONDS);
            }
        } finally {
            threads.shutdownNow();
        }
        assertEquals(0, running.size());
        running.forEach(request -> {
            throw new AssertionError("left: " + request);
        });
    }
}
