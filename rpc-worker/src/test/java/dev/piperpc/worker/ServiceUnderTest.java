package dev.piperpc.worker;

import com.fasterxml.jackson.databind.JsonNode;
import com.googlecode.jsonrpc4j.JsonRpcParam;
import dev.piperpc.core.Dialect;
import dev.piperpc.core.Params;
import dev.piperpc.core.RequestContext;
import dev.piperpc.core.framing.Framing;
import dev.piperpc.core.listen.CallListener;
import dev.piperpc.core.listen.CallOutcome;
import dev.piperpc.core.message.Id;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

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

    /**
     * The name of the thread this runs on, and of the thread reading stdin meanwhile (the one
     * blocked in a read of it, waited for up to 10 s).
     */
    public Map<String, String> threads() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        List<String> reading = readingStdin();
        while (reading.size() != 1 && System.nanoTime() - deadline < 0) {
            Thread.sleep(1);
            reading = readingStdin();
        }
        if (reading.size() != 1) {
            throw new IllegalStateException("threads reading stdin: " + reading);
        }
        return Map.of("ranOn", Thread.currentThread().getName(), "reading", reading.get(0));
    }

    private static List<String> readingStdin() {
        List<String> reading = new java.util.ArrayList<>();
        Thread.getAllStackTraces().forEach((thread, stack) -> {
            for (StackTraceElement frame : stack) {
                if (frame.getClassName().equals("java.io.FileInputStream") && frame.getMethodName().startsWith("read")) {
                    reading.add(thread.getName());
                    return;
                }
            }
        });
        return reading;
    }

    /** How many call threads ({@code piperpc-call-N}) this worker has: they never end while it serves. */
    public long callThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(thread -> thread.getName().startsWith("piperpc-call-")).count();
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

    private static final AtomicInteger FLOOD_SENT = new AtomicInteger();

    /** Sends {@code count} progress notifications for {@code token} of about {@code size} bytes each, as fast as it can. */
    public String flood(String token, int count, int size) {
        WorkerContext context = WorkerContext.current();
        String pad = "x".repeat(size);
        for (int i = 0; i < count; i++) {
            context.progress(token, Map.of("i", i, "pad", pad));
            FLOOD_SENT.incrementAndGet();
        }
        return "flooded";
    }

    /**
     * Waits until the {@link #flood} calls have sent something and then sent nothing more for
     * {@code quietMillis}, and tells on stderr (which the test reads while it does not read
     * stdout) how many notifications it had sent by then.
     */
    public int floodStalled(long quietMillis) throws InterruptedException {
        int last = FLOOD_SENT.get();
        long quietSince = System.nanoTime();
        while (last == 0 || System.nanoTime() - quietSince < TimeUnit.MILLISECONDS.toNanos(quietMillis)) {
            Thread.sleep(10);
            int now = FLOOD_SENT.get();
            if (now != last) {
                last = now;
                quietSince = System.nanoTime();
            }
        }
        System.err.println("floods stalled after " + last + " notifications");
        return last;
    }

    private static final List<Object> HOARD = new java.util.ArrayList<>();

    /**
     * Fills the heap to its last bytes and keeps it full, then fails with the last allocation's
     * {@link OutOfMemoryError}: whatever allocates next runs out of memory too.
     */
    public void exhaustMemory() {
        OutOfMemoryError last = null;
        for (int size = 1 << 20; size > 0; size /= 4) {
            try {
                while (true) {
                    HOARD.add(new byte[size]);
                }
            } catch (OutOfMemoryError full) {
                last = full;
            }
        }
        throw last;
    }

    /**
     * The handler of {@code report}: {@code {"steps": n}} reports progress n times, then logs, in
     * the worker's dialect. A handler, not a method, because MCP params carry {@code _meta}.
     */
    static Object report(RequestContext request) {
        int steps = request.params(JsonNode.class).path("steps").asInt();
        WorkerContext context = WorkerContext.current();
        for (int i = 1; i <= steps; i++) {
            context.progress(i, steps, "step " + i);
        }
        context.progress(steps + 1, null, null);
        context.log("reported " + steps + " steps");
        return steps;
    }

    /** A call listener that tells on stderr, one line each, of the requests started and ended. */
    static final class StderrListener implements CallListener {
        @Override
        public void requestStarted(String connection, String method, Id id) {
            System.err.println("request started: " + method + " " + id);
        }

        @Override
        public void requestEnded(String connection, String method, Id id, CallOutcome outcome, long durationNanos) {
            System.err.println("request ended: " + method + " " + id + " " + outcome.kind()
                    + (outcome.error() == null ? "" : " " + outcome.error().code()) + (durationNanos >= 0 ? "" : " negative duration"));
        }
    }

    /**
     * Serves this class: {@code main(framing, concurrency, setting=value...)}, where a setting is
     * {@code maxFrameSize}, {@code maxQueuedRequests}, {@code maxQueuedBytes} or {@code dialect}
     * of {@link Worker.Builder}, or {@code callListener=stderr} for a {@link StderrListener}.
     */
    public static void main(String[] args) {
        Worker.Builder builder = Worker.builder()
                .framing(Framing.parse(args.length > 0 ? args[0] : "newline"))
                .concurrency(args.length > 1 ? Integer.parseInt(args[1]) : 4)
                .service(new ServiceUnderTest())
                .handler("report", ServiceUnderTest::report);
        for (int i = 2; i < args.length; i++) {
            String[] setting = args[i].split("=", 2);
            switch (setting[0]) {
                case "maxFrameSize" -> builder.maxFrameSize(Integer.parseInt(setting[1]));
                case "maxQueuedRequests" -> builder.maxQueuedRequests(Integer.parseInt(setting[1]));
                case "maxQueuedBytes" -> builder.maxQueuedBytes(Long.parseLong(setting[1]));
                case "dialect" -> builder.dialect(Dialect.valueOf(setting[1]));
                case "callListener" -> builder.callListener(new StderrListener());
                default -> throw new IllegalArgumentException("unknown setting " + args[i]);
            }
        }
        builder.run();
        System.exit(0);
    }
}
