package dev.netforge.runtime;

/**
 * The compute kernels generated forward passes call: convolution (optionally fused with the max
 * pool that follows it), depthwise convolution and dense layers on flat float arrays.
 *
 * <p>Two implementations exist, chosen once per JVM by {@link #get()}, as Lucene chooses its
 * vectorization provider: a plain-Java one that always works, and one on the incubating Vector API
 * ({@code jdk.incubator.vector}), used when that module is in the boot layer (the JVM was started
 * with {@code --add-modules jdk.incubator.vector}) and the C2 compiler is on. Until C2 has compiled
 * the Vector API code (a few seconds) it is far slower than plain Java, so by default calls run
 * plain-Java code on the same weights meanwhile, while a daemon thread warms the vector code up
 * ({@link TieredKernels}); {@link #name()} says which serves. The system property
 * {@code netforge.kernels=scalar|vector} forces a choice, without that warm-up (tests run all three).
 *
 * <p>Layouts follow SEMANTICS.md: activations are channels last, element {@code (h, w, c)} of an
 * H x W x C tensor at {@code (h * W + w) * C + c}; a Conv2D kernel is HWIO, element
 * {@code (kh, kw, ci, f)} at {@code ((kh * KW + kw) * C + ci) * F + f}; a Dense kernel is (N, U)
 * row-major, element {@code (i, u)} at {@code i * U + u}. A bias is an array of F (or U) values or
 * {@code null} for none. {@code relu} applies {@code max(0, x)} after the bias; other activations
 * are left to the caller.
 *
 * <p>Weights go through {@link #prepareConv2d} / {@link #prepareDense} once, at load time: the
 * returned array (which may be a repacked copy, or the same array) is what the operations take as
 * {@code kernel}, and it only suits the implementation that prepared it. Operations allocate
 * nothing, keep no state, and are safe to call from any number of threads on distinct outputs.
 * Input and output arrays must be distinct. Sizes are not re-validated on every call beyond what
 * array bounds checks catch: callers (generated code) pass shapes that hold.
 */
public abstract class Kernels {

    /**
     * Name of the system property that forces an implementation: {@code scalar} or {@code vector}
     * ({@code netforge.kernels}; read from {@link KernelsText}, so that this class, whose methods
     * calls run, holds no string constant).
     */
    public static final String PROPERTY = KernelsText.property();

    Kernels() {
        // implementations live in this package only
    }

    /**
     * The implementation for this JVM, chosen once: the Vector API one when
     * {@code jdk.incubator.vector} is readable and C2 is enabled, else the plain-Java one (which print
     * one line on standard error at their first call, saying how to enable the faster one).
     *
     * @throws IllegalStateException (wrapped in an {@link ExceptionInInitializerError} the first time)
     *     if {@code -Dnetforge.kernels=vector} is set and the Vector API is not usable
     */
    public static Kernels get() {
        return Holder.INSTANCE;
    }

    /**
     * The vector width, in floats, that {@link #prepareConv2d} and {@link #prepareDense} pack weights
     * for ({@link PackedLayout}); 0 if they do not repack.
     */
    int packingLanes() {
        return 0;
    }

    /**
     * A short description for logs and benchmarks, e.g. {@code "vector (256-bit)"} or {@code "scalar"};
     * {@code "vector (256-bit), plain Java while it warms up"} while the Vector API code is not compiled
     * yet and calls take plain-Java code instead (see the package documentation).
     */
    public abstract String name();

    /**
     * Prepares a Conv2D kernel for {@link #conv2d} and {@link #conv2dMaxPool}.
     *
     * @param kernel HWIO, {@code kh * kw * c * f} values; not modified, and not retained if copied
     * @return the array to pass as {@code kernel}: a repacked copy or {@code kernel} itself
     */
    public abstract float[] prepareConv2d(float[] kernel, int kh, int kw, int c, int f);

