package dev.netforge;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Flattens an H x W x C tensor to a vector of H * W * C, as Keras's {@code Flatten}: element
 * {@code (h, w, c)} goes to index {@code (h * W + w) * C + c}, so no data moves. Flattening a
 * vector is legal and does nothing. No parameters.
 */
@Documented
@Retention(RetentionPolicy.SOURCE)
@Target(ElementType.FIELD)
public @interface Flatten {
}
