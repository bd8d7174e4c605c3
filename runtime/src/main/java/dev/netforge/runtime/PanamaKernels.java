package dev.netforge.runtime;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The kernels on the incubating Vector API. Loaded only by name from {@link KernelsLookup}, and only
 * when {@code jdk.incubator.vector} is in the boot layer.
 *
 * <p>Convolution is register-blocked: a micro-kernel holds 4 output pixels x NV filter vectors of
 * accumulators (NV = 1, 2 or 3, so at most 12 accumulators, 3 kernel vectors and one broadcast
 * input: 16 registers on AVX2) and walks the taps of the kh x (kw * c) patch, loading each
 * kernel vector once for the 4 pixels and broadcasting each input value once for the NV vectors.
 * Filters are cut into blocks of NV vectors; filters past the last whole vector are done scalar.
 * Fused with a max pool, the 4 pixels are (up to) 4 pixels of one pool window, reduced by max in
 * registers, so only the convolution outputs the pool reads are computed.
 */
final class PanamaKernels extends Kernels {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    /** Micro-kernel epilogues: store 4 pixels; store the max of 4 pixels; merge that max into the output. */
    private static final int STORE = 0;
    private static final int POOL_FIRST = 1;
    private static final int POOL_MERGE = 2;

    PanamaKernels() {
        if (S.vectorBitSize() < 128) {
            throw new UnsupportedOperationException("the preferred vector size is " + S.vectorBitSize()
                    + " bits, too small for the Vector API kernels to pay");
        }
    }

    @Override
    public String name() {
        return "vector (" + S.vectorBitSize() + "-bit)";
    }

    @Override
    public float[] prepareConv2d(float[] kernel, int kh, int kw, int c, int f) {
        ScalarKernels.checkLength(kernel, (long) kh * kw * c * f, "conv2d kernel");
        return kernel;
    }

    @Override
    public float[] prepareDense(float[] kernel, int n, int units) {
        ScalarKernels.checkLength(kernel, (long) n * units, "dense kernel");
        return kernel;
    }

    /** How many filter vectors the next block takes, of {@code left}: 3s, but 4 as 2 + 2 (never a lone 1 after a 3). */
    private static int blockVectors(int left) {
        return Math.min(left, 2); // EXPERIMENT
    }

    @Override
    public void conv2d(float[] in, int h, int w, int c, float[] kernel, int kh, int kw, int f, float[] bias,
            int sh, int sw, float[] out, int oh, int ow, boolean relu) {
        int pixels = oh * ow;
        int vectors = f / L;
        for (int v = 0, nv; v < vectors; v += nv) {
            nv = blockVectors(vectors - v);
            for (int p = 0; p < pixels; p += 4) {
                int p1 = Math.min(p + 1, pixels - 1);
                int p2 = Math.min(p + 2, pixels - 1);
                int p3 = Math.min(p + 3, pixels - 1);
                block(nv, in, offset(p, ow, sh, sw, w, c), offset(p1, ow, sh, sw, w, c),
                        offset(p2, ow, sh, sw, w, c), offset(p3, ow, sh, sw, w, c), w * c, kh, kw * c,
                        kernel, f, v * L, out, p * f, p1 * f, p2 * f, p3 * f, STORE);
                for (int q = p; q <= p3; q++) {
                    finishVectors(out, q * f + v * L, nv, bias, v * L, relu);
                }
            }
        }
        for (int q = vectors * L; q < f; q++) {
            convTail(in, w, c, kernel, kh, kw, f, q, bias, sh, sw, out, oh, ow, relu);
        }
    }

    /** Input offset of the patch of output pixel {@code p} (row-major over oh x ow). */
    private static int offset(int p, int ow, int sh, int sw, int w, int c) {
        int y = p / ow;
        int x = p - y * ow;
        return (y * sh * w + x * sw) * c;
    }

