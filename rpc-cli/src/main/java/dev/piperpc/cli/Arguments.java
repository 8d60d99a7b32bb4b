package dev.piperpc.cli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The arguments of one subcommand: options ({@code --name value} or {@code --flag}), positional
 * arguments, and the worker command after {@code --}.
 */
final class Arguments {

    final Map<String, List<String>> options = new LinkedHashMap<>();
    final List<String> positional = new ArrayList<>();
    final List<String> command = new ArrayList<>();
    final boolean help;

    /**
     * Parses {@code args}.
     *
     * @param valued the options that take a value
     * @param flags  the options that do not
     */
    Arguments(String[] args, Set<String> valued, Set<String> flags) {
        boolean wantsHelp = false;
        int i = 0;
        for (; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--")) {
                command.addAll(Arrays.asList(args).subList(i + 1, args.length));
                break;
            }
            if (arg.equals("--help") || arg.equals("-h")) {
                wantsHelp = true;
            } else if (valued.contains(arg)) {
                if (i + 1 >= args.length) {
                    throw new UsageException(arg + " needs a value");
                }
                options.computeIfAbsent(arg, key -> new ArrayList<>()).add(args[++i]);
            } else if (flags.contains(arg)) {
                options.computeIfAbsent(arg, key -> new ArrayList<>()).add("true");
            } else if (arg.startsWith("--") || (arg.startsWith("-") && arg.length() > 1 && !Character.isDigit(arg.charAt(1)))) {
                throw new UsageException("unknown option " + arg);
            } else {
                positional.add(arg);
            }
        }
        this.help = wantsHelp;
    }

    String option(String name, String fallback) {
        List<String> values = options.get(name);
        return values == null ? fallback : values.get(values.size() - 1);
    }

    List<String> all(String name) {
        return options.getOrDefault(name, List.of());
    }

    boolean flag(String name) {
        return options.containsKey(name);
    }

    List<String> requireCommand() {
        if (command.isEmpty()) {
            throw new UsageException("missing the worker command after --");
        }
        return command;
    }
}
