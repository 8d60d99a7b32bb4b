package dev.piperpc.core.message;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * A JSON-RPC request id: a number, a string, or {@code null} (the latter only in error responses to
 * messages whose id could not be read). Immutable; equal ids compare equal and hash alike.
 */
public final class Id {

    /** The {@code null} id. */
    public static final Id NULL = new Id(null, null);

    /** A string or a {@link BigDecimal}; {@code null} for the null id and for ids that are a {@code long}. */
    private final Object value;
    /** For numbers that are not a {@code long}: the number as it was written, printed as it came. */
    private final String text;
    /** Whether the id is the {@code long} {@link #number} (kept unboxed: most ids are). */
    private final boolean integral;
    private final long number;

    private Id(Object value, String text) {
        this.value = value;
        this.text = text;
        this.integral = false;
        this.number = 0;
    }

    private Id(long number) {
        this.value = null;
        this.text = null;
        this.integral = true;
        this.number = number;
    }

    /** An integral numeric id. */
    public static Id of(long number) {
        return new Id(number);
    }

    /** A string id. */
    public static Id of(String text) {
        return new Id(Objects.requireNonNull(text, "text"), null);
    }

    /**
     * A numeric id that may have a fractional part or exceed the range of {@code long}
     * (the specification discourages both, but peers may send them).
     */
    public static Id ofNumber(BigDecimal number) {
        Objects.requireNonNull(number, "number");
        return ofNumber(number, number.toString());
    }

    /**
     * A numeric id as it was written in JSON ({@code text}, such as {@code 1e999}), with its value
     * {@code number}. Ids of equal value are equal whatever their spelling; the id is printed and
     * written back as {@code text}, so a number of any size or exponent costs no more than its text.
     */
    public static Id ofNumber(BigDecimal number, String text) {
        Objects.requireNonNull(number, "number");
        Objects.requireNonNull(text, "text");
        if (number.signum() == 0) {
            return new Id(0L);
        }
        BigDecimal stripped = number.stripTrailingZeros();
        // precision - scale is the number of digits before the point: a long has at most 19.
        if (stripped.scale() <= 0 && stripped.precision() - stripped.scale() <= 19) {
            try {
                return new Id(stripped.longValueExact());
            } catch (ArithmeticException notALong) {
                // beyond the range of long: kept as a decimal
            }
        }
        return new Id(stripped, text);
    }

    /** Whether this is the {@code null} id. */
    public boolean isNull() {
        return value == null && !integral;
    }

    /** Whether this is a number. */
    public boolean isNumber() {
        return integral || value instanceof BigDecimal;
    }

    /** Whether this is an integral number that fits in a {@code long}. */
    public boolean isLong() {
        return integral;
    }

    /** Whether this is a string. */
    public boolean isString() {
        return value instanceof String;
    }

    /**
     * The id as a {@code long}.
     *
     * @throws IllegalStateException if it is not an integral number in the range of {@code long}
     */
    public long asLong() {
        if (integral) {
            return number;
        }
        throw new IllegalStateException("id " + this + " is not an integral number");
    }

    /**
     * The id as a string.
     *
     * @throws IllegalStateException if it is not a string
     */
    public String asString() {
        if (value instanceof String text) {
            return text;
        }
        throw new IllegalStateException("id " + this + " is not a string");
    }

    /** The id as a number, for ids that are numbers. */
    public BigDecimal asNumber() {
        if (integral) {
            return BigDecimal.valueOf(number);
        }
        if (value instanceof BigDecimal number) {
            return number;
        }
        throw new IllegalStateException("id " + this + " is not a number");
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Id id && integral == id.integral && number == id.number && Objects.equals(value, id.value);
    }

    @Override
    public int hashCode() {
        return integral ? Long.hashCode(number) : Objects.hashCode(value);
    }

    /**
     * A number that is not a {@code long} as it was written in JSON (such as {@code 1e999} or
     * {@code 2.5}); {@code null} for other ids.
     */
    public String numberText() {
        return text;
    }

    /** The id as it is written in JSON: {@code 7}, {@code "abc"}, {@code 1e999} or {@code null}. */
    @Override
    public String toString() {
        if (value instanceof String string) {
            return '"' + string + '"';
        }
        if (text != null) {
            return text;
        }
        return integral ? Long.toString(number) : String.valueOf(value);
    }
}
