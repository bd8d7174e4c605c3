package dev.netforge;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A depthwise 2-D convolution, as Keras's {@code DepthwiseConv2D}: each input channel is
 * convolved with its own {@code depthMultiplier} filters; output channel {@code ci * depthMultiplier + m}.
 * Kernel layout {@code (KH, KW, CIN, depthMultiplier)}, element {@code (kh, kw, ci, m)} at
 * {@code ((kh * KW + kw) * CIN + ci) * depthMultiplier + m}, then {@code CIN * depthMultiplier} biases:
 * {@code KH * KW * CIN * depthMultiplier + CIN * depthMultiplier} parameters.
 */
@Documented
@Retention(RetentionPolicy.SOURCE)
@Target(ElementType.FIELD)
public @interface DepthwiseConv2D {
    /** The window, {@code {KH, KW}}, or one value for both axes. */
    int[] kernel();

    /** The step between windows, {@code {SH, SW}} or one value; default 1. */
    int[] strides() default 1;

    /** {@link Padding#VALID} (the default) or {@link Padding#SAME}. */
    Padding padding() default Padding.VALID;

    /** Output channels per input channel; default 1. */
    int depthMultiplier() default 1;

    /** The dilation rate, {@code {DH, DW}} or one value; default 1. Strides and dilation cannot both exceed 1. */
    int[] dilation() default 1;

    /** Applied to each output element; {@link Activation#LINEAR} by default. */
    Activation activation() default Activation.LINEAR;

    /** Whether the layer adds a bias per output channel; true by default. */
    boolean useBias() default true;
}
