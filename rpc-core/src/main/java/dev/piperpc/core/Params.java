package dev.piperpc.core;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.piperpc.core.message.RawJson;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The params of an outgoing call: none, by position (a JSON array), by name (a JSON object), or
 * raw JSON passed through unchanged. Values are serialized with the endpoint's {@link ObjectMapper}
 * when the call is sent.
 */
public final class Params {

    private static final Params NONE = new Params(null, null, null);

    private final List<Object> positional;
    private final Map<String, Object> named;
    private final RawJson raw;

    private Params(List<Object> positional, Map<String, Object> named, RawJson raw) {
        this.positional = positional;
        this.named = named;
        this.raw = raw;
    }

    /** No params: the {@code params} member is left out. */
    public static Params none() {
        return NONE;
    }

    /** Params by position: {@code Params.of(42, "x")} sends {@code [42,"x"]}. */
    public static Params of(Object... values) {
        return new Params(Collections.unmodifiableList(Arrays.asList(values.clone())), null, null);
    }

    /** Params by position from a list. */
    public static Params ofList(List<?> values) {
        return new Params(Collections.unmodifiableList(Arrays.asList(values.toArray())), null, null);
    }

    /** Params by name: {@code Params.named(Map.of("minuend", 42))} sends {@code {"minuend":42}}. */
    public static Params named(Map<String, ?> values) {
        return new Params(null, Collections.unmodifiableMap(new LinkedHashMap<>(values)), null);
    }

    /**
     * Params already encoded as JSON, sent unchanged.
     *
     * @throws IllegalArgumentException if {@code json} is not an array or an object
     */
    public static Params raw(RawJson json) {
        Objects.requireNonNull(json, "json");
        if (!json.isArray() && !json.isObject()) {
            throw new IllegalArgumentException("params must be a JSON array or object, not " + json);
        }
        return new Params(null, null, json);
    }

    /** Whether the {@code params} member is left out. */
    public boolean isNone() {
        return positional == null && named == null && raw == null;
    }

    /**
     * The params as the value the message writer writes: a list (by position), a map (by name),
     * raw JSON, or {@code null} when the member is left out.
     */
    Object jsonValue() {
        if (raw != null) {
            return raw;
        }
        return positional != null ? positional : named;
    }

    @Override
    public String toString() {
        if (raw != null) {
            return raw.toString();
        }
        if (positional != null) {
            return positional.toString();
        }
        return named != null ? named.toString() : "none";
    }
}
