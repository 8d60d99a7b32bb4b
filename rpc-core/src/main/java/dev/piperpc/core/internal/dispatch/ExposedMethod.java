package dev.piperpc.core.internal.dispatch;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.googlecode.jsonrpc4j.JsonRpcError;
import com.googlecode.jsonrpc4j.JsonRpcErrors;
import com.googlecode.jsonrpc4j.JsonRpcParam;
import dev.piperpc.core.OptionalParam;
import dev.piperpc.core.RequestContext;
import dev.piperpc.core.RpcException;
import dev.piperpc.core.internal.ErrorMapping;
import dev.piperpc.core.internal.TrustedJson;
import dev.piperpc.core.internal.UntypedValues;
import dev.piperpc.core.message.ErrorCodes;
import dev.piperpc.core.message.ErrorObject;
import dev.piperpc.core.message.RawJson;

import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Array;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One exposed Java method: binds JSON params to its arguments and invokes it.
 *
 * <p>A trailing varargs parameter ({@code int... values}) takes every positional param left after
 * the others, zero or more, each bound to its element type; by name it takes a JSON array, and it
 * may be left out (an empty array).
 */
final class ExposedMethod {

    private final Method method;
    private final MethodHandle invoker;
    private final int argumentCount;
    private final int contextIndex;
    private final ParamBinding[] params;
    private final Map<String, ParamBinding> byName = new HashMap<>();
    private final int requiredCount;
    private final boolean allNamed;
    private final JsonRpcError[] declaredErrors;
    private final ObjectMapper mapper;
    private final JsonFactory factory;
    /** The varargs parameter's elements, or {@code null} when the method has none. */
    private final RestElements rest;
    /** Reads params by position without a parser, when every param has a {@link ParamKind}; else {@code null}. */
    private final UntypedValues untypedValues;

    /** One JSON param: where it goes, how it is read, and what it is when left out. */
    private record ParamBinding(int argumentIndex, String name, String typeName, ObjectReader reader, ParamKind kind,
                                boolean optional, boolean wrapInOptional, Object absentValue) {
        String label() {
            return name != null ? "'" + name + "'" : "#" + (argumentIndex + 1);
        }
    }

    /**
     * How the positional params left after the fixed ones are read into the varargs array.
     *
     * @param binding  the varargs parameter as a whole (by name: a JSON array)
     * @param position how many fixed params come before it
     */
    private record RestElements(ParamBinding binding, int position, Class<?> elementClass, String elementTypeName,
                                ObjectReader elementReader) {
    }

    ExposedMethod(Object service, Method method, ObjectMapper mapper) {
        this.method = method;
        this.mapper = mapper;
        this.factory = mapper.getFactory();
        Parameter[] parameters = method.getParameters();
        Type[] genericTypes = method.getGenericParameterTypes();
        this.argumentCount = parameters.length;
        int context = -1;
        List<ParamBinding> bindings = new ArrayList<>();
        int required = 0;
        boolean named = true;
        RestElements restElements = null;
        for (int i = 0; i < parameters.length; i++) {
            Parameter parameter = parameters[i];
            if (parameter.getType() == RequestContext.class) {
                context = i;
                continue;
            }
            JsonRpcParam annotation = Annotations.findOnParameter(method, i, JsonRpcParam.class);
            String name = annotation != null ? annotation.value() : parameter.isNamePresent() ? parameter.getName() : null;
            named &= name != null;
            boolean variadic = parameter.isVarArgs();
            boolean wrap = parameter.getType() == Optional.class;
            Type valueType = wrap ? optionalContent(genericTypes[i]) : genericTypes[i];
            boolean optional = variadic || wrap || Annotations.findOnParameter(method, i, OptionalParam.class) != null;
            JavaType javaType = mapper.constructType(valueType);
            Object absent = variadic ? Array.newInstance(parameter.getType().getComponentType(), 0)
                    : wrap ? Optional.empty()
                    : parameter.getType().isPrimitive() ? Array.get(Array.newInstance(parameter.getType(), 1), 0) : null;
            ParamBinding binding = new ParamBinding(i, name, typeName(javaType), mapper.readerFor(javaType), ParamKind.of(mapper, javaType),
                    optional, wrap, absent);
            if (!optional) {
                required++;
            }
            if (variadic) {
                JavaType elementType = javaType.getContentType();
                restElements = new RestElements(binding, bindings.size(), parameter.getType().getComponentType(),
                        typeName(elementType), mapper.readerFor(elementType));
            }
            bindings.add(binding);
            if (name != null) {
                byName.put(name, binding);
            }
        }
        this.rest = restElements;
        this.contextIndex = context;
        this.params = bindings.toArray(ParamBinding[]::new);
        this.untypedValues = restElements == null && bindings.stream().allMatch(binding -> binding.kind() != null)
                ? UntypedValues.of(mapper) : null;
        this.requiredCount = required;
        this.allNamed = named;
        JsonRpcErrors errors = Annotations.find(method, JsonRpcErrors.class);
        this.declaredErrors = errors != null ? errors.value() : new JsonRpcError[0];
        try {
            method.setAccessible(true);
            this.invoker = MethodHandles.lookup().unreflect(method).asFixedArity().bindTo(service)
                    .asSpreader(Object[].class, argumentCount)
                    .asType(MethodType.methodType(Object.class, Object[].class));
        } catch (IllegalAccessException | RuntimeException e) {
            throw new IllegalArgumentException("cannot expose " + method + ": " + e.getMessage(), e);
        }
    }

