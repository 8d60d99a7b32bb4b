package dev.piperpc.core;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.piperpc.core.internal.dispatch.ServiceMethods;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The handlers an {@link Endpoint.Builder} collects: given one by one, or compiled from service
 * objects. Each method name has one handler; services are compiled again if the mapper that binds
 * their params changes after they were added.
 */
final class HandlerRegistry {

    private final Map<String, RequestHandler> handlers = new LinkedHashMap<>();
    private final List<Object> services = new ArrayList<>();
    private final Set<String> methodNames = new HashSet<>();
    private Map<String, RequestHandler> serviceHandlers = Map.of();
    private ObjectMapper serviceMapper;

    /** @throws IllegalArgumentException if the method already has a handler */
    synchronized void handler(String method, RequestHandler handler) {
        claim(method);
        handlers.put(method, handler);
    }

    /** @throws IllegalArgumentException if one of the service's method names is taken */
    synchronized void service(Object service, ObjectMapper mapper) {
        Map<String, RequestHandler> compiled = ServiceMethods.compile(service, mapper);
        compiled.keySet().forEach(this::claim);
        services.add(service);
        serviceHandlers = null;
    }

    private void claim(String method) {
        if (!methodNames.add(method)) {
            throw new IllegalArgumentException("method '" + method + "' already has a handler");
        }
    }

    /** Every handler, those of the services binding params with {@code mapper}. */
    synchronized Map<String, RequestHandler> all(ObjectMapper mapper) {
        if (serviceHandlers == null || serviceMapper != mapper) {
            Map<String, RequestHandler> compiled = new LinkedHashMap<>();
            services.forEach(service -> compiled.putAll(ServiceMethods.compile(service, mapper)));
            serviceHandlers = compiled;
            serviceMapper = mapper;
        }
        Map<String, RequestHandler> all = new LinkedHashMap<>(handlers);
        all.putAll(serviceHandlers);
        return Map.copyOf(all);
    }
}
