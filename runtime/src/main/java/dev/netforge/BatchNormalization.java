package dev.netforge;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Batch normalization at inference, as Keras's {@code BatchNormalization} over the last axis:
 * {@code y = gamma * (x - movingMean) / sqrt(movingVariance + epsilon) + beta}. Its parameters, C each,
 * in Keras's order: gamma (if {@link #scale()}), beta (if {@link #center()}), moving mean, moving
 * variance ({@code 4 * C} with both, as Keras counts them; without gamma it is 1, without beta 0).
 *
 * <p>Directly after a {@link Conv2D}, {@link DepthwiseConv2D} or {@link Dense} with a linear activation
 * it is folded into that layer's kernel and bias when the weights are built, so {@code forward} pays
 * nothing for it (the folded weights differ from the unfolded arithmetic by float rounding only, well
 * within 1e-5 on activations of order 1). Elsewhere it is one multiply-add per element.
 */
@Documented
@Retention(RetentionPolicy.SOURCE)
@Target(ElementType.FIELD)
public @interface BatchNormalization {
    /** Added to the variance before the square root; Keras's default 0.001. Positive. */
    double epsilon() default 0.001;

    /** Whether the layer has beta (Keras's {@code center}); without it the offset is 0. */
    boolean center() default true;

    /** Whether the layer has gamma (Keras's {@code scale}); without it the factor is 1. */
    boolean scale() default true;
}
