package dev.piperpc.samples;

import dev.piperpc.core.Call;
import dev.piperpc.core.Endpoint;
import dev.piperpc.core.Params;
import dev.piperpc.core.message.RawJson;
import dev.piperpc.pipe.WorkerCommand;
import dev.piperpc.pipe.WorkerPool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(120)
class SamplesTest {

    @Test
    void theJavaManagerDrivesThePythonWorker() {
        WorkerCommand python = WorkerCommand.of("python3", Path.of("python", "worker.py").toAbsolutePath().toString());
        Endpoint.Builder manager = Endpoint.builder().handler("question", request -> "yes");
        try (WorkerPool pool = WorkerPool.builder(python).size(2).endpoint(manager).start()) {
            List<Call<Integer>> sums = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                sums.add(pool.send("add", Params.of(i, i), Integer.class));
            }
            List<Integer> results = Call.joinAll(sums);
            for (int i = 0; i < 100; i++) {
                assertEquals(2 * i, results.get(i));
            }
            assertEquals("{\"manager said\":\"yes\"}", pool.call("ask", Params.of("question"), RawJson.class).toString());
        }
    }

    @Test
    void scatterGatherCountsTheSamePrimesAsTheManagerAlone() {
        ScatterGather.Outcome outcome = ScatterGather.compare(200_000, 2);
        assertEquals(17_984, outcome.primes());
        assertEquals(outcome.primesAlone(), outcome.primes());
        assertTrue(outcome.workersMillis() > 0 && outcome.aloneMillis() > 0);
    }
}
