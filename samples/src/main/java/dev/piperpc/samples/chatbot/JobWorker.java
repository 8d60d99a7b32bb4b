package dev.piperpc.samples.chatbot;

import dev.piperpc.worker.Worker;
import dev.piperpc.worker.WorkerContext;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The chat bot's worker: heavy jobs that report progress ({@code $/progress} with the job's token)
 * and stop when the bot cancels them.
 */
public final class JobWorker {

    /** The environment variable that makes a worker stop when its stdin ends. */
    static final String EXIT_WITH_STDIN = "DEMO_EXIT_WHEN_STDIN_ENDS";

    /** Counts the primes up to {@code limit} with a segmented sieve, reporting progress in tenths. */
    public long primes(long limit, String token) {
        WorkerContext context = WorkerContext.current();
        if (limit < 2) {
            return 0;
        }
        int root = (int) Math.sqrt((double) limit);
        boolean[] composite = new boolean[root + 1];
        java.util.List<Integer> small = new java.util.ArrayList<>();
        for (int i = 2; i <= root; i++) {
            if (!composite[i]) {
                small.add(i);
                for (long j = (long) i * i; j <= root; j += i) {
                    composite[(int) j] = true;
                }
            }
        }
        long count = 0;
        int segment = 1 << 18;
        boolean[] marks = new boolean[segment];
        int lastTenth = -1;
        for (long low = 2; low <= limit; low += segment) {
            context.checkCancelled();
            long high = Math.min(low + segment - 1, limit);
            java.util.Arrays.fill(marks, false);
            for (int prime : small) {
                long start = Math.max((long) prime * prime, (low + prime - 1) / prime * prime);
                for (long j = start; j <= high; j += prime) {
                    marks[(int) (j - low)] = true;
                }
            }
            for (long n = low; n <= high; n++) {
                if (!marks[(int) (n - low)]) {
                    count++;
                }
            }
            int tenth = (int) (10 * (high - 1) / limit);
            if (tenth != lastTenth) {
                lastTenth = tenth;
                context.progress(token, tenth * 10 + "%");
            }
        }
        return count;
    }

    /** Sleeps {@code seconds}, reporting each second. */
    public String sleep(int seconds, String token) throws InterruptedException {
        WorkerContext context = WorkerContext.current();
        for (int i = 1; i <= seconds; i++) {
            Thread.sleep(1000);
            context.progress(token, i + "/" + seconds + " s");
        }
        return "slept " + seconds + " s";
    }

    /** The SHA-256 of a file, reporting progress by bytes read. */
    public String hash(String file, String token) throws IOException, NoSuchAlgorithmException {
        WorkerContext context = WorkerContext.current();
        Path path = Path.of(file);
        long size = Files.size(path);
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        byte[] buffer = new byte[1 << 20];
        long done = 0;
        int lastTenth = -1;
        try (InputStream in = Files.newInputStream(path)) {
            int read;
            while ((read = in.read(buffer)) >= 0) {
                context.checkCancelled();
                digest.update(buffer, 0, read);
                done += read;
                int tenth = size == 0 ? 10 : (int) (10 * done / size);
                if (tenth != lastTenth) {
                    lastTenth = tenth;
                    context.progress(token, tenth * 10 + "%");
                }
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** Counts the words of some lines (one part of a scatter/gather word count). */
    public Map<String, Long> wordcount(List<String> lines) {
        Map<String, Long> counts = new HashMap<>();
        for (String line : lines) {
            for (String word : line.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}']+")) {
                if (!word.isEmpty()) {
                    counts.merge(word, 1L, Long::sum);
                }
            }
        }
        return counts;
    }

    /**
     * Serves on stdio, or where {@code PIPERPC_LISTEN} says. With {@value #EXIT_WITH_STDIN} set
     * (the demo sets it for its queue workers, whose stdin is a pipe from the demo), the end of
     * stdin stops the worker as SIGTERM does: a worker on a queue does not outlive the demo,
     * even one killed with {@code kill -9}.
     */
    public static void main(String[] args) {
        if (System.getenv(EXIT_WITH_STDIN) != null) {
            Thread watcher = new Thread(JobWorker::exitWhenStdinEnds, "stdin-watch");
            watcher.setDaemon(true);
            watcher.start();
        }
        Worker.serve(new JobWorker());
    }

    private static void exitWhenStdinEnds() {
        try {
            while (System.in.read() >= 0) {
                // Nothing is sent on it; only its end matters.
            }
        } catch (IOException e) {
            // Ended all the same.
        }
        System.exit(0);
    }
}
