package dev.piperpc.samples.chatbot;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.piperpc.core.Call;
import dev.piperpc.core.CallCancelledException;
import dev.piperpc.core.Endpoint;
import dev.piperpc.core.Params;
import dev.piperpc.core.PiperpcException;
import dev.piperpc.core.ProtocolMethods;
import dev.piperpc.core.Rpc;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
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
 * <p>Run: {@code ./piperpc demo} (interactive: a {@link TerminalConsole}), or {@code ./piperpc demo
 * --script FILE} / piped stdin (plain lines: a {@link PlainConsole}): at the end of the input the
 * bot waits for the jobs still running, then exits 0.
 * With {@code --queue} the same bot and the same workers talk over an SQS request queue (on an
 * SQS-compatible server started in this process) instead of pipes: only the {@link Workers}
 * behind the bot's {@link Rpc} change.
 */
public final class ChatBot {

    /** The largest N of {@code primes N}: a minute or so of a worker's time. */
    private static final long MAX_PRIMES = 10_000_000_000L;
    /** The longest {@code sleep}: well within the calls' timeout. */
    private static final int MAX_SLEEP_SECONDS = 300;

    private static final String HELP = """
            commands:
              primes N          count the primes up to N (on a worker)
              sleep S           sleep S seconds, up to %d (on a worker)
              hash FILE         SHA-256 of FILE (on a worker)
              wordcount FILE..  count words over all workers (scatter/gather)
              cancel #n         cancel job n
              status            workers, calls in flight, jobs
              echo TEXT | time  answered by the bot itself, at once
              help | quit""".formatted(MAX_SLEEP_SECONDS);

    private static final java.lang.reflect.Type WORD_COUNTS = new TypeReference<Map<String, Long>>() { }.getType();

    private final Console console;
    private final Workers workers;
    private final Rpc rpc;
    private final AtomicInteger nextJob = new AtomicInteger(1);
    private final Map<Integer, Job> jobs = new ConcurrentHashMap<>();

    /** A job handed to the workers. */
    private record Job(int number, String description, List<? extends Call<?>> calls, CompletableFuture<?> done) {
    }

    private ChatBot(Console console, int size, boolean overQueue) {
        this.console = console;
        Endpoint.Builder endpoint = Endpoint.builder().defaultTimeout(Duration.ofMinutes(10)).handler(ProtocolMethods.PROGRESS, request -> {
            Map<?, ?> progress = request.params(Map.class);
            String token = String.valueOf(progress.get("token"));
            if (token.matches("#\\d{1,9}")) {
                console.progress(Integer.parseInt(token.substring(1)), String.valueOf(progress.get("value")));
            }
            return null;
        });
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xlog:all=warning:stderr", "-XX:+UseSerialGC", "-Xmx256m",
                // A worker's notes on how it started are not news for the person at the bot; its warnings are.
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-cp", System.getProperty("java.class.path"),
                JobWorker.class.getName());
        this.workers = overQueue ? new QueueWorkers(size, endpoint, command, this::say) : new PipeWorkers(size, endpoint, command, this::say);
        this.rpc = workers.rpc();
    }

    public static void main(String[] args) throws IOException {
        DemoOptions options = DemoOptions.parse(args);
        Path script = options.script;
        int workers = options.workers;
        boolean overQueue = options.queue;
        // The bot tells of its workers' crashes and restarts itself, once each: not the pool's log too.
        System.setProperty("org.slf4j.simpleLogger.log.dev.piperpc.pipe", "error");
        System.setProperty("org.slf4j.simpleLogger.log.dev.piperpc.pipe.WorkerPool", "off");
        Console console = Console.open(script);
        ChatBot bot = new ChatBot(console, workers, overQueue);
        bot.say("ready: " + workers + " workers" + (overQueue ? " on an SQS request queue" : "") + ". Type 'help'.");
        String line;
        while ((line = console.readLine()) != null) {
            if (!bot.handle(line) && bot.mayQuit()) {
                break;
            }
        }
        bot.finish();
        console.close();
        System.exit(0);
    }

    private void say(String text) {
        console.say(text);
    }

    /** Handles one line; returns false on quit. */
    boolean handle(String typed) {
        Command command = Command.parse(typed);
        if (command.line().isEmpty() || command.line().startsWith("#!")) {
            return true;
        }
        try {
            switch (command.name()) {
                case "help" -> say(HELP);
                case "echo" -> say(command.text());
                case "time" -> say("it is " + LocalTime.now().withNano(0));
                case "primes" -> {
                    long limit = command.number("primes needs a whole number from 0 to " + MAX_PRIMES + " (primes N)", MAX_PRIMES);
                    submit("primes " + limit, "primes", limit);
                }
                case "sleep" -> {
                    long seconds = command.number("sleep needs whole seconds from 0 to " + MAX_SLEEP_SECONDS + " (sleep S)", MAX_SLEEP_SECONDS);
                    submit("sleep " + seconds, "sleep", (int) seconds);
                }
                case "hash" -> {
                    String file = command.readableFile("hash needs a file it can read (hash FILE)");
                    submit("hash " + file, "hash", file);
                }
                case "wordcount" -> wordcount(command.arguments());
                case "cancel" -> cancel(command.jobNumber("cancel needs a job number (cancel #n)"));
                case "status" -> status();
                case "quit", "exit" -> {
                    return false;
                }
                default -> say("unknown command '" + command.name() + "'; try 'help'");
            }
        } catch (Command.BadArgument e) {
            say(e.getMessage());
        } catch (PiperpcException e) {
            say("could not queue that: " + Failures.sentence(e));
        } catch (NoSuchFileException e) {
            say("no such file: " + e.getMessage());
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
        console.started(number, description);
        done.whenComplete((result, error) -> {
            jobs.remove(number);
            console.ended(number);
            if (error == null) {
                say(token + " done: " + description + " = " + result);
            } else {
                say(token + (error instanceof CallCancelledException ? " cancelled" : " failed: " + Failures.sentence(error)));
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
        String description = "wordcount over " + parts + " workers";
        jobs.put(number, new Job(number, description, calls, done));
        say("queued " + token + ": wordcount of " + lines.size() + " lines in " + parts + " parts");
        console.started(number, description);
        done.whenComplete((ignored, error) -> {
            jobs.remove(number);
            console.ended(number);
            if (error != null) {
                say(token + " failed: " + Failures.sentence(error));
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

    private void cancel(int number) {
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

    /** The user typed quit: whether to leave now, after asking what to do with the jobs still running. */
    private boolean mayQuit() {
        if (jobs.isEmpty()) {
            return true;
        }
        switch (console.askOnQuit(jobs.size())) {
            case STAY -> {
                return false;
            }
            case CANCEL -> {
                List<Job> running = jobs.values().stream().sorted(Comparator.comparingInt(Job::number)).toList();
                say("cancelling " + String.join(", ", running.stream().map(job -> "#" + job.number()).toList()) + " on the way out");
                running.forEach(job -> job.calls().forEach(Call::cancel));
                return true;
            }
            default -> {
                return true;
            }
        }
    }

    /** End of input or quit: wait for the jobs still running, then stop the workers. */
    private void finish() {
        if (!jobs.isEmpty()) {
            say("waiting for " + jobs.size() + " running job(s) to end");
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
