package dev.netforge;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A fully connected layer on a vector, as Keras's {@code Dense}. Its weights are a kernel with
 * element {@code (i, u)} at {@code i * UNITS + u}, then {@code UNITS} biases: {@code N * UNITS + UNITS}
 * parameters on {@code N} inputs. An image must be flattened first ({@link Flatten}).
 */
@Documented
@Retention(RetentionPolicy.SOURCE)
@Target(ElementType.FIELD)
public @interface Dense {
    /** The number of outputs; positive. */
    int units();

    /** Applied to the outputs; {@link Activation#LINEAR} by default. */
    Activation activation() default Activation.LINEAR;

    /** Whether the layer adds a bias per unit; true by default. */
    boolean useBias() default true;
}
