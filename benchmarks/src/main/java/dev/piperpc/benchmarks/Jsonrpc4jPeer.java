package dev.piperpc.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.googlecode.jsonrpc4j.JsonRpcClient;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * jsonrpc4j: its {@link JsonRpcClient} over each child's stdin/stdout. The stream client is
 * synchronous, so each worker gets one calling thread making one call at a time.
 */
final class Jsonrpc4jPeer extends ChildProcessPeer {

    private final JsonRpcClient client = new JsonRpcClient(new ObjectMapper());
    private final WorkerJvm jvm;

    Jsonrpc4jPeer(WorkerJvm jvm) {
        this.jvm = jvm;
    }

    @Override
    public void start(int workers) throws Exception {
        for (int i = 0; i < workers; i++) {
            processes.add(new ProcessBuilder(jvm.command(Jsonrpc4jEchoWorker.class.getName()))
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start());
        }
    }

    private Object[] echo(Process process, int i) {
        try {
            return client.invokeAndReadResponse("echo", new Object[] {i, Payload.TEXT}, Object[].class,
                    process.getOutputStream(), process.getInputStream());
        } catch (Throwable e) {
            throw new IllegalStateException("call " + i + " failed", e);
        }
    }

    @Override
    public double throughput(int calls, int window) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(processes.size());
        int perWorker = calls / processes.size();
        long start = System.nanoTime();
        List<Future<?>> done = new ArrayList<>();
        for (Process process : processes) {
            done.add(threads.submit(() -> {
                for (int i = 0; i < perWorker; i++) {
                    PiperpcPeer.check(echo(process, i), i);
                }
            }));
        }
        for (Future<?> each : done) {
            each.get();
        }
        double rate = perWorker * (double) processes.size() / ((System.nanoTime() - start) / 1e9);
        threads.shutdown();
        return rate;
    }

    @Override
    public double headOfLine(long sleepMillis, int echoes) throws Exception {
        Process process = processes.get(0);
        long start = System.nanoTime();
        try {
            client.invokeAndReadResponse("sleep", new Object[] {sleepMillis}, Long.class, process.getOutputStream(), process.getInputStream());
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
        for (int i = 0; i < echoes; i++) {
            PiperpcPeer.check(echo(process, i), i);
        }
        return (System.nanoTime() - start) / 1e6;
    }

    @Override
    public void echoOnce(int i) {
        PiperpcPeer.check(echo(processes.get(0), i), i);
    }

    @Override
    public void echoEach() {
        for (Process process : processes) {
            PiperpcPeer.check(echo(process, 0), 0);
        }
    }
}
