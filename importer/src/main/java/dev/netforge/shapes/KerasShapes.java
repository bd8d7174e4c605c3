package dev.netforge.shapes;

/**
 * Output sizes along one spatial axis, as Keras computes them. Sizes are {@code long}s so that no
 * product of file or annotation values wraps around; callers decide what is too large.
 */
public final class KerasShapes {
    private KerasShapes() {
    }

    /** The cells a kernel of {@code kernel} taps covers with {@code dilation}: {@code d (k - 1) + 1}. */
    public static long span(int kernel, int dilation) {
        return (long) dilation * (kernel - 1) + 1;
    }

    /** Whether a 'valid' window fits the input along this axis (Keras then has an output of 0 or less). */
    public static boolean validFits(long in, int kernel, int dilation) {
        return in >= span(kernel, dilation);
    }

    /**
     * A convolution's or pool's output length: {@code ceil(in / s)} for 'same',
     * {@code floor((in - span) / s) + 1} for 'valid', which needs {@link #validFits}.
     */
    public static long convolutionOutput(long in, int kernel, int stride, int dilation, boolean same) {
        if (same) {
            return ceilDiv(in, stride);
        }
        if (!validFits(in, kernel, dilation)) {
            throw new IllegalArgumentException("a " + kernel + "-tap window with dilation " + dilation
                    + " does not fit " + in + " cells with 'valid' padding");
        }
        return (in - span(kernel, dilation)) / stride + 1;
    }

    /**
     * The zeros 'same' adds along this axis: {@code max((out - 1) s + span - in, 0)}; TensorFlow puts
     * {@code total / 2} before and the rest (the odd one) after, see {@link #before}.
     */
    public static long samePadding(long in, int kernel, int stride, int dilation) {
        long out = ceilDiv(in, stride);
        return Math.max((out - 1) * stride + span(kernel, dilation) - in, 0);
    }

    /** The part of a total padding or cropping that goes before (top or left): {@code total / 2}. */
    public static long before(long total) {
        return total / 2;
    }

    /**
     * A transposed convolution's output length (Keras's {@code deconv_output_length} without
     * {@code output_padding}): {@code in s + max(k - s, 0)} for 'valid', {@code in s} for 'same'.
     */
    public static long transposeOutput(long in, int kernel, int stride, boolean same) {
        return in * stride + (same ? 0 : transposeOverhang(kernel, stride));
    }

    /**
     * What a transposed convolution's full result has beyond {@code in s}: {@code max(k - s, 0)};
     * 'same' crops exactly this ({@link #before} of it at the top/left), 'valid' keeps it.
     */
    public static long transposeOverhang(int kernel, int stride) {
        return Math.max(kernel - stride, 0);
    }

    /** {@code ceil(a / b)} for {@code a >= 0, b > 0}. */
    public static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }
}