    /**
     * Prepares a Dense kernel for {@link #dense}.
     *
     * @param kernel (n, units) row-major; not modified, and not retained if copied
     * @return the array to pass as {@code kernel}: a repacked copy or {@code kernel} itself
     */
    public abstract float[] prepareDense(float[] kernel, int n, int units);

    /**
     * Valid convolution of an h x w x c input (already padded if the layer pads) with strides
     * (sh, sw), writing the oh x ow x f output: {@code out(y, x, f) = act(bias[f] + sum over kh, kw,
     * ci of in(y * sh + kh, x * sw + kw, ci) * kernel(kh, kw, ci, f))}.
     *
     * @param kernel the array {@link #prepareConv2d} returned for this kernel
     * @param oh output rows, at most {@code (h - kh) / sh + 1}
     * @param ow output columns, at most {@code (w - kw) / sw + 1}
     * @param scratch at least {@link #convScratch convScratch(kh, kw, c, f)} floats the call may
     *     overwrite; any contents
     */
    public final void conv2d(float[] in, int h, int w, int c, float[] kernel, int kh, int kw, int f,
            float[] bias, int sh, int sw, float[] out, int oh, int ow, boolean relu, float[] scratch) {
        conv2d(in, h, w, c, kernel, kh, kw, f, bias, sh, sw, out, oh, ow, null, relu, scratch);
    }

    /**
     * {@link #conv2d(float[], int, int, int, float[], int, int, int, float[], int, int, float[], int, int,
     * boolean, float[]) conv2d} fused with a residual addition, as a ResNet block ends: {@code out(y, x, f)
     * = act(bias[f] + sum(...) + residual(y, x, f))}, the residual added after the bias and before the
     * ReLU, in the same pass that stores the convolution (no second pass over the output). The sum is
     * rounded as the unfused layers round it: {@code (conv + bias) + residual}.
     *
     * @param residual an oh x ow x f tensor laid out as {@code out}, or {@code null} for none (then this is
     *     {@code conv2d}); a different array from {@code out}
     */
    public final void conv2d(float[] in, int h, int w, int c, float[] kernel, int kh, int kw, int f,
            float[] bias, int sh, int sw, float[] out, int oh, int ow, float[] residual, boolean relu,
            float[] scratch) {
        conv2d(in, h, w, c, kernel, kh, kw, f, bias, sh, sw, out, oh, ow, residual, relu, Float.POSITIVE_INFINITY,
                scratch);
    }

    /**
     * {@link #conv2d(float[], int, int, int, float[], int, int, int, float[], int, int, float[], int, int, float[],
     * boolean, float[]) conv2d} whose ReLU clamps to {@code [0, ceiling]}: ReLU6 with {@code ceiling} 6, in the
     * pass that stores the outputs where the kernels have one (1x1 convolutions at stride 1 on 32 vector
     * registers), else in a pass of the kernel's own over the output. {@code Math.min(Math.max(x, 0), ceiling)}:
     * a NaN stays NaN. Without {@code relu}, {@code ceiling} is not used.
     */
    public abstract void conv2d(float[] in, int h, int w, int c, float[] kernel, int kh, int kw, int f,
            float[] bias, int sh, int sw, float[] out, int oh, int ow, float[] residual, boolean relu, float ceiling,
            float[] scratch);

    /**
     * {@link #conv2d} followed by a valid max pool of size (ph, pw) and strides (psh, psw), computing
     * only the convolution outputs the pool reads, and writing the poh x pow x f pooled output.
     * Equal to running {@code conv2d} and then the pool; ReLU commutes with max, so it is applied to
     * the pooled values. Overlapping windows ({@code psh < ph} or {@code psw < pw}) are correct but
     * recompute the shared convolution outputs.
     *
     * @param kernel the array {@link #prepareConv2d} returned for this kernel
     * @param poh pooled rows, at most {@code (oh - ph) / psh + 1} for the convolution's {@code oh}
     * @param pow pooled columns, at most {@code (ow - pw) / psw + 1}
     * @param scratch at least {@link #convScratch convScratch(kh, kw, c, f)} floats the call may
     *     overwrite; any contents
     */
    public abstract void conv2dMaxPool(float[] in, int h, int w, int c, float[] kernel, int kh, int kw,
            int f, float[] bias, int sh, int sw, int ph, int pw, int psh, int psw, float[] out, int poh,
            int pow, boolean relu, float[] scratch);

