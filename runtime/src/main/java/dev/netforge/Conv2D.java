package dev.netforge;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A 2-D convolution, as Keras's {@code Conv2D} (channels last). Its weights are a kernel in HWIO
 * layout, element {@code (kh, kw, ci, f)} at {@code ((kh * KW + kw) * CIN + ci) * F + f}, then
 * {@code F} biases; it has {@code KH * KW * CIN * F + F} parameters ({@code + F} only with a bias).
 */
@Documented
@Retention(RetentionPolicy.SOURCE)
@Target(ElementType.FIELD)
public @interface Conv2D {
    /** The number of output channels; positive. */
    int filters();

    /** The window, {@code {KH, KW}}, or one value for both axes ({@code kernel = 3}). */
    int[] kernel();

    /** The step between windows, {@code {SH, SW}} or one value for both axes; default 1. */
    int[] strides() default 1;

    /** {@link Padding#VALID} (the default) or {@link Padding#SAME}. */
    Padding padding() default Padding.VALID;

    /**
     * The dilation rate, {@code {DH, DW}} or one value; default 1. A dilated kernel spans
     * {@code D * (K - 1) + 1} inputs. As in Keras, strides and dilation cannot both exceed 1.
     */
    int[] dilation() default 1;

    /** Applied to each output element; {@link Activation#LINEAR} by default. */
    Activation activation() default Activation.LINEAR;

    /** Whether the layer adds a bias per filter; true by default. */
    boolean useBias() default true;
}
