package dev.netforge;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * 2-D average pooling, as Keras's {@code AveragePooling2D}: the mean of each window, per channel.
 * With {@link Padding#SAME} a window is averaged over its real cells only (padded cells are not
 * counted). No parameters.
 */
@Documented
@Retention(RetentionPolicy.SOURCE)
@Target(ElementType.FIELD)
public @interface AvgPool {
    /** The window, {@code {PH, PW}} or one value for both axes; default 2. */
    int[] value() default 2;

    /** The step between windows, {@code {SH, SW}} or one value; empty (the default) means the window size. */
    int[] strides() default {};

    /** {@link Padding#VALID} (the default) or {@link Padding#SAME}. */
    Padding padding() default Padding.VALID;
}