    private static void block(int nv, float[] in, int i0, int i1, int i2, int i3, int rowStride, int kh, int kwc,
            float[] k, int f, int f0, float[] out, int o0, int o1, int o2, int o3, int mode) {
        if (nv == 3) {
            block3(in, i0, i1, i2, i3, rowStride, kh, kwc, k, f, f0, out, o0, o1, o2, o3, mode);
        } else if (nv == 2) {
            block2(in, i0, i1, i2, i3, rowStride, kh, kwc, k, f, f0, out, o0, o1, o2, o3, mode);
        } else {
            block1(in, i0, i1, i2, i3, rowStride, kh, kwc, k, f, f0, out, o0, o1, o2, o3, mode);
        }
    }

    private static void block3(float[] in, int i0, int i1, int i2, int i3, int rowStride, int kh, int kwc,
            float[] k, int f, int f0, float[] out, int o0, int o1, int o2, int o3, int mode) {
        FloatVector a00 = FloatVector.zero(S);
        FloatVector a01 = a00;
        FloatVector a02 = a00;
        FloatVector a10 = a00;
        FloatVector a11 = a00;
        FloatVector a12 = a00;
        FloatVector a20 = a00;
        FloatVector a21 = a00;
        FloatVector a22 = a00;
        FloatVector a30 = a00;
        FloatVector a31 = a00;
        FloatVector a32 = a00;
        int taps = kh * kwc;
        for (int t = 0, row = 0, j = 0; t < taps; t++) {
            int kk = t * f + f0;
            int ij = row + j;
            FloatVector k0 = FloatVector.fromArray(S, k, kk);
            FloatVector k1 = FloatVector.fromArray(S, k, kk + L);
            FloatVector k2 = FloatVector.fromArray(S, k, kk + 2 * L);
            FloatVector x = FloatVector.broadcast(S, in[i0 + ij]);
            a00 = x.fma(k0, a00);
            a01 = x.fma(k1, a01);
            a02 = x.fma(k2, a02);
            x = FloatVector.broadcast(S, in[i1 + ij]);
            a10 = x.fma(k0, a10);
            a11 = x.fma(k1, a11);
            a12 = x.fma(k2, a12);
            x = FloatVector.broadcast(S, in[i2 + ij]);
            a20 = x.fma(k0, a20);
            a21 = x.fma(k1, a21);
            a22 = x.fma(k2, a22);
            x = FloatVector.broadcast(S, in[i3 + ij]);
            a30 = x.fma(k0, a30);
            a31 = x.fma(k1, a31);
            a32 = x.fma(k2, a32);
            if (++j == kwc) {
                j = 0;
                row += rowStride;
            }
        }
        // Vectors never cross a call (a helper compiled on its own would box them), so each
        // micro-kernel writes its accumulators itself: raw sums, or their max for a pool window.
        if (mode == STORE) {
            a00.intoArray(out, o0 + f0);
            a01.intoArray(out, o0 + f0 + L);
            a02.intoArray(out, o0 + f0 + 2 * L);
            a10.intoArray(out, o1 + f0);
            a11.intoArray(out, o1 + f0 + L);
            a12.intoArray(out, o1 + f0 + 2 * L);
            a20.intoArray(out, o2 + f0);
            a21.intoArray(out, o2 + f0 + L);
            a22.intoArray(out, o2 + f0 + 2 * L);
            a30.intoArray(out, o3 + f0);
            a31.intoArray(out, o3 + f0 + L);
            a32.intoArray(out, o3 + f0 + 2 * L);
        } else {
            FloatVector m0 = a00.max(a10).max(a20.max(a30));
            FloatVector m1 = a01.max(a11).max(a21.max(a31));
            FloatVector m2 = a02.max(a12).max(a22.max(a32));
            if (mode == POOL_MERGE) {
                m0 = m0.max(FloatVector.fromArray(S, out, o0 + f0));
                m1 = m1.max(FloatVector.fromArray(S, out, o0 + f0 + L));
                m2 = m2.max(FloatVector.fromArray(S, out, o0 + f0 + 2 * L));
            }
            m0.intoArray(out, o0 + f0);
            m1.intoArray(out, o0 + f0 + L);
            m2.intoArray(out, o0 + f0 + 2 * L);
        }
    }

