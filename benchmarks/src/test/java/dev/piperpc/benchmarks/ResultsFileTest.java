package dev.piperpc.benchmarks;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The results file a full or quick run ends with: written from the table, with the rounds and
 * warm-ups the run used and the notes on how each peer was driven.
 */
class ResultsFileTest {

    private static final List<String[]> TABLE = List.<String[]>of(new String[] {"W5", "piperpc", "calls_per_s", "70775", "n/a", "0.43",
            "n/a", "0.04", "1.66", "4.35", "23.25", "72", "8", "311", "", "1"});

    @TempDir
    Path directory;

    @Test
    void aFullRunWritesItsRoundsWarmUpsTableAndNotes() throws IOException {
        Path output = directory.resolve("results/latest.md");
        Bench.writeMarkdown(output, TABLE, false, 5, Duration.ofSeconds(546), List.of("piperpc", "lsp4j"));
        String markdown = Files.readString(output);
        assertTrue(markdown.contains("median of 5 rounds (W2: median of 3; W3: median of 2; W5: median of 3 measurements in one run; W7 and W7L: median of 2)"),
                markdown);
        assertTrue(markdown.contains("the whole run took 9 min 06 s"), markdown);
        assertTrue(markdown.contains("W5: " + RunOne.MANY_WORKERS_WARM_UP.toSeconds() + " s"), markdown);
        assertTrue(markdown.contains("| W5 | piperpc | calls_per_s | 70775 |"), markdown);
        assertTrue(markdown.contains("warms them all at once for " + RunOne.MANY_WORKERS_WARM_UP.toSeconds() + " s"), markdown);
        assertTrue(markdown.contains("20–70% more CPU per call"), markdown);
        assertTrue(markdown.contains("made this time for: piperpc, lsp4j"), markdown);
        assertTrue(markdown.contains("In exchange it runs in at most 3 rounds. W3 warms for as long as W2, in at most 2 rounds"), markdown);
        assertTrue(markdown.contains("for " + RunOne.TIMER_WINDOW.toSeconds() + " s whatever the peer (quick mode: "
                + RunOne.QUICK_TIMER_WINDOW.toMillis() + " ms)"), markdown);
    }

    @Test
    void aQuickRunSaysItIsACheck() throws IOException {
        Path output = directory.resolve("quick.md");
        Bench.writeMarkdown(output, TABLE, true, 1, Duration.ofSeconds(55), List.of());
        String markdown = Files.readString(output);
        assertTrue(markdown.contains("quick mode (one round"), markdown);
        assertTrue(markdown.contains("made this time for: no peer"), markdown);
    }
}
