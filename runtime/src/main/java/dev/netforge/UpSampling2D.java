package dev.netforge;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Repeats each row and column of an image, as Keras's {@code UpSampling2D} with
 * {@code interpolation = "nearest"}: output {@code (H * SH, W * SW, C)}, element {@code (y, x, c)}
 * taken from {@code (y / SH, x / SW, c)}. No parameters.
 */
@Documented
@Retention(RetentionPolicy.SOURCE)
@Target(ElementType.FIELD)
public @interface UpSampling2D {
    /** The factors {@code {SH, SW}}, or one value for both axes; default 2. */
    int[] size() default 2;
}
