package dev.piperpc.cli;

import dev.piperpc.core.framing.Framing;
import picocli.CommandLine;
import picocli.CommandLine.IFactory;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.RunLast;
import picocli.CommandLine.TypeConversionException;
import picocli.CommandLine.UnmatchedArgumentException;

import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.lang.reflect.Constructor;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** The {@code piperpc} command line tool. */
public final class Main {

    private Main() {
    }

    /**
     * Runs the command named by the first argument, then exits with its exit code unless the
     * command ends the process itself.
     *
     * @param args the command and its arguments, as on the command line
     * @throws Exception if the command fails in a way it does not report itself
     */
    public static void main(String[] args) throws Exception {
        configureLogging();
        int code = run(args, System.in, System.out, System.err);
        if (code >= 0) {
            System.exit(code);
        }
    }

    /**
     * Runs a command; returns its exit code, or -1 when the command already finished the process's
     * work and exits itself. Everything after the first {@code --} is the worker command, never
     * read as options; the rest is parsed by picocli. Bad usage is one line on {@code err} (and a
     * pointer to {@code --help}), exit code 2; what the command needs being unavailable, exit code 3.
     */
    static int run(String[] args, InputStream in, PrintStream out, PrintStream err) throws Exception {
        int dashes = Arrays.asList(args).indexOf("--");
        String[] options = dashes < 0 ? args : Arrays.copyOf(args, dashes);
        List<String> workerCommand = dashes < 0 ? List.of() : Arrays.asList(args).subList(dashes + 1, args.length);
        Invocation invocation = new Invocation(in, out, err, workerCommand);

        CommandLine cli = new CommandLine(new PiperpcCommand(invocation), factory(invocation));
        cli.registerConverter(DurationArgument.class, DurationArgument::parse);
        cli.registerConverter(Framing.class, Main::framing);
        // "@file" is an argument like any other (a method may start with @), and a repeated option's last value counts.
        cli.setExpandAtFiles(false);
        cli.setOverwrittenOptionsAllowed(true);
        cli.setOut(writer(out));
        cli.setErr(writer(err));
        standardize(cli, cli.getCommandSpec().version());
        cli.setExecutionStrategy(parseResult -> execute(parseResult, invocation));
        cli.setParameterExceptionHandler((e, arguments) -> usageError(e.getCommandLine(), message(e), err));
        cli.setExecutionExceptionHandler((e, command, parseResult) -> {
            if (e instanceof UsageException) {
                return usageError(command, e.getMessage(), err);
            }
            if (e instanceof UnavailableException) {
                err.println("piperpc: " + e.getMessage());
                return 3;
            }
            throw e;
        });
        return cli.execute(options);
    }

    /** Runs the command the arguments name, after refusing a worker command that it does not take. */
    private static int execute(ParseResult parseResult, Invocation invocation) {
        List<CommandLine> commands = parseResult.asCommandLineList();
        CommandLine command = commands.get(commands.size() - 1);
        boolean help = commands.stream().anyMatch(each -> each.isUsageHelpRequested() || each.isVersionHelpRequested());
        if (!help && !invocation.workerCommand().isEmpty() && !(command.getCommand() instanceof TakesWorkerCommand)) {
            throw new ParameterException(command, "'" + command.getCommandSpec().name() + "' takes no worker command after --");
        }
        return new RunLast().execute(parseResult);
    }

    /** Every command takes --help and --version (which prints {@code version}), and its help starts with its usage. */
    private static void standardize(CommandLine command, String[] version) {
        CommandSpec spec = command.getCommandSpec();
        spec.mixinStandardHelpOptions(true);
        spec.version(version);
        spec.usageMessage().synopsisHeading("usage: ").descriptionHeading("%n").parameterListHeading("%narguments:%n")
                .optionListHeading("%noptions:%n").commandListHeading("%ncommands:%n").sortOptions(false);
        command.getSubcommands().values().forEach(subcommand -> standardize(subcommand, version));
    }

    /** Makes each command with the invocation, if its constructor takes one. */
    private static IFactory factory(Invocation invocation) {
        IFactory standard = CommandLine.defaultFactory();
        return new IFactory() {
            @Override
            public <K> K create(Class<K> type) throws Exception {
                for (Constructor<?> constructor : type.getDeclaredConstructors()) {
                    if (Arrays.equals(constructor.getParameterTypes(), new Class<?>[] {Invocation.class})) {
                        return type.cast(constructor.newInstance(invocation));
                    }
                }
                return standard.create(type);
            }
        };
    }

    /** Picocli's message, as one line that speaks like the tool's own. */
    private static String message(ParameterException e) {
        if (e instanceof UnmatchedArgumentException unmatched && !unmatched.getUnmatched().isEmpty()) {
            String argument = unmatched.getUnmatched().get(0);
            if (argument.startsWith("-")) {
                return "unknown option " + argument;
            }
            if (!e.getCommandLine().getSubcommands().isEmpty()) {
                String parent = e.getCommandLine().getCommandSpec().qualifiedName();
                return "unknown command '" + (parent + " " + argument).substring("piperpc ".length()) + "'";
            }
            return "unexpected argument " + argument;
        }
        String text = e.getMessage().strip().replaceAll("\\s*\\R\\s*", " ");
        return text.isEmpty() ? text : text.substring(0, 1).toLowerCase(Locale.ROOT) + text.substring(1);
    }

    private static int usageError(CommandLine command, String message, PrintStream err) {
        err.println("piperpc: " + message);
        err.println("try '" + command.getCommandSpec().qualifiedName() + " --help'");
        return 2;
    }

    private static Framing framing(String name) {
        try {
            return Framing.parse(name);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }

    private static PrintWriter writer(PrintStream stream) {
        return new PrintWriter(stream, true);
    }

    /** Quiet logs for a command line tool: warnings, and the workers' stderr lines, without thread names. */
    private static void configureLogging() {
        setDefault("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        setDefault("org.slf4j.simpleLogger.log.dev.piperpc.worker", "info");
        setDefault("org.slf4j.simpleLogger.showThreadName", "false");
        setDefault("org.slf4j.simpleLogger.showLogName", "true");
        setDefault("org.slf4j.simpleLogger.showShortLogName", "true");
    }

    private static void setDefault(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
