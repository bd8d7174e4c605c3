package dev.netforge;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Two or more inputs joined along the channel axis (the last one), as Keras's {@code Concatenate}
 * with its default {@code axis = -1}: images must agree in height and width, and the output has the
 * sum of their channels; two vectors concatenate along their only axis. Inputs named with
 * {@link From}, in order. No parameters.
 */
@Documented
@Retention(RetentionPolicy.SOURCE)
@Target(ElementType.FIELD)
public @interface Concatenate {
}
