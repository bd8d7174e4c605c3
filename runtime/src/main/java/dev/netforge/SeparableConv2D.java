package dev.netforge;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A depthwise separable convolution, as Keras's {@code SeparableConv2D}: a depthwise convolution
 * (each input channel with its own {@code depthMultiplier} filters, no bias) followed by a 1x1
 * pointwise convolution to {@code filters} channels, then the bias and the activation. Weights, in
 * Keras's order: the depthwise kernel {@code (KH, KW, CIN, DM)}, the pointwise kernel
 * {@code (1, 1, CIN * DM, F)}, then {@code F} biases; {@code KH * KW * CIN * DM + CIN * DM * F + F}
 * parameters. As in Keras, strides and dilation cannot both exceed 1.
 */
@Documented
@Retention(RetentionPolicy.SOURCE)
@Target(ElementType.FIELD)
public @interface SeparableConv2D {
    /** The number of output channels; positive. */
    int filters();

    /** The depthwise window, {@code {KH, KW}}, or one value for both axes. */
    int[] kernel();

    /** The step between windows, {@code {SH, SW}} or one value; default 1. */
    int[] strides() default 1;

    /** {@link Padding#VALID} (the default) or {@link Padding#SAME}. */
    Padding padding() default Padding.VALID;

    /** Depthwise filters per input channel; default 1. */
    int depthMultiplier() default 1;

    /** The depthwise dilation rate, {@code {DH, DW}} or one value; default 1. */
    int[] dilation() default 1;

    /** Applied to each output element; {@link Activation#LINEAR} by default. */
    Activation activation() default Activation.LINEAR;

    /** Whether the layer adds a bias per filter; true by default. */
    boolean useBias() default true;
}
