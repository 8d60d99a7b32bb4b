package dev.piperpc.core.message;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * A JSON-RPC request id: a number, a string, or {@code null} (the latter only in error responses to
 * messages whose id could not be read). Immutable; equal ids compare equal and hash alike.
 */
public final class Id {

    /** The {@code null} id. */
    public static final Id NULL = new Id(null);

    private final Object value;

    private Id(Object value) {
        this.value = value;
    }

    /** An integral numeric id. */
    public static Id of(long number) {
        return new Id(number);
    }

    /** A string id. */
    public static Id of(String text) {
        return new Id(Objects.requireNonNull(text, "text"));
    }

    /**
     * A numeric id that may have a fractional part or exceed the range of {@code long}
     * (the specification discourages both, but peers may send them).
     */
    public static Id ofNumber(BigDecimal number) {
        Objects.requireNonNull(number, "number");
        try {
            return new Id(number.longValueExact());
        } catch (ArithmeticException notALong) {
            return new Id(number.stripTrailingZeros());
        }
    }

    /** Whether this is the {@code null} id. */
    public boolean isNull() {
        return value == null;
    }

    /** Whether this is a number. */
    public boolean isNumber() {
        return value instanceof Long || value instanceof BigDecimal;
    }

    /** Whether this is an integral number that fits in a {@code long}. */
    public boolean isLong() {
        return value instanceof Long;
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
        if (value instanceof Long number) {
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
        if (value instanceof Long number) {
            return BigDecimal.valueOf(number);
        }
        if (value instanceof BigDecimal number) {
            return number;
        }
        throw new IllegalStateException("id " + this + " is not a number");
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Id id && Objects.equals(value, id.value);
    }

    @Override
    public int hashCode() {
        return Objects.hashCode(value);
    }

    /** The id as it is written in JSON: {@code 7}, {@code "abc"} or {@code null}. */
    @Override
    public String toString() {
        if (value instanceof String text) {
            return '"' + text + '"';
        }
        if (value instanceof BigDecimal number) {
            return number.toPlainString();
        }
        return String.valueOf(value);
    }
}
