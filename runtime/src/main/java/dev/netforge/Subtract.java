package dev.netforge;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The first input minus the second, as Keras's {@code Subtract}: exactly two inputs of identical
 * shape, named with {@link From}. No parameters.
 */
@Documented
@Retention(RetentionPolicy.SOURCE)
@Target(ElementType.FIELD)
public @interface Subtract {
}
