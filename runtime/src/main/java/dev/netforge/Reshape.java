package dev.netforge;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Gives the tensor another shape with the same number of elements, as Keras's {@code Reshape}:
 * {@code {H, W, C}} or {@code {N}}, every size positive (no {@code -1}). Activations are stored flat
 * in the same order, so no data moves. No parameters.
 */
@Documented
@Retention(RetentionPolicy.SOURCE)
@Target(ElementType.FIELD)
public @interface Reshape {
    /** The new shape without the batch axis: {@code {H, W, C}} or {@code {N}}. */
    int[] value();
}
