package dev.piperpc.core.internal;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.lang.reflect.Type;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@link JavaType}s of the result types an endpoint's callers ask for, resolved by its mapper
 * once each: a caller names the same few types call after call, and a plain map lookup costs
 * less than the mapper's own type cache. Holds at most {@value #MAX_TYPES} types; others are
 * resolved every time. Any thread.
 */
public final class ResultTypes {

    /** The most types kept. */
    static final int MAX_TYPES = 256;

    private final ObjectMapper mapper;
    private final ConcurrentHashMap<Type, JavaType> resolved = new ConcurrentHashMap<>();

    /** Result types resolved by {@code mapper}. */
    public ResultTypes(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** {@code type} as {@code mapper} sees it. */
    public JavaType of(Type type) {
        JavaType javaType = resolved.get(type);
        if (javaType == null) {
            javaType = mapper.constructType(type);
            if (resolved.size() < MAX_TYPES) {
                resolved.putIfAbsent(type, javaType);
            }
        }
        return javaType;
    }
}
