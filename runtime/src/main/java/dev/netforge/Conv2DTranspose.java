package dev.netforge;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A transposed 2-D convolution, as Keras's {@code Conv2DTranspose} (channels last, no dilation, no
 * output padding): each input pixel scatters its kernel-weighted values into the output. Output
 * size per axis {@code in * S + max(K - S, 0)} with 'valid' padding, {@code in * S} with 'same',
 * which drops {@code floor(max(K - S, 0) / 2)} rows/columns at the top/left of the full result and
 * the rest at the bottom/right. Kernel layout {@code (KH, KW, F, CIN)}: element
 * {@code (kh, kw, f, ci)} at {@code ((kh * KW + kw) * F + f) * CIN + ci}; then {@code F} biases;
 * {@code KH * KW * F * CIN + F} parameters.
 */
@Documented
@Retention(RetentionPolicy.SOURCE)
@Target(ElementType.FIELD)
public @interface Conv2DTranspose {
    /** The number of output channels; positive. */
    int filters();

    /** The window, {@code {KH, KW}}, or one value for both axes. */
    int[] kernel();

    /** The upsampling step, {@code {SH, SW}} or one value for both axes; default 1. */
    int[] strides() default 1;

    /** {@link Padding#VALID} (the default) or {@link Padding#SAME}. */
    Padding padding() default Padding.VALID;

    /** Applied to each output element; {@link Activation#LINEAR} by default. */
    Activation activation() default Activation.LINEAR;

    /** Whether the layer adds a bias per filter; true by default. */
    boolean useBias() default true;
}
