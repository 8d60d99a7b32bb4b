package dev.piperpc.benchmarks;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** The command line of {@link Bench}, {@code piperpc bench [--quick] [--rounds N] [--workloads W1,W4] [--peers raw-jvm,piperpc] [--output FILE]}. */
// The build writes the project version into the resource bundle version.properties.
@Command(name = "piperpc bench", mixinStandardHelpOptions = true,
        version = "piperpc ${bundle:piperpc.version}", resourceBundle = "dev.piperpc.benchmarks.version",
        synopsisHeading = "usage: ", descriptionHeading = "%n", optionListHeading = "%noptions:%n", sortOptions = false,
        description = {
                "the benchmarks: piperpc side by side with other JSON-RPC libraries",
                "",
                "Runs the workloads interleaved over the peers, each run in a fresh JVM with fresh workers, prints one "
                        + "line per peer and workload with medians and ratios, and writes the same table to the output "
                        + "file. A full run takes under 10 minutes on 2 cores; --quick is a check that everything runs, "
                        + "not figures."},
        footerHeading = "%n",
        footer = "Bad usage: exit 2.")
final class BenchOptions {

    /** The workloads of a full run. */
    static final List<Workload> ALL = List.of(Workload.W1, Workload.W2, Workload.W2U, Workload.W3, Workload.W4, Workload.W5,
            Workload.W6, Workload.W7, Workload.W7L);
    /** The workloads of a quick run: W5 only when asked, since starting 64 worker JVMs per peer alone takes longer than its budget. */
    static final List<Workload> QUICK = ALL.stream().filter(workload -> workload != Workload.W5).toList();

    @Option(names = "--quick", description = "one round, a tenth of the calls, 1 s warm-ups, no W5 unless asked: under a minute")
    boolean quick;

    @Option(names = "--rounds", paramLabel = "N", description = "how many rounds (default 5, or 1 with --quick); W5 runs at most "
            + Bench.MANY_WORKERS_ROUNDS + ", the queue workloads at most " + Bench.QUEUE_ROUNDS)
    private Integer rounds;

    @Option(names = "--workloads", paramLabel = "W", split = ",", description = "the workloads to run, of ${COMPLETION-CANDIDATES} (default all)")
    private List<Workload> workloads;

    @Option(names = "--peers", paramLabel = "PEER", split = ",", description = "the peers to run, of raw-pipe, raw-jvm, raw-sdk, piperpc, lsp4j, jsonrpc4j (default all), "
            + "and piperpc-metrics (piperpc with PoolMetrics registered; only when named)")
    private List<String> peers;

    @Option(names = "--output", paramLabel = "FILE", defaultValue = "benchmarks/results/latest.md",
            description = "the table (default ${DEFAULT-VALUE})")
    Path output;

    private BenchOptions() {
    }

    /**
     * Reads the command line. Help and the version are printed on stdout and end the process (exit 0);
     * bad usage is one line on stderr and ends it with exit code 2.
     */
    static BenchOptions parse(String[] args) {
        BenchOptions options = new BenchOptions();
        CommandLine cli = new CommandLine(options);
        cli.setExpandAtFiles(false);
        try {
            ParseResult parsed = cli.parseArgs(args);
            if (CommandLine.printHelpIfRequested(parsed)) {
                System.exit(0);
            }
            options.check(cli);
        } catch (ParameterException e) {
            String message = e.getMessage().strip().replaceAll("\\s*\\R\\s*", " ");
            System.err.println("piperpc: " + message.substring(0, 1).toLowerCase(Locale.ROOT) + message.substring(1));
            System.err.println("try 'piperpc bench --help'");
            System.exit(2);
        }
        return options;
    }

    private void check(CommandLine cli) {
        if (rounds != null && rounds < 1) {
            throw new ParameterException(cli, "--rounds takes a positive number, not " + rounds);
        }
        if (peers != null) {
            for (String peer : peers) {
                if (!Bench.KNOWN_PEERS.contains(peer)) {
                    throw new ParameterException(cli, "unknown peer '" + peer + "': expected " + String.join(", ", Bench.KNOWN_PEERS));
                }
            }
        }
    }

    int rounds() {
        return rounds != null ? rounds : quick ? 1 : 5;
    }

    List<Workload> workloads() {
        return workloads != null ? List.copyOf(workloads) : quick ? QUICK : ALL;
    }

    List<String> peers() {
        return peers != null ? List.copyOf(peers) : Bench.PEERS;
    }
}
