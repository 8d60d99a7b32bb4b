package dev.piperpc.cli;

import dev.piperpc.core.framing.Framing;
import dev.piperpc.core.message.RawJson;
import dev.piperpc.worker.Worker;

import java.io.PrintStream;
import java.util.Set;

/** {@code piperpc serve}: a built-in worker on this process's stdin and stdout. */
final class ServeCommand {

    static final String USAGE = """
            usage: piperpc serve spec|echo [--framing newline|lsp|stream]

            Runs a built-in worker on stdin/stdout until stdin ends:
              spec  the methods of the JSON-RPC 2.0 specification's examples (subtract, sum, update,
                    notify_hello, notify_sum, get_data) plus echo, sleep(ms) and fail(message)
              echo  answers every method with its params
            """;

    private ServeCommand() {
    }

    static int run(String[] args, PrintStream out) {
        Arguments arguments = new Arguments(args, Set.of("--framing"), Set.of());
        if (arguments.help) {
            out.print(USAGE);
            return 0;
        }
        if (arguments.positional.size() != 1) {
            throw new UsageException("expected spec or echo");
        }
        Framing framing = Main.framing(arguments.option("--framing", "newline"));
        Worker.Builder worker = Worker.builder().framing(framing);
        switch (arguments.positional.get(0)) {
            case "spec" -> worker.service(new SpecWorker());
            case "echo" -> worker.fallbackHandler(request -> request.params() == null ? RawJson.NULL : request.params());
            default -> throw new UsageException("unknown worker '" + arguments.positional.get(0) + "': expected spec or echo");
        }
        worker.run();
        return 0;
    }
}
