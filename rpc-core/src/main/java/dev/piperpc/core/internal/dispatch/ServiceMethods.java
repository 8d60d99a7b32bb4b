package dev.piperpc.core.internal.dispatch;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.googlecode.jsonrpc4j.JsonRpcMethod;
import dev.piperpc.core.RequestHandler;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Compiles the methods a service object exposes into one {@link RequestHandler} per method name,
 * once, at registration: names, parameter binders and invokers are all worked out here, so a call
 * costs no reflective lookup.
 *
 * <p>Exposed are the public instance methods of the service's class and its superclasses (not
 * {@link Object}'s), as jsonrpc4j exposes them: under the name in {@code @JsonRpcMethod} where the
 * method, or the interface method it implements, has one, else under their Java name. Methods of
 * one name are told apart by their number of params.
 */
public final class ServiceMethods {

    private ServiceMethods() {
    }

    /**
     * The handlers for {@code service}'s methods, keyed by method name.
     *
     * @throws IllegalArgumentException if two methods of one name cannot be told apart
     */
    public static Map<String, RequestHandler> compile(Object service, ObjectMapper mapper) {
        Map<String, List<ExposedMethod>> byName = new LinkedHashMap<>();
        Set<String> seenSignatures = new HashSet<>();
        for (Class<?> type = service.getClass(); type != null && type != Object.class; type = type.getSuperclass()) {
            for (Method method : type.getDeclaredMethods()) {
                int modifiers = method.getModifiers();
                if (!Modifier.isPublic(modifiers) || Modifier.isStatic(modifiers) || method.isSynthetic() || method.isBridge()) {
                    continue;
                }
                String signature = method.getName() + java.util.Arrays.toString(method.getParameterTypes());
                if (!seenSignatures.add(signature)) {
                    continue;
                }
                ExposedMethod exposed = new ExposedMethod(service, method, mapper);
                byName.computeIfAbsent(nameOf(method), name -> new ArrayList<>()).add(exposed);
            }
        }
        if (byName.isEmpty()) {
            throw new IllegalArgumentException(service.getClass().getName() + " has no public methods to expose");
        }
        Map<String, RequestHandler> handlers = new LinkedHashMap<>();
        byName.forEach((name, overloads) -> handlers.put(name, new MethodGroup(name, overloads)));
        return handlers;
    }

    private static String nameOf(Method method) {
        JsonRpcMethod annotation = Annotations.find(method, JsonRpcMethod.class);
        return annotation != null ? annotation.value() : method.getName();
    }
}
