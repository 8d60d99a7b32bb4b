package dev.piperpc.cli;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.net.JarURLConnection;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The API boundary of the library modules: no public or protected signature of an API package
 * (any package of rpc-core, rpc-pipe, rpc-worker or rpc-queue whose name has no {@code internal} part)
 * mentions a type of an {@code internal} package.
 */
class ApiBoundaryTest {

    private static final List<String> LIBRARY_ROOTS = List.of("dev/piperpc/core", "dev/piperpc/pipe", "dev/piperpc/worker", "dev/piperpc/queue");

    @Test
    void apiSignaturesNeverMentionInternalTypes() throws Exception {
        List<Class<?>> api = apiClasses();
        assertTrue(api.size() > 40, "found " + api.size() + " API classes");
        TreeSet<String> leaks = new TreeSet<>();
        for (Class<?> type : api) {
            if (!isVisible(type.getModifiers())) {
                continue;
            }
            check(type.getName() + " extends", type.getGenericSuperclass(), leaks);
            for (Type implemented : type.getGenericInterfaces()) {
                check(type.getName() + " implements", implemented, leaks);
            }
            for (Field field : type.getDeclaredFields()) {
                if (isVisible(field.getModifiers())) {
                    check(type.getName() + "." + field.getName(), field.getGenericType(), leaks);
                }
            }
            for (Constructor<?> constructor : type.getDeclaredConstructors()) {
                checkExecutable(type.getName() + ".<init>", constructor, leaks);
            }
            for (Method method : type.getDeclaredMethods()) {
                if (!method.isSynthetic() && !method.isBridge()) {
                    checkExecutable(type.getName() + "." + method.getName(), method, leaks);
                    if (isVisible(method.getModifiers())) {
                        check(type.getName() + "." + method.getName() + " returns", method.getGenericReturnType(), leaks);
                    }
                }
            }
        }
        assertEquals("", String.join("\n", leaks), "API signatures that mention internal types");
    }

    private static void checkExecutable(String where, Executable executable, TreeSet<String> leaks) {
        if (!isVisible(executable.getModifiers())) {
            return;
        }
        for (Type parameter : executable.getGenericParameterTypes()) {
            check(where + " takes", parameter, leaks);
        }
        for (Type thrown : executable.getGenericExceptionTypes()) {
            check(where + " throws", thrown, leaks);
        }
    }

    private static boolean isVisible(int modifiers) {
        return Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers);
    }

    private static void check(String where, Type type, TreeSet<String> leaks) {
        if (type == null) {
            return;
        }
        if (type instanceof Class<?> raw) {
            Class<?> element = raw;
            while (element.isArray()) {
                element = element.getComponentType();
            }
            if (element.getPackageName().contains(".internal")) {
                leaks.add(where + " " + element.getName());
            }
        } else if (type instanceof ParameterizedType parameterized) {
            check(where, parameterized.getRawType(), leaks);
            for (Type argument : parameterized.getActualTypeArguments()) {
                check(where, argument, leaks);
            }
        } else if (type instanceof GenericArrayType array) {
            check(where, array.getGenericComponentType(), leaks);
        } else if (type instanceof WildcardType wildcard) {
            for (Type bound : wildcard.getUpperBounds()) {
                check(where, bound, leaks);
            }
            for (Type bound : wildcard.getLowerBounds()) {
                check(where, bound, leaks);
            }
        } else if (type instanceof TypeVariable<?> variable) {
            for (Type bound : variable.getBounds()) {
                if (!(bound instanceof TypeVariable<?>)) {
                    check(where, bound, leaks);
                }
            }
        }
    }

    /** Every class of the library modules' API packages, whether they are on the class path as directories or jars. */
    private static List<Class<?>> apiClasses() throws IOException, ClassNotFoundException {
        List<String> names = new ArrayList<>();
        ClassLoader loader = ApiBoundaryTest.class.getClassLoader();
        for (String root : LIBRARY_ROOTS) {
            Enumeration<URL> locations = loader.getResources(root);
            while (locations.hasMoreElements()) {
                URL location = locations.nextElement();
                if (location.getProtocol().equals("jar")) {
                    JarURLConnection connection = (JarURLConnection) location.openConnection();
                    try (JarFile jar = connection.getJarFile()) {
                        jar.stream().map(JarEntry::getName).filter(name -> name.startsWith(root + "/")).forEach(names::add);
                    }
                } else {
                    Path directory = Path.of(toUri(location));
                    try (Stream<Path> files = Files.walk(directory)) {
                        files.filter(Files::isRegularFile)
                                .map(file -> root + "/" + directory.relativize(file).toString().replace('\\', '/'))
                                .forEach(names::add);
                    }
                }
            }
        }
        List<Class<?>> classes = new ArrayList<>();
        for (String name : new TreeSet<>(names)) {
            if (name.endsWith(".class") && !name.contains("/internal/") && !name.endsWith("package-info.class")) {
                classes.add(Class.forName(name.substring(0, name.length() - ".class".length()).replace('/', '.'), false, loader));
            }
        }
        return classes;
    }

    private static java.net.URI toUri(URL url) {
        try {
            return url.toURI();
        } catch (java.net.URISyntaxException e) {
            throw new UncheckedIOException(new IOException(e));
        }
    }
}
