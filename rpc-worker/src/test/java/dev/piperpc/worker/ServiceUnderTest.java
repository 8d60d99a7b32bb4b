package dev.piperpc.worker;

import com.googlecode.jsonrpc4j.JsonRpcParam;
import dev.piperpc.core.Params;
import dev.piperpc.core.framing.Framing;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** The methods the worker tests call; {@link #main} serves them with the framing and concurrency given. */
public final class ServiceUnderTest {

    public List<Object> echo(Object first, Object second) {
        return java.util.Arrays.asList(first, second);
    }

    public int subtract(@JsonRpcParam("minuend") int minuend, @JsonRpcParam("subtrahend") int subtrahend) {
        return minuend - subtrahend;
    }

    public long sleep(long millis) throws InterruptedException {
        Thread.sleep(millis);
        return millis;
    }

    private static final CountDownLatch RELEASED = new CountDownLatch(1);
    private static final CountDownLatch MET = new CountDownLatch(2);

    /** Answers only after {@link #release()} was called. */
    public String hold() throws InterruptedException {
        if (!RELEASED.await(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("never released");
        }
        return "held";
    }

    public String release() {
        RELEASED.countDown();
        return "released";
    }

    /** Answers only when two calls of it run at the same time: proof that calls run concurrently. */
    public String meet(String who) throws InterruptedException {
        MET.countDown();
        if (!MET.await(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException(who + " ran alone");
        }
        return who;
    }

    public long announceThenSleep(long millis) throws InterruptedException {
        WorkerContext.current().log("sleeping");
        Thread.sleep(millis);
        return millis;
    }

    public String shout(String text) {
        System.out.println("stray print from user code");
        return text.toUpperCase();
    }

    public String progress(int steps) {
        WorkerContext context = WorkerContext.current();
        for (int i = 0; i < steps; i++) {
            context.progress("job", i);
        }
        context.log("finished " + steps + " steps");
        return "done";
    }

    public String ask(String question) {
        return "manager says " + WorkerContext.current().request("answer", Params.of(question), String.class);
    }

    public String waitForCancel() throws InterruptedException {
        Thread.sleep(60_000);
        return "never cancelled";
    }

    public void fail(String message) {
        throw new IllegalStateException(message);
    }

    public void oom() {
        throw new OutOfMemoryError("simulated");
    }

    public static void main(String[] args) {
        Worker.builder()
                .framing(Framing.parse(args.length > 0 ? args[0] : "newline"))
                .concurrency(args.length > 1 ? Integer.parseInt(args[1]) : 4)
                .service(new ServiceUnderTest())
                .run();
        System.exit(0);
    }
}
