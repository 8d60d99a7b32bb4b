package dev.piperpc.benchmarks;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs as the bench runner makes them, in quick mode with the {@code raw-pipe} peer ({@code cat}
 * workers): a run with many workers measures W5 three times and the runner takes all three; W6
 * makes calls in whole slices for at least its window, however fast or slow the machine.
 */
@Timeout(120)
class RunChildTest {

    @Test
    void aManyWorkersRunMeasuresW5ThreeTimes() throws Exception {
        List<Map<String, String>> results = Bench.runChild("raw-pipe", List.of(Workload.W5), true, null);

        assertEquals(Workload.W5.measurements(), results.size(), results.toString());
        assertEquals(3, results.size());
        for (Map<String, String> result : results) {
            assertEquals("W5", result.get("workload"));
            assertEquals(String.valueOf(Workload.W5.callsFor("raw-pipe", true)), result.get("calls"));
            assertTrue(Double.parseDouble(result.get("value")) > 0, result.toString());
        }
    }

    @Test
    void w6MakesCallsInWholeSlicesForAtLeastItsWindow() throws Exception {
        List<Map<String, String>> results = Bench.runChild("raw-pipe", List.of(Workload.W1, Workload.W6), true, null);

        assertEquals(2, results.size(), results.toString());
        Map<String, String> w1 = results.get(0);
        Map<String, String> w6 = results.get(1);
        assertEquals("W1", w1.get("workload"));
        assertEquals(String.valueOf(Workload.W1.callsFor("raw-pipe", true)), w1.get("calls"));
        assertEquals("W6", w6.get("workload"));
        int slice = Workload.W6.callsFor("raw-pipe", true) / 4;
        int calls = Integer.parseInt(w6.get("calls"));
        assertTrue(calls >= slice, w6.toString());
        assertEquals(0, calls % slice, w6.toString());
        assertTrue(Double.parseDouble(w6.get("seconds")) >= RunOne.QUICK_TIMER_WINDOW.toMillis() / 1e3, w6.toString());
        assertTrue(Double.parseDouble(w6.get("value")) >= 0, w6.toString());
    }
}
