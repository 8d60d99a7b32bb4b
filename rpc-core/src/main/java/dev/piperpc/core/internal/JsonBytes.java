package dev.piperpc.core.internal;

/**
 * The pieces of JSON's grammar that the readers which do without a parser share, over UTF-8
 * bytes: {@code bytes[at, end)} is read, and each method returns the index after what it read,
 * or -1 if the bytes there are not what it reads. Stateless; any thread.
 */
public final class JsonBytes {

    private JsonBytes() {
    }

    /** The index after the whitespace JSON allows (space, tab, line feed, carriage return) at {@code at}. */
    public static int skipSpace(byte[] bytes, int at, int end) {
        int i = at;
        while (i < end) {
            byte b = bytes[i];
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
                break;
            }
            i++;
        }
        return i;
    }

    /** The index after {@code word} (ASCII) at {@code at}, or -1. */
    public static int literal(byte[] bytes, int at, int end, String word) {
        if (end - at < word.length()) {
            return -1;
        }
        for (int i = 0; i < word.length(); i++) {
            if (bytes[at + i] != word.charAt(i)) {
                return -1;
            }
        }
        return at + word.length();
    }

    /** The index after a number as JSON writes it, {@code -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?}, at {@code at}, or -1. */
    public static int number(byte[] bytes, int at, int end) {
        int i = at;
        if (i < end && bytes[i] == '-') {
            i++;
        }
        int digitsFrom = i;
        i = digits(bytes, i, end);
        if (i == digitsFrom || (i - digitsFrom > 1 && bytes[digitsFrom] == '0')) {
            return -1;
        }
        if (i < end && bytes[i] == '.') {
            int fractionFrom = ++i;
            i = digits(bytes, i, end);
            if (i == fractionFrom) {
                return -1;
            }
        }
        if (i < end && (bytes[i] == 'e' || bytes[i] == 'E')) {
            i++;
            if (i < end && (bytes[i] == '+' || bytes[i] == '-')) {
                i++;
            }
            int exponentFrom = i;
            i = digits(bytes, i, end);
            if (i == exponentFrom) {
                return -1;
            }
        }
        return i;
    }

    /** Whether the number at {@code [from, to)}, which {@link #number} read, has no fraction and no exponent. */
    public static boolean isIntegral(byte[] bytes, int from, int to) {
        for (int i = from; i < to; i++) {
            if (bytes[i] == '.' || bytes[i] == 'e' || bytes[i] == 'E') {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether the integer at {@code [from, to)}, which {@link #number} read and {@link #isIntegral}
     * says is one, has at most 18 digits: {@link #integerValue} reads it, and it surely fits a
     * {@code long}.
     */
    public static boolean isSmallInteger(byte[] bytes, int from, int to) {
        return to - from - (bytes[from] == '-' ? 1 : 0) <= 18;
    }

    /** The value of the integer at {@code [from, to)}, which {@link #isSmallInteger} says is small. */
    public static long integerValue(byte[] bytes, int from, int to) {
        boolean negative = bytes[from] == '-';
        long value = 0;
        for (int i = negative ? from + 1 : from; i < to; i++) {
            value = value * 10 + (bytes[i] - '0');
        }
        return negative ? -value : value;
    }

    private static int digits(byte[] bytes, int at, int end) {
        int i = at;
        while (i < end && bytes[i] >= '0' && bytes[i] <= '9') {
            i++;
        }
        return i;
    }

    /** The UTF-16 code unit that the four hex digits at {@code at} (those of a {@code \}{@code u} escape) give, or -1. */
    public static int hexUnit(byte[] bytes, int at, int end) {
        if (end - at < 4) {
            return -1;
        }
        int unit = 0;
        for (int i = at; i < at + 4; i++) {
            int digit = Character.digit(bytes[i], 16);
            if (digit < 0) {
                return -1;
            }
            unit = unit << 4 | digit;
        }
        return unit;
    }

    /**
     * The index after the multi-byte UTF-8 sequence whose lead byte is at {@code at}, checked as
     * Jackson's parser checks one it does not decode: a lead byte of a two, three or four byte
     * sequence followed by as many continuation bytes; or -1.
     */
    public static int multiByte(byte[] bytes, int at, int end) {
        int lead = bytes[at] & 0xff;
        int continuation;
        if ((lead & 0xe0) == 0xc0) {
            continuation = 1;
        } else if ((lead & 0xf0) == 0xe0) {
            continuation = 2;
        } else if ((lead & 0xf8) == 0xf0) {
            continuation = 3;
        } else {
            return -1;
        }
        if (at + continuation >= end) {
            return -1;
        }
        for (int i = at + 1; i <= at + continuation; i++) {
            if ((bytes[i] & 0xc0) != 0x80) {
                return -1;
            }
        }
        return at + continuation + 1;
    }
}
