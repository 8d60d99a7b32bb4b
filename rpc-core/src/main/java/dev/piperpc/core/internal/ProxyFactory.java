package dev.piperpc.core.internal;

import com.googlecode.jsonrpc4j.JsonRpcMethod;
import com.googlecode.jsonrpc4j.JsonRpcParam;
import com.googlecode.jsonrpc4j.JsonRpcParamsPassMode;
import dev.piperpc.core.Call;
import dev.piperpc.core.Params;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Proxy;
import java.lang.reflect.Type;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/** Builds typed proxies whose methods send calls through a {@link Sender}. */
public final class ProxyFactory {

    /** Sends one call of a proxy method, with the default timeout. */
    public interface Sender {
        /** Sends {@code method} with {@code params}; the result is bound to {@code resultType}. */
        Call<Object> send(String method, Params params, Type resultType);
    }

    private final Sender sender;
    private final String description;
    private final Map<Method, ProxyMethod> methods = new ConcurrentHashMap<>();

    private ProxyFactory(Sender sender, String description) {
        this.sender = sender;
        this.description = description;
    }

    /** A proxy implementing {@code api} whose calls go through {@code sender}; {@code description} names it. */
    public static <A> A create(Sender sender, String description, Class<A> api) {
        return new ProxyFactory(sender, description).build(api);
    }

    private <A> A build(Class<A> api) {
        if (!api.isInterface()) {
            throw new IllegalArgumentException(api.getName() + " is not an interface");
        }
        for (Method method : api.getMethods()) {
            if (!method.isDefault() && !java.lang.reflect.Modifier.isStatic(method.getModifiers())) {
                methods.computeIfAbsent(method, ProxyMethod::new);
            }
        }
        InvocationHandler handler = (proxy, method, args) -> invoke(api, proxy, method, args);
        return api.cast(Proxy.newProxyInstance(api.getClassLoader(), new Class<?>[] {api}, handler));
    }

    private Object invoke(Class<?> api, Object proxy, Method method, Object[] args) throws Throwable {
        if (method.getDeclaringClass() == Object.class) {
            return switch (method.getName()) {
                case "equals" -> proxy == args[0];
                case "hashCode" -> System.identityHashCode(proxy);
                case "toString" -> api.getSimpleName() + " proxy over " + description;
                default -> throw new UnsupportedOperationException(method.toString());
            };
        }
        if (method.isDefault()) {
            return java.lang.invoke.MethodHandles.privateLookupIn(api, java.lang.invoke.MethodHandles.lookup())
                    .unreflectSpecial(method, api).bindTo(proxy).invokeWithArguments(args == null ? new Object[0] : args);
        }
        return methods.computeIfAbsent(method, ProxyMethod::new).invoke(args == null ? new Object[0] : args);
    }

    /** What a proxy method sends, worked out once. */
    private final class ProxyMethod {
        private final String name;
        private final String[] paramNames;
        private final boolean async;
        private final Type resultType;

        ProxyMethod(Method method) {
            JsonRpcMethod annotation = method.getAnnotation(JsonRpcMethod.class);
            this.name = annotation != null ? annotation.value() : method.getName();
            JsonRpcParamsPassMode mode = annotation != null ? annotation.paramsPassMode() : JsonRpcParamsPassMode.AUTO;
            String[] names = Arrays.stream(method.getParameters())
                    .map(parameter -> parameter.getAnnotation(JsonRpcParam.class))
                    .map(param -> param == null ? null : param.value())
                    .toArray(String[]::new);
            boolean allNamed = names.length > 0 && Arrays.stream(names).allMatch(Objects::nonNull);
            if (mode == JsonRpcParamsPassMode.OBJECT && !allNamed) {
                throw new IllegalArgumentException(method + " passes params by name but not every parameter has @JsonRpcParam");
            }
            this.paramNames = mode == JsonRpcParamsPassMode.ARRAY || !allNamed ? null : names;
            Class<?> returnType = method.getReturnType();
            this.async = returnType == CompletableFuture.class || returnType == CompletionStage.class;
            if (async) {
                Type generic = method.getGenericReturnType();
                this.resultType = generic instanceof ParameterizedType parameterized
                        ? parameterized.getActualTypeArguments()[0] : Object.class;
            } else {
                this.resultType = returnType == void.class ? Void.class : method.getGenericReturnType();
            }
        }

        Object invoke(Object[] args) {
            Params params;
            if (args.length == 0) {
                params = Params.none();
            } else if (paramNames != null) {
                Map<String, Object> named = new LinkedHashMap<>();
                for (int i = 0; i < args.length; i++) {
                    named.put(paramNames[i], args[i]);
                }
                params = Params.named(named);
            } else {
                params = Params.of(args);
            }
            Call<Object> call = sender.send(name, params, resultType);
            return async ? call.toCompletableFuture() : call.join();
        }
    }

}
