package dev.piperpc.samples.chatbot;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A line typed to the bot, split into words, with the checks of its arguments: a command with an
 * argument that is missing, malformed or out of range is refused with a sentence saying what it
 * takes ({@link BadArgument}). Control characters are shown as {@code ^X}, so that nothing typed
 * reaches the terminal raw when the bot repeats it.
 *
 * @param line  the line, stripped, control characters made visible
 * @param words its words; the first is the command's name
 */
record Command(String line, List<String> words) {

    /** An argument that is missing or out of range: the bot says why and runs nothing. */
    static final class BadArgument extends Exception {
        BadArgument(String message) {
            super(message, null, false, false);
        }
    }

    /** The command typed as {@code typed}. */
    static Command parse(String typed) {
        String line = visible(typed.strip());
        return new Command(line, line.isEmpty() ? List.of("") : List.of(line.split("\\s+")));
    }

    /** The command's name: its first word. */
    String name() {
        return words.get(0);
    }

    /** The words after the name. */
    List<String> arguments() {
        return words.subList(1, words.size());
    }

    /** The line after the name, as typed. */
    String text() {
        return line.substring(name().length()).strip();
    }

    /** The one argument, a whole number from 0 to {@code max}; {@code usage} says what the command takes. */
    long number(String usage, long max) throws BadArgument {
        String word = onlyArgument(usage);
        try {
            long number = Long.parseLong(word);
            if (number >= 0 && number <= max) {
                return number;
            }
        } catch (NumberFormatException notANumber) {
            // refused below, as a number out of range is
        }
        throw new BadArgument(usage + ", not '" + word + "'");
    }

    /** The one argument, a job's number as {@code #n} or {@code n}. */
    int jobNumber(String usage) throws BadArgument {
        String word = onlyArgument(usage);
        if (!word.matches("#?\\d{1,9}")) {
            throw new BadArgument(usage + ", not '" + word + "'");
        }
        return Integer.parseInt(word.replace("#", ""));
    }

    /** The one argument, a file this process can read. */
    String readableFile(String usage) throws BadArgument {
        String word = onlyArgument(usage);
        Path file = Path.of(word);
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new BadArgument(usage + "; " + word + (Files.exists(file) ? " is not one" : " does not exist"));
        }
        return word;
    }

    private String onlyArgument(String usage) throws BadArgument {
        if (words.size() != 2) {
            throw new BadArgument(usage);
        }
        return words.get(1);
    }

    /** {@code text} with each control character shown as {@code ^X} (or {@code <U+009B>}), so that none reaches the terminal. */
    static String visible(String text) {
        StringBuilder shown = new StringBuilder(text.length());
        text.codePoints().forEach(c -> {
            if (c == '\t') {
                shown.append(' ');
            } else if (c < 0x20 || c == 0x7f) {
                shown.append('^').append((char) (c ^ 0x40));
            } else if (Character.isISOControl(c)) {
                shown.append(String.format("<U+%04X>", c));
            } else {
                shown.appendCodePoint(c);
            }
        });
        return shown.toString();
    }
}
