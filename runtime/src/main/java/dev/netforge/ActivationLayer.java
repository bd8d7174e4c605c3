package dev.netforge;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * An activation as a layer of its own, as Keras's {@code Activation(...)} or {@code ReLU()}
 * layers. Directly after a layer with a linear activation it is fused into that layer's loop.
 */
@Documented
@Retention(RetentionPolicy.SOURCE)
@Target(ElementType.FIELD)
public @interface ActivationLayer {
    /** The activation to apply. */
    Activation value();
}