    /** A type as Java source names it: {@code java.lang.String[]}, {@code java.util.List<java.lang.Integer>}. */
    private static String typeName(JavaType type) {
        return type.isArrayType() ? typeName(type.getContentType()) + "[]" : type.toCanonical();
    }

    private static Type optionalContent(Type type) {
        return type instanceof ParameterizedType parameterized ? parameterized.getActualTypeArguments()[0] : Object.class;
    }

    int paramCount() {
        return params.length;
    }

    /** Whether params of this shape could bind (used to choose between overloads). */
    boolean accepts(RawJson json) {
        if (json == null) {
            return requiredCount == 0;
        }
        List<String> keys = shallowKeys(json);
        if (json.isArray()) {
            return keys.size() >= requiredCount && (rest != null || keys.size() <= params.length);
        }
        if (!allNamed) {
            return false;
        }
        int requiredPresent = 0;
        for (String key : keys) {
            ParamBinding binding = byName.get(key);
            if (binding == null) {
                return false;
            }
            if (!binding.optional()) {
                requiredPresent++;
            }
        }
        return requiredPresent == requiredCount;
    }

    /** Whether the params give every param of this method. */
    boolean fitsExactly(RawJson json) {
        return (json == null ? 0 : shallowKeys(json).size()) == params.length;
    }

    /** The member names of an object, or one entry per element of an array. */
    private List<String> shallowKeys(RawJson json) {
        List<String> keys = new ArrayList<>();
        try (JsonParser parser = json.createParser(factory)) {
            parser.nextToken();
            JsonToken token;
            while ((token = parser.nextToken()) != JsonToken.END_ARRAY && token != JsonToken.END_OBJECT) {
                if (token == JsonToken.FIELD_NAME) {
                    keys.add(parser.currentName());
                    parser.nextToken();
                } else {
                    keys.add("");
                }
                parser.skipChildren();
            }
        } catch (IOException e) {
            throw invalidParams("malformed params: " + e.getMessage());
        }
        return keys;
    }

