package dev.piperpc.samples.chatbot;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** The demo's command line, {@code piperpc demo [--script FILE] [--queue] [--workers N]}. */
// The build writes the project version into the resource bundle version.properties.
@Command(name = "piperpc demo", mixinStandardHelpOptions = true,
        version = "piperpc ${bundle:piperpc.version}", resourceBundle = "dev.piperpc.samples.chatbot.version",
        synopsisHeading = "usage: ", descriptionHeading = "%n", optionListHeading = "%noptions:%n", sortOptions = false,
        description = {
                "the chat-bot demo: a manager of worker processes",
                "",
                "Type 'primes 20000000', 'sleep 5', 'hash FILE' or 'wordcount FILE...' and the bot answers "
                        + "\"queued #n\" at once, shows the worker's progress and posts the result when it arrives, "
                        + "while 'echo hi', 'time' and 'status' are answered at once; 'help' lists the commands. "
                        + "With --script FILE or piped input it runs unattended and exits 0 when the jobs are done."},
        footerHeading = "%n",
        footer = "Bad usage: exit 2.")
final class DemoOptions {

    @Option(names = "--script", paramLabel = "FILE", description = "read the commands from FILE instead of the terminal")
    Path script;

    @Option(names = "--workers", paramLabel = "N", defaultValue = "2", description = "how many worker processes (default ${DEFAULT-VALUE})")
    int workers;

    @Option(names = "--queue", description = "bot and workers talk over an SQS request queue, on an SQS-compatible server started in the demo's process, instead of pipes")
    boolean queue;

    private DemoOptions() {
    }

    /**
     * Reads the command line. Help and the version are printed on stdout and end the process (exit 0);
     * bad usage is one line on stderr and ends it with exit code 2.
     */
    static DemoOptions parse(String[] args) {
        DemoOptions options = new DemoOptions();
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
            System.err.println("try 'piperpc demo --help'");
            System.exit(2);
        }
        return options;
    }

    private void check(CommandLine cli) {
        if (workers < 1) {
            throw new ParameterException(cli, "--workers takes a positive number, not " + workers);
        }
        if (script != null && !Files.isRegularFile(script)) {
            throw new ParameterException(cli, "--script " + script + ": " + (Files.exists(script) ? "not a file" : "no such file"));
        }
        if (script != null && !Files.isReadable(script)) {
            throw new ParameterException(cli, "--script " + script + ": cannot be read");
        }
    }
}
