package dev.piperpc.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

import java.util.List;
import java.util.concurrent.Callable;

/**
 * The commands that run from jars of their own, which the {@code ./piperpc} launcher starts: listed
 * here so that the help names them; run from piperpc.jar, they say where they are.
 */
final class OwnJarCommands {

    private OwnJarCommands() {
    }

    /** Refuses to run, whatever the arguments: this jar does not have the command's code. */
    abstract static class OwnJarCommand implements Callable<Integer> {

        @Spec
        private CommandSpec spec;

        @Unmatched
        private List<String> arguments;

        @Override
        public Integer call() {
            String name = spec.qualifiedName().substring("piperpc ".length());
            throw new UsageException("'" + name + "' runs from its own jar: start it with the ./piperpc launcher");
        }
    }

    @Command(name = "demo", description = {"the chat-bot demo: a manager of worker processes, over pipes or a queue",
            "",
            "Runs from samples/target/piperpc-samples.jar: './piperpc demo --help' tells more."})
    static final class Demo extends OwnJarCommand {
    }

    @Command(name = "bench", description = {"the benchmarks: piperpc side by side with other JSON-RPC libraries",
            "",
            "Runs from benchmarks/target/piperpc-benchmarks.jar: './piperpc bench --help' tells more."})
    static final class Bench extends OwnJarCommand {
    }

    @Command(name = "local", description = {"an SQS-compatible server (ElasticMQ, in memory) on 127.0.0.1",
            "",
            "Runs from queue-local/target/piperpc-queue-local.jar: './piperpc queue local --help' tells more."})
    static final class QueueLocal extends OwnJarCommand {
    }
}
