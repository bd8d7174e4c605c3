package dev.netforge;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Pads an image with zeros, as Keras's {@code ZeroPadding2D}. No parameters.
 */
@Documented
@Retention(RetentionPolicy.SOURCE)
@Target(ElementType.FIELD)
public @interface ZeroPadding2D {
    /**
     * The padding: one value for all four sides, {@code {vertical, horizontal}}, or
     * {@code {top, bottom, left, right}}; default 1. Non-negative.
     */
    int[] value() default 1;
}
