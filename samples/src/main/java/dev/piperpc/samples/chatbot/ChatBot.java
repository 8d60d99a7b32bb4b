package dev.piperpc.samples.chatbot;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.piperpc.core.Call;
import dev.piperpc.core.CallCancelledException;
import dev.piperpc.core.Endpoint;
import dev.piperpc.core.Params;
import dev.piperpc.core.PiperpcException;
import dev.piperpc.core.ProtocolMethods;
import dev.piperpc.core.Rpc;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A terminal chat bot that is the manager of {@link JobWorker}s. Cheap commands are answered at
 * once; heavy ones are handed to workers: the bot answers "queued #n" immediately, shows the
 * worker's progress, and posts the result when it arrives, while it keeps reading input.
 *
 * <p>Run: {@code ./piperpc demo} (interactive), or {@code ./piperpc demo --script FILE} /
 * piped stdin: at the end of the input the bot waits for the jobs still running, then exits 0.
 * With {@code --queue} the same bot and the same workers talk over an SQS request queue (on an
 * SQS-compatible server started in this process) instead of pipes: only the {@link Workers}
 * behind the bot's {@link Rpc} change.
 */
public final class ChatBot {

    private static final String HELP = """
            commands:
              primes N          count the primes up to N (on a worker)
              sleep S           sleep S seconds (on a worker)
              hash FILE         SHA-256 of FILE (on a worker)
              wordcount FILE..  count words over all workers (scatter/gather)
              cancel #n         cancel job n
              status            workers, calls in flight, jobs
              echo TEXT | time  answered by the bot itself, at once
              help | quit""";

    private static final java.lang.reflect.Type WORD_COUNTS = new TypeReference<Map<String, Long>>() { }.getType();

    private final PrintStream out;
    private final Workers workers;
    private final Rpc rpc;
    private final AtomicInteger nextJob = new AtomicInteger(1);
    private final Map<Integer, Job> jobs = new ConcurrentHashMap<>();

    /** A job handed to the workers. */
    private record Job(int number, String description, List<? extends Call<?>> calls, CompletableFuture<?> done) {
    }