    private static void block2(float[] in, int i0, int i1, int i2, int i3, int rowStride, int kh, int kwc,
            float[] k, int f, int f0, float[] out, int o0, int o1, int o2, int o3, int mode) {
        FloatVector a00 = FloatVector.zero(S);
        FloatVector a01 = a00;
        FloatVector a10 = a00;
        FloatVector a11 = a00;
        FloatVector a20 = a00;
        FloatVector a21 = a00;
        FloatVector a30 = a00;
        FloatVector a31 = a00;
        int taps = kh * kwc;
        for (int t = 0, row = 0, j = 0; t < taps; t++) {
            int kk = t * f + f0;
            int ij = row + j;
            FloatVector k0 = FloatVector.fromArray(S, k, kk);
            FloatVector k1 = FloatVector.fromArray(S, k, kk + L);
            FloatVector x = FloatVector.broadcast(S, in[i0 + ij]);
            a00 = x.fma(k0, a00);
            a01 = x.fma(k1, a01);
            x = FloatVector.broadcast(S, in[i1 + ij]);
            a10 = x.fma(k0, a10);
            a11 = x.fma(k1, a11);
            x = FloatVector.broadcast(S, in[i2 + ij]);
            a20 = x.fma(k0, a20);
            a21 = x.fma(k1, a21);
            x = FloatVector.broadcast(S, in[i3 + ij]);
            a30 = x.fma(k0, a30);
            a31 = x.fma(k1, a31);
            if (++j == kwc) {
                j = 0;
                row += rowStride;
            }
        }
        if (mode == STORE) {
            a00.intoArray(out, o0 + f0);
            a01.intoArray(out, o0 + f0 + L);
            a10.intoArray(out, o1 + f0);
            a11.intoArray(out, o1 + f0 + L);
            a20.intoArray(out, o2 + f0);
            a21.intoArray(out, o2 + f0 + L);
            a30.intoArray(out, o3 + f0);
            a31.intoArray(out, o3 + f0 + L);
        } else {
            FloatVector m0 = a00.max(a10).max(a20.max(a30));
            FloatVector m1 = a01.max(a11).max(a21.max(a31));
            if (mode == POOL_MERGE) {
                m0 = m0.max(FloatVector.fromArray(S, out, o0 + f0));
                m1 = m1.max(FloatVector.fromArray(S, out, o0 + f0 + L));
            }
            m0.intoArray(out, o0 + f0);
            m1.intoArray(out, o0 + f0 + L);
        }
    }

    private static void block1(float[] in, int i0, int i1, int i2, int i3, int rowStride, int kh, int kwc,
            float[] k, int f, int f0, float[] out, int o0, int o1, int o2, int o3, int mode) {
        FloatVector a0 = FloatVector.zero(S);
        FloatVector a1 = a0;
        FloatVector a2 = a0;
        FloatVector a3 = a0;
        int taps = kh * kwc;
        for (int t = 0, row = 0, j = 0; t < taps; t++) {
            int ij = row + j;
            FloatVector k0 = FloatVector.fromArray(S, k, t * f + f0);
            a0 = FloatVector.broadcast(S, in[i0 + ij]).fma(k0, a0);
            a1 = FloatVector.broadcast(S, in[i1 + ij]).fma(k0, a1);
            a2 = FloatVector.broadcast(S, in[i2 + ij]).fma(k0, a2);
            a3 = FloatVector.broadcast(S, in[i3 + ij]).fma(k0, a3);
            if (++j == kwc) {
                j = 0;
                row += rowStride;
            }
        }
        if (mode == STORE) {
            a0.intoArray(out, o0 + f0);
            a1.intoArray(out, o1 + f0);
            a2.intoArray(out, o2 + f0);
            a3.intoArray(out, o3 + f0);
        } else {
            FloatVector m = a0.max(a1).max(a2.max(a3));
            if (mode == POOL_MERGE) {
                m = m.max(FloatVector.fromArray(S, out, o0 + f0));
            }
            m.intoArray(out, o0 + f0);
        }
    }

