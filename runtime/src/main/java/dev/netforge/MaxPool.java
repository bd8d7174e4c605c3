package dev.netforge;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * 2-D max pooling, as Keras's {@code MaxPooling2D}: the maximum of each window, per channel. No
 * parameters. With {@link Padding#VALID}, rows and columns that do not fill a whole window are
 * dropped (pool 2 on 11 gives 5).
 */
@Documented
@Retention(RetentionPolicy.SOURCE)
@Target(ElementType.FIELD)
public @interface MaxPool {
    /** The window, {@code {PH, PW}} or one value for both axes; default 2. */
    int[] value() default 2;

    /** The step between windows, {@code {SH, SW}} or one value; empty (the default) means the window size. */
    int[] strides() default {};

    /** {@link Padding#VALID} (the default) or {@link Padding#SAME}; padded cells never win the max. */
    Padding padding() default Padding.VALID;
}