    private ChatBot(PrintStream out, int size, boolean overQueue) {
        this.out = out;
        Endpoint.Builder endpoint = Endpoint.builder().defaultTimeout(Duration.ofMinutes(10)).handler(ProtocolMethods.PROGRESS, request -> {
            Map<?, ?> progress = request.params(Map.class);
            say(progress.get("token") + " " + progress.get("value"));
            return null;
        });
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xlog:all=warning:stderr", "-XX:+UseSerialGC", "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                JobWorker.class.getName());
        this.workers = overQueue ? new QueueWorkers(size, endpoint, command, this::say) : new PipeWorkers(size, endpoint, command, this::say);
        this.rpc = workers.rpc();
    }

    public static void main(String[] args) throws IOException {
        DemoOptions options = DemoOptions.parse(args);
        Path script = options.script;
        int workers = options.workers;
        boolean overQueue = options.queue;
        boolean interactive = script == null && System.console() != null;
        BufferedReader input = script != null
                ? Files.newBufferedReader(script, StandardCharsets.UTF_8)
                : new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        ChatBot bot = new ChatBot(System.out, workers, overQueue);
        bot.say("ready: " + workers + " workers" + (overQueue ? " on an SQS request queue" : "") + ". Type 'help'.");
        String line;
        while ((line = input.readLine()) != null) {
            if (!bot.handle(line.strip())) {
                break;
            }
            if (interactive) {
                System.out.print("> ");
                System.out.flush();
            }
        }
        bot.finish();
        System.exit(0);
    }

    private void say(String text) {
        synchronized (out) {
            out.println("[" + LocalTime.now().format(DateTimeFormatter.ofPattern("HH:mm:ss")) + "] " + text);
            out.flush();
        }
    }

    /** Handles one line; returns false on quit. */
    boolean handle(String line) {
        if (line.isEmpty() || line.startsWith("#!")) {
            return true;
        }
        String[] words = line.split("\\s+");
        try {
            switch (words[0]) {
                case "help" -> say(HELP);
                case "echo" -> say(line.substring(4).strip());
                case "time" -> say("it is " + LocalTime.now().withNano(0));
                case "primes" -> submit("primes " + words[1], "primes", Long.parseLong(words[1]));
                case "sleep" -> submit("sleep " + words[1], "sleep", Integer.parseInt(words[1]));
                case "hash" -> submit("hash " + words[1], "hash", words[1]);
                case "wordcount" -> wordcount(List.of(words).subList(1, words.length));
                case "cancel" -> cancel(words[1]);
                case "status" -> status();
                case "quit", "exit" -> {
                    return false;
                }
                default -> say("unknown command '" + words[0] + "'; try 'help'");
            }
        } catch (ArrayIndexOutOfBoundsException | NumberFormatException e) {
            say("missing or bad argument; try 'help'");
        } catch (PiperpcException e) {
            say("could not queue that: " + e.getMessage());
        } catch (IOException e) {
            say("cannot read " + e.getMessage());
        }
        return true;
    }

    private void submit(String description, String method, Object argument) {
        int number = nextJob.getAndIncrement();
        String token = "#" + number;
        Call<Object> call = rpc.send(method, Params.of(argument, token), Object.class);
        CompletableFuture<Object> done = call.toCompletableFuture();
        jobs.put(number, new Job(number, description, List.of(call), done));
        say("queued " + token + ": " + description);
        done.whenComplete((result, error) -> {
            jobs.remove(number);
            if (error == null) {
                say(token + " done: " + description + " = " + result);
            } else {
                say(token + (error instanceof CallCancelledException ? " cancelled" : " failed: " + error.getMessage()));
            }
        });
    }

    private void wordcount(List<String> files) throws IOException {
        if (files.isEmpty()) {
            say("wordcount needs at least one file");
            return;
        }
        List<String> lines = new ArrayList<>();
        for (String file : files) {
            lines.addAll(Files.readAllLines(Path.of(file), StandardCharsets.UTF_8));
        }
        int parts = workers.parallelism();
        int number = nextJob.getAndIncrement();
        String token = "#" + number;
        List<Call<Map<String, Long>>> calls = new ArrayList<>();
        for (int part = 0; part < parts; part++) {
            List<String> slice = lines.subList(lines.size() * part / parts, lines.size() * (part + 1) / parts);
            calls.add(rpc.send("wordcount", Params.of(slice), WORD_COUNTS, rpc.defaultCallTimeout()));
        }
        CompletableFuture<?>[] futures = calls.stream().map(Call::toCompletableFuture).toArray(CompletableFuture[]::new);
        CompletableFuture<Void> done = CompletableFuture.allOf(futures);
        jobs.put(number, new Job(number, "wordcount over " + parts + " workers", calls, done));
        say("queued " + token + ": wordcount of " + lines.size() + " lines in " + parts + " parts");
        done.whenComplete((ignored, error) -> {
            jobs.remove(number);
            if (error != null) {
                say(token + " failed: " + error.getMessage());
                return;
            }
            Map<String, Long> total = new HashMap<>();
            for (Call<Map<String, Long>> call : calls) {
                call.join().forEach((word, count) -> total.merge(word, count, Long::sum));
            }
            List<String> top = total.entrySet().stream()
                    .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()).thenComparing(Map.Entry.comparingByKey()))
                    .limit(5).map(entry -> entry.getKey() + "=" + entry.getValue()).toList();
            say(token + " done: " + total.size() + " distinct words; top " + top);
        });
    }

    private void cancel(String which) {
        int number = Integer.parseInt(which.replace("#", ""));
        Job job = jobs.get(number);
        if (job == null) {
            say("no running job #" + number);
            return;
        }
        job.calls().forEach(Call::cancel);
    }

    private void status() {
        StringBuilder text = new StringBuilder(workers.status());
        text.append("\njobs running: ").append(jobs.isEmpty() ? "none" : "");
        jobs.values().stream().sorted(Comparator.comparingInt(Job::number))
                .forEach(job -> text.append("\n  #").append(job.number()).append(' ').append(job.description()));
        say(text.toString());
    }

    /** End of input: wait for the jobs still running, then stop the workers. */
    private void finish() {
        if (!jobs.isEmpty()) {
            say("end of input: waiting for " + jobs.size() + " running job(s)");
        }
        for (Job job : List.copyOf(jobs.values())) {
            try {
                job.done().join();
            } catch (RuntimeException ignored) {
                // its failure was reported when it ended
            }
        }
        workers.close();
        say("bye");
    }
}