    /** Output filter {@code q} (past the last whole vector) of every pixel, one dot product each. */
    private static void convTail(float[] in, int w, int c, float[] k, int kh, int kw, int f, int q, float[] bias,
            int sh, int sw, float[] out, int oh, int ow, boolean relu) {
        float b = bias == null ? 0f : bias[q];
        for (int y = 0; y < oh; y++) {
            for (int x = 0; x < ow; x++) {
                float s = dotTail(in, (y * sh * w + x * sw) * c, w * c, kh, kw * c, k, f, q);
                out[(y * ow + x) * f + q] = relu ? Math.max(s + b, 0f) : s + b;
            }
        }
    }

    /** The convolution sum (no bias) of filter {@code q} over the patch at input offset {@code base}. */
    private static float dotTail(float[] in, int base, int rowStride, int kh, int kwc, float[] k, int f, int q) {
        float s = 0f;
        for (int r = 0; r < kh; r++) {
            int ir = base + r * rowStride;
            int kr = r * kwc * f + q;
            for (int j = 0; j < kwc; j++) {
                s += in[ir + j] * k[kr + j * f];
            }
        }
        return s;
    }

    @Override
    public void conv2dMaxPool(float[] in, int h, int w, int c, float[] kernel, int kh, int kw, int f,
            float[] bias, int sh, int sw, int ph, int pw, int psh, int psw, float[] out, int poh, int pow,
            boolean relu, float[] scratch) {
        int vectors = f / L;
        int window = ph * pw;
        for (int v = 0, nv; v < vectors; v += nv) {
            nv = blockVectors(vectors - v);
            for (int py = 0; py < poh; py++) {
                for (int px = 0; px < pow; px++) {
                    int o = (py * pow + px) * f;
                    int y0 = py * psh;
                    int x0 = px * psw;
                    for (int e = 0; e < window; e += 4) {
                        block(nv, in, windowOffset(e, y0, x0, pw, window, sh, sw, w, c),
                                windowOffset(e + 1, y0, x0, pw, window, sh, sw, w, c),
                                windowOffset(e + 2, y0, x0, pw, window, sh, sw, w, c),
                                windowOffset(e + 3, y0, x0, pw, window, sh, sw, w, c), w * c, kh, kw * c,
                                kernel, f, v * L, out, o, o, o, o, e == 0 ? POOL_FIRST : POOL_MERGE);
                    }
                    finishVectors(out, o + v * L, nv, bias, v * L, relu);
                }
            }
        }
        for (int q = vectors * L; q < f; q++) {
            poolTail(in, w, c, kernel, kh, kw, f, q, bias, sh, sw, ph, pw, psh, psw, out, poh, pow, relu);
        }
    }

    /**
     * Input offset of the patch of window element {@code e} (row-major over ph x pw; past the window's
     * end, its last element again, which max ignores) of the window whose top-left conv output is (y0, x0).
     */
    private static int windowOffset(int e, int y0, int x0, int pw, int window, int sh, int sw, int w, int c) {
        int last = Math.min(e, window - 1);
        int wy = last / pw;
        int wx = last - wy * pw;
        return ((y0 + wy) * sh * w + (x0 + wx) * sw) * c;
    }

    /** Adds bias and applies ReLU to {@code nv} vectors at {@code out[o ..]}, bias from {@code bias[fb ..]}. */
    private static void finishVectors(float[] out, int o, int nv, float[] bias, int fb, boolean relu) {
        for (int v = 0; v < nv; v++) {
            FloatVector a = FloatVector.fromArray(S, out, o + v * L);
            if (bias != null) {
                a = a.add(FloatVector.fromArray(S, bias, fb + v * L));
            }
            if (relu) {
                a = a.max(0f);
            }
            a.intoArray(out, o + v * L);
        }
    }

    private static void poolTail(float[] in, int w, int c, float[] k, int kh, int kw, int f, int q, float[] bias,
            int sh, int sw, int ph, int pw, int psh, int psw, float[] out, int poh, int pow, boolean relu) {
        float b = bias == null ? 0f : bias[q];
        for (int py = 0; py < poh; py++) {
            for (int px = 0; px < pow; px++) {
                float m = Float.NEGATIVE_INFINITY;
                for (int wy = 0; wy < ph; wy++) {
                    for (int wx = 0; wx < pw; wx++) {
                        int base = ((py * psh + wy) * sh * w + (px * psw + wx) * sw) * c;
                        m = Math.max(m, dotTail(in, base, w * c, kh, kw * c, k, f, q));
                    }
                }
                out[(py * pow + px) * f + q] = relu ? Math.max(m + b, 0f) : m + b;
            }
        }
    }

