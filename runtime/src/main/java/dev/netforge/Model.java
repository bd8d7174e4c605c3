package dev.netforge;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares a neural network. The annotated class's instance fields of type {@link Layer} that carry
 * a layer annotation ({@link Conv2D}, {@link MaxPool}, {@link Flatten}, {@link Dense}) are the
 * network's layers, in declaration order; a field's name is the layer's name.
 *
 * <p>At compile time the NetForge annotation processor checks the whole stack with Keras's shape
 * arithmetic and generates, in the same package, {@code public final class XForward} for a model
 * class {@code X}: the forward pass as specialised, allocation-free Java code.
 *
 * <pre>{@code
 * @Model(input = {28, 28, 1})
 * public class MnistNet {
 *     @Conv2D(filters = 32, kernel = 3, activation = Activation.RELU) Layer conv1;
 *     @MaxPool(2) Layer pool1;
 *     @Flatten Layer flatten;
 *     @Dense(units = 10, activation = Activation.SOFTMAX) Layer output;
 * }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.SOURCE)
@Target(ElementType.TYPE)
public @interface Model {
    /**
     * The input shape without the batch axis: {@code {H, W, C}} for an image (channels last, as in
     * Keras) or {@code {N}} for a vector. Every size must be positive.
     */
    int[] input();
}
