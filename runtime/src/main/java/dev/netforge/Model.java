package dev.netforge;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares a neural network. The annotated class's instance fields of type {@link Layer} that carry
 * a layer annotation ({@link Conv2D}, {@link MaxPool}, {@link Flatten}, {@link Dense}) are the
 * network's layers, in declaration order; a field's name is the layer's name. Each layer takes the
 * output of the field declared above it, unless {@link From} names others: then the network branches
 * and merges ({@link Add}, {@link Concatenate}, ...). The model's output is its last field.
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
     * The name {@link From} uses for the model's input. In a model that uses {@code @From} or a
     * merging layer, no layer field may have this name.
     */
    String INPUT = "input";

    /**
     * The input shape without the batch axis: {@code {H, W, C}} for an image (channels last, as in
     * Keras) or {@code {N}} for a vector. Every size must be positive.
     */
    int[] input();

    /**
     * A trained model to take the weights from, checked at compile time: a Keras {@code .keras} or
     * {@code .h5} file or an ONNX file (as PyTorch exports), named as a resource relative to this
     * class's package ({@code "fashion_mnist.onnx"}) or absolute ({@code "/models/net.onnx"}), found
     * first in the directory named by the processor option {@code -Anetforge.weightsDir} (when given;
     * nothing there is packaged, so the trained file stays out of the jar), then on the source path,
     * the class output (Maven's {@code src/main/resources}) or the class path.
     *
     * <p>The processor reads it while compiling, reports every layer whose weights do not fit the
     * declared one as a compile error on that field (expected and actual shapes), converts the
     * layouts (ONNX's OIHW kernels and C,H,W flatten order to NetForge's HWIO and H,W,C), and bundles
     * the parameter vector as a class-path resource: the generated class then has a no-argument
     * constructor that builds itself from it. Empty (the default) means weights come at run time.
     *
     * <p>An incremental build does not recompile the model when only this file (or a golden file)
     * changes; the bundle records each file's path, size and SHA-256, and loading it where a file
     * has changed since fails with an {@code IllegalStateException} that says to recompile.
     */
    String weights() default "";

    /**
     * An optional golden check for bundled {@link #weights()}: the prefix of two raw little-endian
     * float32 files beside them, {@code <golden>-input.f32} (one input) and {@code <golden>-output.f32}
     * (the original framework's output for it). They are bundled too, and building the bundled
     * weights runs that input and fails with an {@code IllegalStateException} if any output differs
     * by more than 1e-4, so a wrong import can never go unnoticed.
     */
    String golden() default "";
}
