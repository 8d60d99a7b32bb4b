package dev.piperpc.core.internal;

import dev.piperpc.core.message.RawJson;

/**
 * Wraps bytes already known to hold exactly one well-formed JSON value as {@link RawJson}, without
 * copying or validating them: for the decoder, whose frames are never changed after decoding, and
 * for values just serialized. {@code RawJson} hands its constructor over at class initialization,
 * so the API offers no way to share an array a caller might change.
 */
public final class TrustedJson {

    /** Makes a {@link RawJson} of a slice. */
    public interface Wrapper {
        /** The slice {@code [offset, offset + length)} of {@code bytes}, shared. */
        RawJson wrap(byte[] bytes, int offset, int length);
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
        Wrapper installed = wrapper;
        if (installed == null) {
            // Touching RawJson initializes it, and its initializer installs the wrapper.
            RawJson.NULL.length();
            installed = wrapper;
        }
        return installed.wrap(bytes, offset, length);
    }
}