    @Override
    public void dense(float[] in, int n, float[] kernel, int units, float[] bias, float[] out, boolean relu) {
        int vectors = units / L;
        int v = 0;
        for (; v + 8 <= vectors; v += 8) {
            dense8(in, n, kernel, units, v * L, bias, out, relu);
        }
        for (; v < vectors; v++) {
            dense1(in, n, kernel, units, v * L, bias, out, relu);
        }
        for (int u = vectors * L; u < units; u++) {
            float s = 0f;
            for (int i = 0; i < n; i++) {
                s += in[i] * kernel[i * units + u];
            }
            s += bias == null ? 0f : bias[u];
            out[u] = relu ? Math.max(s, 0f) : s;
        }
    }

    /** Units {@code u0 .. u0 + 8L}: 8 accumulators, one broadcast input per row of the kernel. */
    private static void dense8(float[] in, int n, float[] k, int units, int u0, float[] bias, float[] out,
            boolean relu) {
        FloatVector a0 = FloatVector.zero(S);
        FloatVector a1 = a0;
        FloatVector a2 = a0;
        FloatVector a3 = a0;
        FloatVector a4 = a0;
        FloatVector a5 = a0;
        FloatVector a6 = a0;
        FloatVector a7 = a0;
        for (int i = 0; i < n; i++) {
            int row = i * units + u0;
            FloatVector x = FloatVector.broadcast(S, in[i]);
            a0 = x.fma(FloatVector.fromArray(S, k, row), a0);
            a1 = x.fma(FloatVector.fromArray(S, k, row + L), a1);
            a2 = x.fma(FloatVector.fromArray(S, k, row + 2 * L), a2);
            a3 = x.fma(FloatVector.fromArray(S, k, row + 3 * L), a3);
            a4 = x.fma(FloatVector.fromArray(S, k, row + 4 * L), a4);
            a5 = x.fma(FloatVector.fromArray(S, k, row + 5 * L), a5);
            a6 = x.fma(FloatVector.fromArray(S, k, row + 6 * L), a6);
            a7 = x.fma(FloatVector.fromArray(S, k, row + 7 * L), a7);
        }
        a0.intoArray(out, u0);
        a1.intoArray(out, u0 + L);
        a2.intoArray(out, u0 + 2 * L);
        a3.intoArray(out, u0 + 3 * L);
        a4.intoArray(out, u0 + 4 * L);
        a5.intoArray(out, u0 + 5 * L);
        a6.intoArray(out, u0 + 6 * L);
        a7.intoArray(out, u0 + 7 * L);
        finishVectors(out, u0, 8, bias, u0, relu);
    }

    /** Units {@code u0 .. u0 + L}: rows taken four at a time into four accumulators, summed at the end. */
    private static void dense1(float[] in, int n, float[] k, int units, int u0, float[] bias, float[] out,
            boolean relu) {
        FloatVector a0 = FloatVector.zero(S);
        FloatVector a1 = a0;
        FloatVector a2 = a0;
        FloatVector a3 = a0;
        int i = 0;
        for (; i + 3 < n; i += 4) {
            int row = i * units + u0;
            a0 = FloatVector.broadcast(S, in[i]).fma(FloatVector.fromArray(S, k, row), a0);
            a1 = FloatVector.broadcast(S, in[i + 1]).fma(FloatVector.fromArray(S, k, row + units), a1);
            a2 = FloatVector.broadcast(S, in[i + 2]).fma(FloatVector.fromArray(S, k, row + 2 * units), a2);
            a3 = FloatVector.broadcast(S, in[i + 3]).fma(FloatVector.fromArray(S, k, row + 3 * units), a3);
        }
        for (; i < n; i++) {
            a0 = FloatVector.broadcast(S, in[i]).fma(FloatVector.fromArray(S, k, i * units + u0), a0);
        }
        a0.add(a1).add(a2.add(a3)).intoArray(out, u0);
        finishVectors(out, u0, 1, bias, u0, relu);
    }
}
