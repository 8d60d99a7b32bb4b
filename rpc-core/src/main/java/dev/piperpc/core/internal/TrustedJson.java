package dev.piperpc.core.internal;

import dev.piperpc.core.message.RawJson;

/**
 * Wraps bytes already known to hold exactly one well-formed JSON value as {@link RawJson}, without
 * copying or validating them: for the decoder, whose frames are never changed after decoding, and
 * for values just serialized; and reads a {@code RawJson}'s bytes in place for
 * {@link UntypedValues}. {@code RawJson} hands this access over at class initialization, so the
 * API offers no way to share an array a caller might change.
 */
public final class TrustedJson {

    /** What {@link RawJson} lends: its constructor, and its bytes. */
    public interface Wrapper {
        /** The slice {@code [offset, offset + length)} of {@code bytes}, shared. */
        RawJson wrap(byte[] bytes, int offset, int length);

        /** {@code raw} read by {@code values} as {@code type}, in place. */
        Object readUntyped(RawJson raw, UntypedValues values, Class<?> type);
    }

    private static volatile Wrapper wrapper;

    private TrustedJson() {
    }

    /** Called once, by {@link RawJson}'s static initializer. */
    public static void install(Wrapper installed) {
        if (wrapper != null) {
            throw new IllegalStateException("already installed");
        }
        wrapper = installed;
    }

    /**
     * The slice {@code [offset, offset + length)} of {@code bytes} as raw JSON, shared: the caller
     * must not change the array afterwards.
     *
     * @throws IllegalArgumentException if the slice lies outside the array or is empty
     */
    public static RawJson wrap(byte[] bytes, int offset, int length) {
        if (offset < 0 || length <= 0 || offset + length > bytes.length) {
            throw new IllegalArgumentException("slice [" + offset + ", " + (offset + length) + ") outside array of " + bytes.length);
        }
        return installed().wrap(bytes, offset, length);
    }

    /** {@code raw} read by {@code values} as {@code type} ({@link UntypedValues#read}), without copying it. */
    public static Object readUntyped(RawJson raw, UntypedValues values, Class<?> type) {
        return installed().readUntyped(raw, values, type);
    }

    private static Wrapper installed() {
        Wrapper installed = wrapper;
        if (installed == null) {
            // Touching RawJson initializes it, and its initializer installs the wrapper.
            RawJson.NULL.length();
            installed = wrapper;
        }
        return installed;
    }
}
