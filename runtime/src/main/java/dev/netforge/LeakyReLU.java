package dev.netforge;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Keras's {@code LeakyReLU} layer: {@code x >= 0 ? x : alpha * x}. Its default slope, 0.3, is the
 * layer's (the {@link Activation#LEAKY_RELU} activation's is 0.2). No parameters.
 */
@Documented
@Retention(RetentionPolicy.SOURCE)
@Target(ElementType.FIELD)
public @interface LeakyReLU {
    /** The slope for negative inputs; at least 0; default 0.3. */
    float alpha() default 0.3f;
}