    Object invoke(RawJson json, RequestContext context) throws Exception {
        Object[] arguments = bind(json);
        if (contextIndex >= 0) {
            arguments[contextIndex] = context;
        }
        try {
            return (Object) invoker.invokeExact(arguments);
        } catch (Throwable thrown) {
            Throwable mapped = mapDeclaredError(thrown);
            if (mapped instanceof Exception exception) {
                throw exception;
            }
            if (mapped instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(mapped);
        }
    }

    private Object[] bind(RawJson json) {
        Object[] plain = bindPlain(json);
        if (plain != null) {
            return plain;
        }
        Object[] arguments = new Object[argumentCount];
        boolean[] given = new boolean[argumentCount];
        if (json != null) {
            try (JsonParser parser = json.createParser(factory)) {
                if (parser.nextToken() == JsonToken.START_ARRAY) {
                    bindPositional(parser, arguments, given);
                } else {
                    bindNamed(parser, arguments, given);
                }
            } catch (IOException e) {
                throw invalidParams("malformed params: " + e.getMessage());
            }
        }
        for (ParamBinding param : params) {
            if (!given[param.argumentIndex()]) {
                if (!param.optional()) {
                    throw invalidParams("missing param " + param.label() + " (" + param.typeName() + ")");
                }
                arguments[param.argumentIndex()] = param.absentValue();
            }
        }
        return arguments;
    }

    /**
     * The arguments from params by position read without a parser ({@link UntypedValues}), when
     * each param takes a value of its own kind ({@link ParamKind#convert}) and every param is
     * given; else {@code null}, and the parser binds them.
     */
    private Object[] bindPlain(RawJson json) {
        if (untypedValues == null || json == null || !json.isArray()) {
            return null;
        }
        if (!(TrustedJson.readUntyped(json, untypedValues, Object[].class) instanceof Object[] values) || values.length != params.length) {
            return null;
        }
        Object[] arguments = new Object[argumentCount];
        for (int i = 0; i < values.length; i++) {
            ParamBinding param = params[i];
            Object value = param.kind().convert(values[i]);
            if (value == ParamKind.NOT_READ) {
                return null;
            }
            arguments[param.argumentIndex()] = param.wrapInOptional() ? Optional.ofNullable(value) : value;
        }
        return arguments;
    }

    private void bindPositional(JsonParser parser, Object[] arguments, boolean[] given) throws IOException {
        int index = 0;
        int fixed = rest != null ? rest.position() : params.length;
        List<Object> elements = rest != null ? new ArrayList<>() : null;
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            if (index < fixed) {
                readInto(params[index], parser, arguments, given);
            } else if (rest != null) {
                elements.add(readElement(index, parser));
            } else {
                throw invalidParams("too many params: '" + method.getName() + "' takes at most " + params.length);
            }
            index++;
        }
        if (rest != null && index > fixed) {
            Object array = Array.newInstance(rest.elementClass(), elements.size());
            for (int i = 0; i < elements.size(); i++) {
                Array.set(array, i, elements.get(i));
            }
            arguments[rest.binding().argumentIndex()] = array;
            given[rest.binding().argumentIndex()] = true;
        }
    }

    /** Reads the positional param at {@code index} (0-based) as an element of the varargs array. */
    private Object readElement(int index, JsonParser parser) throws IOException {
        String name = rest.binding().name();
        String label = "param #" + (index + 1) + (name != null ? " of '" + name + "...'" : "") + " (" + rest.elementTypeName() + ")";
        if (parser.currentToken() == JsonToken.VALUE_NULL && rest.elementClass().isPrimitive()) {
            throw invalidParams(label + " cannot be null");
        }
        try {
            return rest.elementReader().readValue(parser);
        } catch (IOException | RuntimeException e) {
            throw invalidParams(label + ": " + reasonOf(e));
        }
    }

    private void bindNamed(JsonParser parser, Object[] arguments, boolean[] given) throws IOException {
        if (!allNamed) {
            throw invalidParams("'" + method.getName() + "' takes params by position");
        }
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            ParamBinding binding = byName.get(name);
            if (binding == null) {
                throw invalidParams("unknown param '" + name + "'; expected " + byName.keySet());
            }
            parser.nextToken();
            readInto(binding, parser, arguments, given);
        }
    }

    private void readInto(ParamBinding param, JsonParser parser, Object[] arguments, boolean[] given) throws IOException {
        if (parser.currentToken() == JsonToken.VALUE_NULL && !param.wrapInOptional() && param.absentValue() != null) {
            throw invalidParams("param " + param.label() + " (" + param.typeName() + ") cannot be null");
        }
        Object value;
        try {
            value = param.reader().readValue(parser);
        } catch (IOException | RuntimeException e) {
            throw invalidParams("param " + param.label() + " (" + param.typeName() + "): " + reasonOf(e));
        }
        arguments[param.argumentIndex()] = param.wrapInOptional() ? Optional.ofNullable(value) : value;
        given[param.argumentIndex()] = true;
    }

    private static String reasonOf(Exception e) {
        return e instanceof com.fasterxml.jackson.core.JsonProcessingException processing ? processing.getOriginalMessage() : e.getMessage();
    }

    private RpcException invalidParams(String detail) {
        return new RpcException(new ErrorObject(ErrorCodes.INVALID_PARAMS, ErrorCodes.standardMessage(ErrorCodes.INVALID_PARAMS),
                RawJson.ofString(detail)));
    }

    private Throwable mapDeclaredError(Throwable thrown) {
        for (JsonRpcError declared : declaredErrors) {
            if (declared.exception().isInstance(thrown)) {
                String message = declared.message().isEmpty() ? String.valueOf(thrown.getMessage()) : declared.message();
                RawJson data = declared.data().isEmpty()
                        ? ErrorMapping.toError(thrown, mapper).data()
                        : RawJson.ofString(declared.data());
                return new RpcException(new ErrorObject(declared.code(), message, data));
            }
        }
        return thrown;
    }

    @Override
    public String toString() {
        return method.toString();
    }
}
