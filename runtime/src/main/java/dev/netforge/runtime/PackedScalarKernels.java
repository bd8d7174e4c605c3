package dev.netforge.runtime;

/**
 * Plain-Java kernels on the Vector API kernels' weight layout ({@link PackedLayout}): what
 * {@link TieredKernels} runs while the Vector API code is not compiled yet. Until C2 compiles it, that
 * code is 10-100x slower than plain Java (the interpreter and C1 box every vector), so a short-lived
 * program would otherwise pay it on its first calls. Written for the interpreter and C1: one dot
 * product per output, the fewest bytecodes per multiply-add; the tuned plain-Java path is
 * {@link ScalarKernels}.
 */
final class PackedScalarKernels extends Kernels {
    private final int lanes;

    /** Kernels for weights packed with vectors of {@code lanes} floats. */
    PackedScalarKernels(int lanes) {
        this.lanes = lanes;
    }

    @Override
    public String name() {
        return KernelsText.packedScalarName(lanes);
    }

    @Override
    public float[] prepareConv2d(float[] kernel, int kh, int kw, int c, int f) {
        ScalarKernels.checkLength(kernel, (long) kh * kw * c * f, KernelsText.CONV2D_KERNEL);
        return PackedLayout.repack(kernel, kh * kw * c, f, lanes, false);
    }

    @Override
    public float[] prepareDense(float[] kernel, int n, int units) {
        ScalarKernels.checkLength(kernel, (long) n * units, KernelsText.DENSE_KERNEL);
        return PackedLayout.repack(kernel, n, units, lanes, true);
    }

    @Override
    public void conv2d(float[] in, int h, int w, int c, float[] kernel, int kh, int kw, int f, float[] bias,
            int sh, int sw, float[] out, int oh, int ow, float[] residual, boolean relu, float ceiling,
            float[] scratch) {
        int taps = kh * kw * c;
        for (int from = 0, count; from < f; from += count) {
            count = PackedLayout.blockWidth(from, f, lanes, false);
            int stride = PackedLayout.blockStride(count, lanes, false);
            for (int y = 0; y < oh; y++) {
                for (int x = 0; x < ow; x++) {
                    int patch = (y * sh * w + x * sw) * c;
                    int o = (y * ow + x) * f + from;
                    for (int j = 0; j < count; j++) {
                        float s = dot(in, patch, w * c, kh, kw * c, kernel, taps * from + j, stride);
                        s += bias == null ? 0f : bias[from + j];
                        if (residual != null) {
                            s += residual[o + j];
                        }
                        out[o + j] = relu ? Math.min(Math.max(s, 0f), ceiling) : s;
                    }
                }
            }
        }
    }

    @Override
    public void conv2dMaxPool(float[] in, int h, int w, int c, float[] kernel, int kh, int kw, int f,
            float[] bias, int sh, int sw, int ph, int pw, int psh, int psw, float[] out, int poh, int pow,
            boolean relu, float[] scratch) {
        int taps = kh * kw * c;
        for (int from = 0, count; from < f; from += count) {
            count = PackedLayout.blockWidth(from, f, lanes, false);
            int stride = PackedLayout.blockStride(count, lanes, false);
            for (int py = 0; py < poh; py++) {
                for (int px = 0; px < pow; px++) {
                    int o = (py * pow + px) * f + from;
                    for (int j = 0; j < count; j++) {
                        float max = Float.NEGATIVE_INFINITY;
                        for (int wy = 0; wy < ph; wy++) {
                            for (int wx = 0; wx < pw; wx++) {
                                int patch = ((py * psh + wy) * sh * w + (px * psw + wx) * sw) * c;
                                // Math.max, not >: a NaN convolution output must reach the pooled value
                                max = Math.max(max, dot(in, patch, w * c, kh, kw * c, kernel, taps * from + j, stride));
                            }
                        }
                        max += bias == null ? 0f : bias[from + j];
                        out[o + j] = relu ? Math.max(max, 0f) : max;
                    }
                }
            }
        }
    }

    /** One convolution output: the kh rows of kwc inputs at {@code patch}, times a packed kernel column. */
    private static float dot(float[] in, int patch, int rowStride, int kh, int kwc, float[] kernel, int k,
            int kernelStride) {
        float s = 0f;
        for (int r = 0; r < kh; r++) {
            for (int i = patch + r * rowStride, end = i + kwc; i < end; i++, k += kernelStride) {
                s += in[i] * kernel[k];
            }
        }
        return s;
    }

    @Override
    public void dense(float[] in, int n, float[] kernel, int units, float[] bias, float[] out, boolean relu) {
        denseRow(in, 0, n, kernel, units, bias, out, 0, relu);
    }

    @Override
    public void denseBatch(float[] in, int n, int count, float[] kernel, int units, float[] bias, float[] out,
            boolean relu) {
        for (int m = 0; m < count; m++) {
            denseRow(in, m * n, n, kernel, units, bias, out, m * units, relu);
        }
    }

    private void denseRow(float[] in, int io, int n, float[] kernel, int units, float[] bias, float[] out, int oo,
            boolean relu) {
        for (int from = 0, count; from < units; from += count) {
            count = PackedLayout.blockWidth(from, units, lanes, true);
            boolean unitByUnit = PackedLayout.unitByUnit(count, lanes, true);
            int step = unitByUnit ? 1 : count;
            for (int j = 0; j < count; j++) {
                float s = 0f;
                for (int i = 0, k = n * from + (unitByUnit ? j * n : j); i < n; i++, k += step) {
                    s += in[io + i] * kernel[k];
                }
                s += bias == null ? 0f : bias[from + j];
                out[oo + from + j] = relu ? Math.max(s, 0f) : s;
            }
        }
    }

    /** The kernel is not repacked (its channels are innermost already): the plain-Java kernels' code. */
    @Override
    public void depthwiseConv2d(float[] in, int h, int w, int c, float[] kernel, int kh, int kw, int m, int dh,
            int dw, float[] bias, int sh, int sw, int padTop, int padLeft, float[] out, int oh, int ow, float floor,
            float ceiling) {
        ScalarKernels.depthwise(in, h, w, c, kernel, kh, kw, m, dh, dw, bias, sh, sw, padTop, padLeft, out, oh, ow,
                floor, ceiling, 0);
    }
}
