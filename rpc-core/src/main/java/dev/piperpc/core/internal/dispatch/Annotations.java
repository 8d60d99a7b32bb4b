package dev.piperpc.core.internal.dispatch;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.ArrayDeque;
import java.util.Deque;

/** Finds annotations on a method or on the interface methods it implements (jsonrpc4j services annotate either). */
final class Annotations {

    private Annotations() {
    }

    /** The annotation on {@code method}, or on a method of the same signature in an interface of its class. */
    static <A extends Annotation> A find(Method method, Class<A> type) {
        A direct = method.getAnnotation(type);
        if (direct != null) {
            return direct;
        }
        for (Method candidate : interfaceMethods(method)) {
            A found = candidate.getAnnotation(type);
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    /** The annotation on parameter {@code index} of {@code method} or of an interface method it implements. */
    static <A extends Annotation> A findOnParameter(Method method, int index, Class<A> type) {
        A direct = method.getParameters()[index].getAnnotation(type);
        if (direct != null) {
            return direct;
        }
        for (Method candidate : interfaceMethods(method)) {
            A found = candidate.getParameters()[index].getAnnotation(type);
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    private static Iterable<Method> interfaceMethods(Method method) {
        Deque<Method> found = new ArrayDeque<>();
        Deque<Class<?>> toVisit = new ArrayDeque<>();
        for (Class<?> type = method.getDeclaringClass(); type != null; type = type.getSuperclass()) {
            toVisit.addAll(java.util.List.of(type.getInterfaces()));
        }
        while (!toVisit.isEmpty()) {
            Class<?> candidate = toVisit.pop();
            try {
                found.add(candidate.getMethod(method.getName(), method.getParameterTypes()));
            } catch (NoSuchMethodException e) {
                // not declared by this interface
            }
            toVisit.addAll(java.util.List.of(candidate.getInterfaces()));
        }
        return found;
    }
}
