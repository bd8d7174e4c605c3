package dev.netforge;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * {@code x * scale + offset}, element-wise, as Keras's {@code Rescaling} (Keras 3 models often start
 * with {@code Rescaling(1/255)}); computed in float32 like Keras's. No parameters.
 */
@Documented
@Retention(RetentionPolicy.SOURCE)
@Target(ElementType.FIELD)
public @interface Rescaling {
    /** The factor; finite. */
    double scale();

    /** Added after scaling; finite; default 0. */
    double offset() default 0;
}
