package dev.piperpc.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** {@code piperpc} itself: the commands, and the overview that {@code piperpc --help} prints. */
// The build writes the project version into the resource bundle version.properties.
@Command(name = "piperpc", synopsisSubcommandLabel = "COMMAND [OPTIONS]",
        version = "piperpc ${bundle:piperpc.version}", resourceBundle = "dev.piperpc.cli.version",
        description = "JSON-RPC 2.0 with worker processes, over their stdin/stdout or an SQS request queue.",
        subcommands = {CallCommand.class, SendCommand.class, ServeCommand.class, BridgeCommand.class, QueueCommand.class, McpCommand.class,
                OwnJarCommands.Demo.class, OwnJarCommands.Bench.class, HelpCommand.class},
        footerHeading = "%nforms:%n",
        footer = {
                "  piperpc call METHOD [PARAMS_JSON] -- CMD ARGS...",
                "  piperpc call --queue URL METHOD [PARAMS_JSON]",
                "  piperpc send [--workers N] -- CMD ARGS...",
                "  piperpc send --queue URL",
                "  piperpc serve spec|echo [--listen sqs:URL]",
                "  piperpc bridge --listen sqs:URL [--workers N] -- CMD ARGS...",
                "  piperpc queue local|create|stats|sweep ...",
                "  piperpc mcp tools [--json] -- CMD ARGS...",
                "  piperpc mcp call TOOL [ARGS_JSON] [--json] -- CMD ARGS...",
                "  piperpc demo [--script FILE] [--queue] [--workers N]",
                "  piperpc bench [--quick]",
                "",
                "demo, bench and queue local run from jars of their own (samples, benchmarks, queue-local): the "
                        + "./piperpc launcher starts them. Over SQS, the AWS SDK reads AWS_ENDPOINT_URL_SQS, AWS_REGION "
                        + "and the credentials from the environment.",
                "",
                "Exit codes: 0 done; 1 a call was answered with an error, or a request got no answer; 2 bad usage; "
                        + "3 a worker or SQS could not be used; 4 (call, mcp) no answer within the timeout.",
                "",
                "'piperpc COMMAND --help' tells more."})
final class PiperpcCommand implements Callable<Integer> {

    private final Invocation invocation;

    @Spec
    private CommandSpec spec;

    PiperpcCommand(Invocation invocation) {
        this.invocation = invocation;
    }

    /** No command: the overview, on stderr, as bad usage. */
    @Override
    public Integer call() {
        spec.commandLine().usage(invocation.err());
        return 2;
    }
}
