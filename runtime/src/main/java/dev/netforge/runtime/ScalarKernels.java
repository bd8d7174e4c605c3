package dev.netforge.runtime;

import java.util.Arrays;

/**
 * The plain-Java kernels: always available. Loops are shaped for C2's auto-vectoriser (SuperWord):
 * the innermost loop runs over the filter (or unit) axis, contiguous in the output and in the HWIO
 * kernel, and folds four input taps into each read-modify-write of the output, so there is one
 * store per four multiply-adds instead of one per multiply-add.
 */
final class ScalarKernels extends Kernels {

    ScalarKernels() {
    }

    @Override
    public String name() {
        return "scalar";
    }

    @Override
    public float[] prepareConv2d(float[] kernel, int kh, int kw, int c, int f) {
        checkLength(kernel, (long) kh * kw * c * f, "conv2d kernel");
        return kernel;
    }

    @Override
    public float[] prepareDense(float[] kernel, int n, int units) {
        checkLength(kernel, (long) n * units, "dense kernel");
        return kernel;
    }

    static void checkLength(float[] kernel, long expected, String what) {
        if (kernel.length != expected) {
            throw new IllegalArgumentException(what + " has " + kernel.length + " values, expected " + expected);
        }
    }

    @Override
    public void conv2d(float[] in, int h, int w, int c, float[] kernel, int kh, int kw, int f, float[] bias,
            int sh, int sw, float[] out, int oh, int ow, boolean relu, float[] scratch) {
        int rowStride = w * c;
        for (int y = 0; y < oh; y++) {
            for (int x = 0; x < ow; x++) {
                int o = (y * ow + x) * f;
                pixel(in, (y * sh * w + x * sw) * c, rowStride, kernel, kh, kw * c, f, out, o);
                finish(out, o, f, bias, relu);
            }
        }
    }

    @Override
    public void conv2dMaxPool(float[] in, int h, int w, int c, float[] kernel, int kh, int kw, int f,
            float[] bias, int sh, int sw, int ph, int pw, int psh, int psw, float[] out, int poh, int pow,
            boolean relu, float[] scratch) {
        int rowStride = w * c;
        int kwc = kw * c;
        for (int py = 0; py < poh; py++) {
            for (int px = 0; px < pow; px++) {
                int o = (py * pow + px) * f;
                for (int wy = 0; wy < ph; wy++) {
                    for (int wx = 0; wx < pw; wx++) {
                        int y = py * psh + wy;
                        int x = px * psw + wx;
                        int i = (y * sh * w + x * sw) * c;
                        if (wy == 0 && wx == 0) {
                            pixel(in, i, rowStride, kernel, kh, kwc, f, out, o);
                        } else {
                            pixel(in, i, rowStride, kernel, kh, kwc, f, scratch, 0);
                            maxInto(out, o, scratch, f);
                        }
                    }
                }
                // max(a + b) == max(a) + b and relu(max) == max(relu): rounding is monotonic
                finish(out, o, f, bias, relu);
            }
        }
    }

    /**
     * One output pixel without bias: {@code dst[o + q] = sum over taps of in * kernel}, the taps of
     * a kh x (kw * c) patch walked four at a time.
     */
    private static void pixel(float[] in, int base, int rowStride, float[] kernel, int kh, int kwc, int f,
            float[] dst, int o) {
        Arrays.fill(dst, o, o + f, 0f);
        int taps = kh * kwc;
        int row = base; // input offset of the current kernel row's first tap
        int j = 0; // column of the next tap within that row
        int t = 0;
        for (; t + 3 < taps; t += 4) {
            float x0 = in[row + j];
            if (++j == kwc) {
                j = 0;
                row += rowStride;
            }
            float x1 = in[row + j];
            if (++j == kwc) {
                j = 0;
                row += rowStride;
            }
            float x2 = in[row + j];
            if (++j == kwc) {
                j = 0;
                row += rowStride;
            }
            float x3 = in[row + j];
            if (++j == kwc) {
                j = 0;
                row += rowStride;
            }
            axpy4(dst, o, f, kernel, t * f, x0, x1, x2, x3);
        }
        for (; t < taps; t++) {
            axpy1(dst, o, f, kernel, t * f, in[row + j]);
            if (++j == kwc) {
                j = 0;
                row += rowStride;
            }
        }
    }

    /** {@code dst[o + q] += x0 k[k0 + q] + x1 k[k0 + n + q] + x2 k[k0 + 2n + q] + x3 k[k0 + 3n + q]}. */
    private static void axpy4(float[] dst, int o, int n, float[] k, int k0, float x0, float x1, float x2,
            float x3) {
        int k1 = k0 + n;
        int k2 = k1 + n;
        int k3 = k2 + n;
        for (int q = 0; q < n; q++) {
            dst[o + q] += x0 * k[k0 + q] + x1 * k[k1 + q] + x2 * k[k2 + q] + x3 * k[k3 + q];
        }
    }

    private static void axpy1(float[] dst, int o, int n, float[] k, int k0, float x) {
        for (int q = 0; q < n; q++) {
            dst[o + q] += x * k[k0 + q];
        }
    }

    private static void maxInto(float[] dst, int o, float[] src, int n) {
        for (int q = 0; q < n; q++) {
            dst[o + q] = Math.max(dst[o + q], src[q]);
        }
    }

    /** Adds the bias (if any) and applies ReLU (if asked) to {@code a[o .. o + n)}. */
    private static void finish(float[] a, int o, int n, float[] bias, boolean relu) {
        if (bias != null) {
            for (int q = 0; q < n; q++) {
                a[o + q] += bias[q];
            }
        }
        if (relu) {
            for (int q = 0; q < n; q++) {
                a[o + q] = Math.max(a[o + q], 0f);
            }
        }
    }

    @Override
    public void dense(float[] in, int n, float[] kernel, int units, float[] bias, float[] out, boolean relu) {
        Arrays.fill(out, 0, units, 0f);
        int i = 0;
        for (; i + 3 < n; i += 4) {
            float x0 = in[i];
            float x1 = in[i + 1];
            float x2 = in[i + 2];
            float x3 = in[i + 3];
            axpy4(out, 0, units, kernel, i * units, x0, x1, x2, x3);
        }
        for (; i < n; i++) {
            axpy1(out, 0, units, kernel, i * units, in[i]);
        }
        finish(out, 0, units, bias, relu);
    }
}
