package dev.piperpc.cli;

import picocli.CommandLine.TypeConversionException;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A duration given on the command line, written as {@code 500ms}, {@code 30s}, {@code 2m},
 * {@code 1h} or {@code 1d}: its value, and its text, which is how the tool prints it back.
 *
 * @param value the duration: positive, at most {@link #LONGEST}
 * @param text  the duration as written
 */
record DurationArgument(Duration value, String text) {

    /** The longest duration any option takes: longer ones are typing mistakes, and would overflow deadlines. */
    static final Duration LONGEST = Duration.ofDays(365);

    private static final Pattern FORMAT = Pattern.compile("(\\d+)(ms|s|m|h|d)");

    /**
     * Reads {@code text}.
     *
     * @throws TypeConversionException if it is not a duration, is zero, or is longer than {@link #LONGEST}
     */
    static DurationArgument parse(String text) {
        String written = text.strip();
        Matcher matcher = FORMAT.matcher(written);
        if (!matcher.matches()) {
            throw new TypeConversionException("'" + text + "' is not a duration: write it like 500ms, 30s, 2m, 1h or 1d");
        }
        ChronoUnit unit = switch (matcher.group(2)) {
            case "ms" -> ChronoUnit.MILLIS;
            case "s" -> ChronoUnit.SECONDS;
            case "m" -> ChronoUnit.MINUTES;
            case "h" -> ChronoUnit.HOURS;
            default -> ChronoUnit.DAYS;
        };
        Duration value;
        try {
            value = Duration.of(Long.parseLong(matcher.group(1)), unit);
        } catch (NumberFormatException | ArithmeticException e) {
            value = null;
        }
        if (value == null || value.compareTo(LONGEST) > 0) {
            throw new TypeConversionException("'" + written + "' is too long: at most 365d");
        }
        if (value.isZero()) {
            throw new TypeConversionException("a duration must be positive, not " + written);
        }
        return new DurationArgument(value, written);
    }

    @Override
    public String toString() {
        return text;
    }
}
