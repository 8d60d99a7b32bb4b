package dev.piperpc.core;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a parameter of an exposed method as optional: a call may leave it out, and it then gets
 * {@code null} (or zero, or {@code false}). Parameters of type {@link java.util.Optional} are
 * optional without it. All other parameters are required.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface OptionalParam {
}
