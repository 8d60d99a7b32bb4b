package dev.piperpc.samples.chatbot;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A running job as its status line shows it: {@code #1 sleep 5  [========            ] 2/5 s}. The
 * bar is drawn when the worker's progress reads as a share of the work ({@code 40%}, {@code 2/5 s}).
 *
 * @param number      the job's number
 * @param description what it does
 * @param value       the worker's last progress report, or {@code null} before the first
 */
record JobProgress(int number, String description, String value) {

    private static final Pattern PERCENT = Pattern.compile("(\\d+)%");
    private static final Pattern FRACTION = Pattern.compile("(\\d+)/(\\d+)\\b.*");
    private static final int BAR = 20;

    /** The same job at progress {@code value}. */
    JobProgress at(String value) {
        return new JobProgress(number, description, value);
    }

    /** The status line, at most {@code width} characters. */
    String render(int width) {
        StringBuilder line = new StringBuilder("#").append(number).append(' ').append(description).append("  ");
        double share = share();
        if (share >= 0) {
            int done = (int) Math.round(Math.min(1, share) * BAR);
            line.append('[').append("=".repeat(done)).append(" ".repeat(BAR - done)).append("] ");
        }
        line.append(value == null ? "queued" : value);
        return line.length() <= width ? line.toString() : line.substring(0, width);
    }

    /** The share of the work done, from 0 to 1, or -1 if the progress does not say. */
    private double share() {
        if (value == null) {
            return -1;
        }
        Matcher percent = PERCENT.matcher(value);
        if (percent.matches()) {
            return Integer.parseInt(percent.group(1)) / 100.0;
        }
        Matcher fraction = FRACTION.matcher(value);
        if (fraction.matches() && Long.parseLong(fraction.group(2)) > 0) {
            return Long.parseLong(fraction.group(1)) / (double) Long.parseLong(fraction.group(2));
        }
        return -1;
    }
}
