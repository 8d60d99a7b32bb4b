package dev.piperpc.cli;

import dev.piperpc.core.framing.Framing;

import java.io.InputStream;
import java.io.PrintStream;
import java.util.Arrays;

/** The {@code piperpc} command line tool. */
public final class Main {

    static final String USAGE = """
            usage: piperpc COMMAND [OPTIONS]

            commands:
              call    make one call to a worker:           piperpc call METHOD [PARAMS_JSON] -- CMD ARGS...
                      ... or to a request queue:           piperpc call --queue URL METHOD [PARAMS_JSON]
              send    pipeline messages from stdin:        piperpc send [--workers N] -- CMD ARGS...
                                                           piperpc send --queue URL
              serve   run a built-in worker (spec, echo):  piperpc serve spec [--listen sqs:URL]
              bridge  a stdio worker serves a queue:       piperpc bridge --listen sqs:URL [--workers N] -- CMD ARGS...
              queue   SQS queues for piperpc:              piperpc queue local|create|stats|sweep ...
              demo    the chat-bot demo:                   piperpc demo [--script FILE]
              bench   the benchmarks:                      piperpc bench [--quick]

            demo, bench and queue local run from jars of their own (samples, benchmarks,
            queue-local): the ./piperpc launcher starts them. Over SQS, the AWS SDK reads
            AWS_ENDPOINT_URL_SQS, AWS_REGION and the credentials from the environment.

            'piperpc COMMAND --help' tells more.
            """;

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

    /** Runs a command; returns its exit code, or -1 when the command already finished the process's work and exits itself. */
    static int run(String[] args, InputStream in, PrintStream out, PrintStream err) throws Exception {
        if (args.length == 0) {
            err.print(USAGE);
            return 2;
        }
        String command = args[0];
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        try {
            return switch (command) {
                case "call" -> CallCommand.run(rest, out, err);
                case "send" -> SendCommand.run(rest, in, out, err);
                case "serve" -> ServeCommand.run(rest, out);
                case "bridge" -> BridgeCommand.run(rest, out, err);
                case "queue" -> QueueCommand.run(rest, out);
                case "demo", "bench" -> throw new UsageException("'" + command + "' runs from its own jar: start it with the ./piperpc launcher");
                case "--help", "-h", "help" -> {
                    out.print(USAGE);
                    yield 0;
                }
                default -> throw new UsageException("unknown command '" + command + "'");
            };
        } catch (UsageException e) {
            err.println("piperpc: " + e.getMessage());
            err.println("try 'piperpc " + (command.startsWith("-") ? "" : command + " ") + "--help'");
            return 2;
        } catch (UnavailableException e) {
            err.println("piperpc: " + e.getMessage());
            return 3;
        }
    }

    static Framing framing(String name) {
        try {
            return Framing.parse(name);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
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
