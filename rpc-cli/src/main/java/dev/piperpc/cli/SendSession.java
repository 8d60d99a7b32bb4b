package dev.piperpc.cli;

import dev.piperpc.core.Call;
import dev.piperpc.core.CompletionQueue;
import dev.piperpc.core.Params;
import dev.piperpc.core.PiperpcException;
import dev.piperpc.core.Rpc;
import dev.piperpc.core.RpcException;
import dev.piperpc.core.codec.MessageReader;
import dev.piperpc.core.codec.MessageWriter;
import dev.piperpc.core.message.DecodedFrame;
import dev.piperpc.core.message.InvalidMessage;
import dev.piperpc.core.message.Message;
import dev.piperpc.core.message.Notification;
import dev.piperpc.core.message.RawJson;
import dev.piperpc.core.message.Request;
import dev.piperpc.core.message.Response;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * One run of {@code send}: the lines of stdin go to the server as they come (requests under the
 * user's own ids, notifications, and response lines that answer the server's requests), and each
 * response is printed on stdout as one line, in the order they arrive; with {@code wait}, each
 * line's requests are answered before the next line is read. Counts what went wrong: a request
 * with no answer, a line that is not a message, a response line nothing waits for.
 */
final class SendSession {

    private final Rpc rpc;
    private final Duration timeout;
    private final boolean wait;
    private final ServerRequests serverRequests;
    private final MessageWriter writer;
    private final PrintStream out;
    private final PrintStream err;
    private final MessageReader reader = new MessageReader();
    // Calls are taken in the order they end, so the lines come out in arrival order.
    private final CompletionQueue<RawJson> arrivals = new CompletionQueue<>();
    private final AtomicBoolean inputEnded = new AtomicBoolean();
    private final AtomicInteger problems = new AtomicInteger();
    private final Thread printer;

    SendSession(Rpc rpc, Duration timeout, boolean wait, ServerRequests serverRequests, MessageWriter writer, PrintStream out,
                PrintStream err) {
        this.rpc = rpc;
        this.timeout = timeout;
        this.wait = wait;
        this.serverRequests = serverRequests;
        this.writer = writer;
        this.out = out;
        this.err = err;
        this.printer = new Thread(() -> {
            try {
                printArrivals();
            } catch (RuntimeException | Error e) {
                // The exit code must say that answers went unprinted.
                err.println("piperpc: printing responses failed: " + e);
                problems.incrementAndGet();
            }
        }, "piperpc-send-printer");
        printer.start();
    }

    /** Prints {@code call}'s answer when it comes, as for a request read from stdin. */
    void track(Call<RawJson> call) {
        arrivals.add(call);
    }

    /** Sends what each line of {@code lines} holds, until stdin ends or {@code stop} says so. */
    void run(InputLines lines, BooleanSupplier stop) throws InterruptedException {
        String line;
        int lineNumber = 0;
        while ((line = lines.next(stop)) != null) {
            lineNumber++;
            if (line.isBlank()) {
                continue;
            }
            DecodedFrame frame = reader.decode(line.getBytes(StandardCharsets.UTF_8));
            List<Call<RawJson>> sent = new ArrayList<>();
            for (Message message : frame.messages()) {
                send(message, lineNumber, sent);
            }
            if (wait) {
                for (Call<RawJson> call : sent) {
                    awaitQuietly(call);
                }
            }
        }
    }

    /** Waits until every answer was printed (stdin has ended); the count of what went wrong. */
    int finish() throws InterruptedException {
        serverRequests.inputEnded();
        inputEnded.set(true);
        printer.join();
        return problems.get();
    }

    private void send(Message message, int lineNumber, List<Call<RawJson>> sent) {
        if (message instanceof Request request) {
            Params params = request.params() == null ? Params.none() : Params.raw(request.params());
            try {
                Call<RawJson> call = rpc.send(request.id(), request.method(), params, RawJson.class, timeout);
                arrivals.add(call);
                sent.add(call);
            } catch (PiperpcException | IllegalStateException | IllegalArgumentException e) {
                err.println("piperpc: could not send id " + request.id() + ": " + e.getMessage());
                problems.incrementAndGet();
            }
        } else if (message instanceof Notification notification) {
            try {
                rpc.notify(notification.method(), notification.params() == null ? Params.none() : Params.raw(notification.params()));
            } catch (PiperpcException e) {
                err.println("piperpc: could not send the notification of line " + lineNumber + ": " + e.getMessage());
                problems.incrementAndGet();
            }
        } else if (message instanceof Response response) {
            if (!serverRequests.typed(response)) {
                err.println("piperpc: line " + lineNumber + " answers id " + response.id()
                        + ", but no request of the server's with that id waits for an answer");
                problems.incrementAndGet();
            }
        } else {
            InvalidMessage invalid = (InvalidMessage) message;
            err.println("piperpc: line " + lineNumber + " is not a valid JSON-RPC message: " + invalid.error().message()
                    + (invalid.error().data() == null ? "" : " " + invalid.error().data()));
            problems.incrementAndGet();
        }
    }

    /** Prints each response as its call ends, until stdin has ended and every call was printed. */
    private void printArrivals() {
        while (true) {
            boolean lastChance = inputEnded.get();
            Call<RawJson> call = arrivals.poll(Duration.ofMillis(50));
            if (call == null) {
                if (lastChance && arrivals.outstanding() == 0) {
                    return;
                }
                continue;
            }
            try {
                print(out, writer.message(Response.success(call.id(), call.join())));
            } catch (RpcException e) {
                print(out, writer.message(Response.failure(call.id(), e.error())));
            } catch (PiperpcException e) {
                err.println("piperpc: no response for id " + call.id() + ": " + reason(e));
                problems.incrementAndGet();
            }
        }
    }

    private static void awaitQuietly(Call<RawJson> call) {
        try {
            call.join();
        } catch (PiperpcException e) {
            // Printed (or reported) by the printer.
        }
    }

    static void print(PrintStream out, byte[] json) {
        synchronized (out) {
            out.println(new String(json, StandardCharsets.UTF_8));
            out.flush();
        }
    }

    private static String reason(PiperpcException e) {
        if (e.getCause() instanceof PiperpcException cause && !e.getMessage().contains(cause.getMessage())) {
            return e.getMessage() + " (" + cause.getMessage() + ")";
        }
        return e.getMessage();
    }
}