    /**
     * Depthwise convolution (Keras's DepthwiseConv2D, and a SeparableConv2D's first half) of an h x w x c
     * input with a kh x kw kernel, depth multiplier {@code m}, dilations (dh, dw), strides (sh, sw) and
     * zero padding of {@code padTop} rows and {@code padLeft} columns (the bottom and right padding follow
     * from the output size: a tap outside the input reads zero; no padded copy is made), writing the
     * oh x ow x (c * m) output: {@code out(y, x, ci * m + j) = min(max(bias[ci * m + j] + sum over i, k of
     * in(y * sh + i * dh - padTop, x * sw + k * dw - padLeft, ci) * kernel(i, k, ci, j), floor), ceiling)}.
     * The clamp is the activation that fits one: linear {@code (-inf, +inf)}, ReLU {@code (0, +inf)},
     * ReLU6 {@code (0, 6)}, applied as {@code Math.min(Math.max(x, floor), ceiling)} (a NaN stays NaN).
     *
     * @param kernel Keras's {@code depthwise_kernel}, (kh, kw, c, m): element (i, k, ci, j) at
     *     {@code ((i * kw + k) * c + ci) * m + j}; taken as it is (the channels are already innermost)
     * @param bias {@code c * m} values, or {@code null} for none
     * @param oh output rows, at most {@code (h + padTop + padBottom - dh * (kh - 1) - 1) / sh + 1} for the
     *     layer's bottom padding
     * @param ow output columns, likewise
     */
    public abstract void depthwiseConv2d(float[] in, int h, int w, int c, float[] kernel, int kh, int kw, int m,
            int dh, int dw, float[] bias, int sh, int sw, int padTop, int padLeft, float[] out, int oh, int ow,
            float floor, float ceiling);

    /**
     * The scratch length {@link #conv2d} and {@link #conv2dMaxPool} need for a kh x kw kernel on c
     * channels with f filters: the same for both implementations, and non-decreasing in every
     * argument, so generated code can size one array, shared by all its layers, with the largest
     * of each dimension. (The vector kernels copy the patches of 4
     * output pixels there, 1024 floats apart (or {@code kh * kw * c} if more), so their tap loop reads
     * memory contiguously at constant offsets, and keep 128 floats of sums; the scalar kernels keep a table
     * of tap offsets there for kernels with short rows.)
     */
    public static int convScratch(int kh, int kw, int c, int f) {
        return Math.max(f, 128 + 4 * Math.max(1024, kh * kw * c));
    }

    /**
     * Dense layer: {@code out[u] = act(bias[u] + sum over i of in[i] * kernel(i, u))}.
     *
     * @param kernel the array {@link #prepareDense} returned for this kernel
     */
    public abstract void dense(float[] in, int n, float[] kernel, int units, float[] bias, float[] out,
            boolean relu);

    /**
     * Dense layer on {@code count} inputs at once: row {@code m} of {@code in} (the {@code n} values
     * from {@code m * n}) gives row {@code m} of {@code out} (the {@code units} values from
     * {@code m * units}), each bit for bit what {@link #dense} computes for that row alone. The
     * vector implementation reads each weight once per four rows instead of once per row, which is
     * what makes a batch faster than its rows one by one when the kernel does not fit the caches.
     *
     * @param kernel the array {@link #prepareDense} returned for this kernel
     */
    public abstract void denseBatch(float[] in, int n, int count, float[] kernel, int units, float[] bias,
            float[] out, boolean relu);

    /** Runs the lookup once, on first use (a holder class, so no class-loading deadlock). */
    private static final class Holder {
        static final Kernels INSTANCE = KernelsLookup.lookup();

        private Holder() {
        }
    }
}
