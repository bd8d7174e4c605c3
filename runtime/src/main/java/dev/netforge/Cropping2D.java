package dev.netforge;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Removes rows and columns at the borders of an image, as Keras's {@code Cropping2D}. No parameters.
 */
@Documented
@Retention(RetentionPolicy.SOURCE)
@Target(ElementType.FIELD)
public @interface Cropping2D {
    /**
     * What to remove: {@code {all}}, {@code {vertical, horizontal}} or {@code {top, bottom, left,
     * right}}, as {@link ZeroPadding2D}; default 0; none negative, and at least one row and column
     * must remain.
     */
    int[] value() default 0;
}
