package dev.piperpc.cli;

import dev.piperpc.core.Endpoint;
import dev.piperpc.core.Params;
import dev.piperpc.core.RpcException;
import dev.piperpc.pipe.WorkerCommand;
import dev.piperpc.pipe.WorkerProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The spec worker as a real process, driven by a manager. */
@Timeout(60)
class SpecWorkerTest {

    static WorkerCommand specWorker(String framing) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return WorkerCommand.of(java, "-cp", System.getProperty("java.class.path"), SpecWorker.class.getName(), framing)
                .withFraming(dev.piperpc.core.framing.Framing.parse(framing));
    }

    @Test
    void answersTheSpecificationsMethods() {
        for (String framing : List.of("newline", "lsp")) {
            try (WorkerProcess worker = WorkerProcess.start("spec", specWorker(framing), Endpoint.builder())) {
                Endpoint rpc = worker.endpoint();
                assertEquals(19, rpc.call("subtract", Params.of(42, 23), Integer.class));
                assertEquals(19, rpc.call("subtract", Params.named(Map.of("subtrahend", 23, "minuend", 42)), Integer.class));
                assertEquals(7, rpc.call("sum", Params.of(1, 2, 4), Integer.class));
                assertEquals(List.of("hello", 5), rpc.call("get_data", Params.none(), Object.class));
                assertEquals(List.of(1, "x"), rpc.call("echo", Params.of(1, "x"), Object.class));
                assertEquals(10L, rpc.call("sleep", Params.of(10), Long.class));
                rpc.notify("notify_hello", Params.of(7));
                RpcException error = assertThrows(RpcException.class, () -> rpc.call("fail", Params.of("on purpose"), Object.class));
                assertEquals("on purpose", error.error().message());
            }
        }
    }
}
