package dev.netforge.runtime;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The kernels on the incubating Vector API. Loaded only by name from {@link KernelsLookup}, and only
 * when {@code jdk.incubator.vector} is in the boot layer.
 *
 * <p>Convolution is register-blocked: a micro-kernel holds 4 output pixels x NV filter vectors of
 * accumulators (NV = 1, 2 or 3) and walks one kernel row ({@code kw * c} taps, contiguous in the
 * input), loading each kernel vector once for the 4 pixels and broadcasting each input value once
 * for the NV vectors. Filters are cut into blocks of NV vectors; {@link #prepareConv2d} repacks the
 * kernel block by block ({@code [tap][NV * L]}), so the micro-kernel reads it sequentially at a
 * constant stride and C2 removes its bounds checks. Filters past the last whole vector are done
 * scalar. Fused with a max pool, the 4 pixels are (up to) 4 pixels of one pool window, so only the
 * convolution outputs the pool reads are computed.
 *
 * <p>Rules that keep C2 from falling back to allocating vector objects (checked with JMH
 * {@code -prof gc}: 0 B/op): no {@code FloatVector} crosses a method call (a callee compiled on its
 * own boxes its arguments), and accumulators live in a single loop, not a loop nest (JDK 17 boxes
 * vectors carried through nested loop phis). Kernel rows are therefore separate calls, their
 * partial sums kept in memory between rows.
 */
final class PanamaKernels extends Kernels {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Dense micro-kernel width, in vectors. */
    private static final int DENSE_BLOCK = 8;

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

    /** How many filter vectors the next block takes, of {@code left}: 3s, but 4 as 2 + 2 (never a lone 1 after a 3). */
    private static int blockVectors(int left) {
        return left == 3 || left >= 5 ? 3 : Math.min(left, 2);
    }

    /**
     * Repacks HWIO into filter blocks: for the block of {@code nv} vectors starting at filter vector
     * {@code v}, element (tap t, lane) at {@code taps * v * L + t * nv * L + lane}; then the tail
     * filters ({@code f % L} of them), element (t, q) at {@code taps * (f - tail) + t * tail + q}.
     */
    @Override
    public float[] prepareConv2d(float[] kernel, int kh, int kw, int c, int f) {
        ScalarKernels.checkLength(kernel, (long) kh * kw * c * f, "conv2d kernel");
        return repack(kernel, kh * kw * c, f, false);
    }

    /** As {@link #prepareConv2d}, with rows for taps and blocks of {@value #DENSE_BLOCK} vectors, then single vectors. */
    @Override
    public float[] prepareDense(float[] kernel, int n, int units) {
        ScalarKernels.checkLength(kernel, (long) n * units, "dense kernel");
        return repack(kernel, n, units, true);
    }

    private static float[] repack(float[] kernel, int rows, int width, boolean dense) {
        float[] packed = new float[kernel.length];
        int vectors = width / L;
        for (int v = 0, nv; v < vectors; v += nv) {
            nv = dense ? (vectors - v >= DENSE_BLOCK ? DENSE_BLOCK : 1) : blockVectors(vectors - v);
            copyColumns(kernel, rows, width, v * L, nv * L, packed, rows * v * L);
        }
        int head = vectors * L;
        copyColumns(kernel, rows, width, head, width - head, packed, rows * head);
        return packed;
    }

    /** Columns {@code [from, from + count)} of a rows x width matrix, row-major at {@code to}. */
    private static void copyColumns(float[] matrix, int rows, int width, int from, int count, float[] to, int at) {
        for (int r = 0; r < rows; r++) {
            System.arraycopy(matrix, r * width + from, to, at + r * count, count);
        }
    }

    @Override
    public void conv2d(float[] in, int h, int w, int c, float[] kernel, int kh, int kw, int f, float[] bias,
            int sh, int sw, float[] out, int oh, int ow, boolean relu) {
        int pixels = oh * ow;
        int vectors = f / L;
        int kwc = kw * c;
        int rowStride = w * c;
        for (int v = 0, nv; v < vectors; v += nv) {
            nv = blockVectors(vectors - v);
            int f0 = v * L;
            int block = kh * kwc * f0;
            for (int p = 0; p < pixels; p += 4) {
                int p1 = Math.min(p + 1, pixels - 1);
                int p2 = Math.min(p + 2, pixels - 1);
                int p3 = Math.min(p + 3, pixels - 1);
                int i0 = offset(p, ow, sh, sw, w, c);
                int i1 = offset(p1, ow, sh, sw, w, c);
                int i2 = offset(p2, ow, sh, sw, w, c);
                int i3 = offset(p3, ow, sh, sw, w, c);
                for (int q = p; q <= p3; q++) {
                    Arrays.fill(out, q * f + f0, q * f + f0 + nv * L, 0f);
                }
                for (int r = 0; r < kh; r++) {
                    int dr = r * rowStride;
                    row(nv, in, i0 + dr, i1 + dr, i2 + dr, i3 + dr, kwc, kernel, block + r * kwc * nv * L,
                            out, p * f + f0, p1 * f + f0, p2 * f + f0, p3 * f + f0);
                }
                for (int q = p; q <= p3; q++) {
                    finishVectors(out, q * f + f0, nv, bias, f0, relu);
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

    /**
     * Adds one kernel row of 4 pixels to their partial sums: {@code acc[a_p + lane] += sum over j of
     * in[i_p + j] * k[kOff + j * nv * L + lane]}, for {@code j < kwc} and lanes of {@code nv} vectors.
     */
    private static void row(int nv, float[] in, int i0, int i1, int i2, int i3, int kwc, float[] k, int kOff,
            float[] acc, int a0, int a1, int a2, int a3) {
        if (nv == 3) {
            row3(in, i0, i1, i2, i3, kwc, k, kOff, acc, a0, a1, a2, a3);
        } else if (nv == 2) {
            row2(in, i0, i1, i2, i3, kwc, k, kOff, acc, a0, a1, a2, a3);
        } else {
            row1(in, i0, i1, i2, i3, kwc, k, kOff, acc, a0, a1, a2, a3);
        }
    }

    private static void row3(float[] in, int i0, int i1, int i2, int i3, int kwc, float[] k, int kOff,
            float[] acc, int a0, int a1, int a2, int a3) {
        FloatVector c00 = FloatVector.fromArray(S, acc, a0);
        FloatVector c01 = FloatVector.fromArray(S, acc, a0 + L);
        FloatVector c02 = FloatVector.fromArray(S, acc, a0 + 2 * L);
        FloatVector c10 = FloatVector.fromArray(S, acc, a1);
        FloatVector c11 = FloatVector.fromArray(S, acc, a1 + L);
        FloatVector c12 = FloatVector.fromArray(S, acc, a1 + 2 * L);
        FloatVector c20 = FloatVector.fromArray(S, acc, a2);
        FloatVector c21 = FloatVector.fromArray(S, acc, a2 + L);
        FloatVector c22 = FloatVector.fromArray(S, acc, a2 + 2 * L);
        FloatVector c30 = FloatVector.fromArray(S, acc, a3);
        FloatVector c31 = FloatVector.fromArray(S, acc, a3 + L);
        FloatVector c32 = FloatVector.fromArray(S, acc, a3 + 2 * L);
        for (int j = 0; j < kwc; j++) {
            int kk = kOff + j * (3 * L);
            FloatVector k0 = FloatVector.fromArray(S, k, kk);
            FloatVector k1 = FloatVector.fromArray(S, k, kk + L);
            FloatVector k2 = FloatVector.fromArray(S, k, kk + 2 * L);
            FloatVector x = FloatVector.broadcast(S, in[i0 + j]);
            c00 = x.fma(k0, c00);
            c01 = x.fma(k1, c01);
            c02 = x.fma(k2, c02);
            x = FloatVector.broadcast(S, in[i1 + j]);
            c10 = x.fma(k0, c10);
            c11 = x.fma(k1, c11);
            c12 = x.fma(k2, c12);
            x = FloatVector.broadcast(S, in[i2 + j]);
            c20 = x.fma(k0, c20);
            c21 = x.fma(k1, c21);
            c22 = x.fma(k2, c22);
            x = FloatVector.broadcast(S, in[i3 + j]);
            c30 = x.fma(k0, c30);
            c31 = x.fma(k1, c31);
            c32 = x.fma(k2, c32);
        }
        c00.intoArray(acc, a0);
        c01.intoArray(acc, a0 + L);
        c02.intoArray(acc, a0 + 2 * L);
        c10.intoArray(acc, a1);
        c11.intoArray(acc, a1 + L);
        c12.intoArray(acc, a1 + 2 * L);
        c20.intoArray(acc, a2);
        c21.intoArray(acc, a2 + L);
        c22.intoArray(acc, a2 + 2 * L);
        c30.intoArray(acc, a3);
        c31.intoArray(acc, a3 + L);
        c32.intoArray(acc, a3 + 2 * L);
    }

    private static void row2(float[] in, int i0, int i1, int i2, int i3, int kwc, float[] k, int kOff,
            float[] acc, int a0, int a1, int a2, int a3) {
        FloatVector c00 = FloatVector.fromArray(S, acc, a0);
        FloatVector c01 = FloatVector.fromArray(S, acc, a0 + L);
        FloatVector c10 = FloatVector.fromArray(S, acc, a1);
        FloatVector c11 = FloatVector.fromArray(S, acc, a1 + L);
        FloatVector c20 = FloatVector.fromArray(S, acc, a2);
        FloatVector c21 = FloatVector.fromArray(S, acc, a2 + L);
        FloatVector c30 = FloatVector.fromArray(S, acc, a3);
        FloatVector c31 = FloatVector.fromArray(S, acc, a3 + L);
        for (int j = 0; j < kwc; j++) {
            int kk = kOff + j * (2 * L);
            FloatVector k0 = FloatVector.fromArray(S, k, kk);
            FloatVector k1 = FloatVector.fromArray(S, k, kk + L);
            FloatVector x = FloatVector.broadcast(S, in[i0 + j]);
            c00 = x.fma(k0, c00);
            c01 = x.fma(k1, c01);
            x = FloatVector.broadcast(S, in[i1 + j]);
            c10 = x.fma(k0, c10);
            c11 = x.fma(k1, c11);
            x = FloatVector.broadcast(S, in[i2 + j]);
            c20 = x.fma(k0, c20);
            c21 = x.fma(k1, c21);
            x = FloatVector.broadcast(S, in[i3 + j]);
            c30 = x.fma(k0, c30);
            c31 = x.fma(k1, c31);
        }
        c00.intoArray(acc, a0);
        c01.intoArray(acc, a0 + L);
        c10.intoArray(acc, a1);
        c11.intoArray(acc, a1 + L);
        c20.intoArray(acc, a2);
        c21.intoArray(acc, a2 + L);
        c30.intoArray(acc, a3);
        c31.intoArray(acc, a3 + L);
    }

    private static void row1(float[] in, int i0, int i1, int i2, int i3, int kwc, float[] k, int kOff,
            float[] acc, int a0, int a1, int a2, int a3) {
        FloatVector c0 = FloatVector.fromArray(S, acc, a0);
        FloatVector c1 = FloatVector.fromArray(S, acc, a1);
        FloatVector c2 = FloatVector.fromArray(S, acc, a2);
        FloatVector c3 = FloatVector.fromArray(S, acc, a3);
        for (int j = 0; j < kwc; j++) {
            FloatVector k0 = FloatVector.fromArray(S, k, kOff + j * L);
            c0 = FloatVector.broadcast(S, in[i0 + j]).fma(k0, c0);
            c1 = FloatVector.broadcast(S, in[i1 + j]).fma(k0, c1);
            c2 = FloatVector.broadcast(S, in[i2 + j]).fma(k0, c2);
            c3 = FloatVector.broadcast(S, in[i3 + j]).fma(k0, c3);
        }
        c0.intoArray(acc, a0);
        c1.intoArray(acc, a1);
        c2.intoArray(acc, a2);
        c3.intoArray(acc, a3);
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

    /** The convolution sum (no bias) of tail filter {@code q} over the patch at input offset {@code base}. */
    private static float dotTail(float[] in, int base, int rowStride, int kh, int kwc, float[] k, int f, int q) {
        int tail = f % L;
        int head = f - tail;
        int column = kh * kwc * head + q - head;
        float s = 0f;
        for (int r = 0; r < kh; r++) {
            int ir = base + r * rowStride;
            int kr = column + r * kwc * tail;
            for (int j = 0; j < kwc; j++) {
                s += in[ir + j] * k[kr + j * tail];
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
        int kwc = kw * c;
        int rowStride = w * c;
        for (int v = 0, nv; v < vectors; v += nv) {
            nv = blockVectors(vectors - v);
            int f0 = v * L;
            int block = kh * kwc * f0;
            int span = nv * L;
            for (int py = 0; py < poh; py++) {
                for (int px = 0; px < pow; px++) {
                    int o = (py * pow + px) * f + f0;
                    int y0 = py * psh;
                    int x0 = px * psw;
                    for (int e = 0; e < window; e += 4) {
                        int i0 = windowOffset(e, y0, x0, pw, window, sh, sw, w, c);
                        int i1 = windowOffset(e + 1, y0, x0, pw, window, sh, sw, w, c);
                        int i2 = windowOffset(e + 2, y0, x0, pw, window, sh, sw, w, c);
                        int i3 = windowOffset(e + 3, y0, x0, pw, window, sh, sw, w, c);
                        Arrays.fill(scratch, 0, 4 * span, 0f);
                        for (int r = 0; r < kh; r++) {
                            int dr = r * rowStride;
                            row(nv, in, i0 + dr, i1 + dr, i2 + dr, i3 + dr, kwc, kernel, block + r * kwc * span,
                                    scratch, 0, span, 2 * span, 3 * span);
                        }
                        poolMax(scratch, span, out, o, nv, e == 0);
                    }
                    finishVectors(out, o, nv, bias, f0, relu);
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

    /** {@code out[o ..]} = max of the 4 pixels' sums in {@code acc} (and of itself unless {@code first}). */
    private static void poolMax(float[] acc, int span, float[] out, int o, int nv, boolean first) {
        for (int v = 0; v < nv; v++) {
            int a = v * L;
            FloatVector m = FloatVector.fromArray(S, acc, a).max(FloatVector.fromArray(S, acc, a + span))
                    .max(FloatVector.fromArray(S, acc, a + 2 * span).max(FloatVector.fromArray(S, acc, a + 3 * span)));
            if (!first) {
                m = m.max(FloatVector.fromArray(S, out, o + a));
            }
            m.intoArray(out, o + a);
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
        for (; v + DENSE_BLOCK <= vectors; v += DENSE_BLOCK) {
            dense8(in, n, kernel, n * v * L, out, v * L);
        }
        for (; v < vectors; v++) {
            dense1(in, n, kernel, n * v * L, out, v * L);
        }
        finishVectors(out, 0, vectors, bias, 0, relu);
        int head = vectors * L;
        int tail = units - head;
        for (int u = head; u < units; u++) {
            float s = 0f;
            for (int i = 0, ki = n * head + u - head; i < n; i++, ki += tail) {
                s += in[i] * kernel[ki];
            }
            s += bias == null ? 0f : bias[u];
            out[u] = relu ? Math.max(s, 0f) : s;
        }
    }

    /** Units {@code u0 .. u0 + 8L}: 8 accumulators, one broadcast input per row of the (repacked) kernel. */
    private static void dense8(float[] in, int n, float[] k, int kOff, float[] out, int u0) {
        FloatVector a0 = FloatVector.zero(S);
        FloatVector a1 = a0;
        FloatVector a2 = a0;
        FloatVector a3 = a0;
        FloatVector a4 = a0;
        FloatVector a5 = a0;
        FloatVector a6 = a0;
        FloatVector a7 = a0;
        for (int i = 0; i < n; i++) {
            int row = kOff + i * (DENSE_BLOCK * L);
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
    }

    /** Units {@code u0 .. u0 + L}: rows taken four at a time into four accumulators, summed at the end. */
    private static void dense1(float[] in, int n, float[] k, int kOff, float[] out, int u0) {
        FloatVector a0 = FloatVector.zero(S);
        FloatVector a1 = a0;
        FloatVector a2 = a0;
        FloatVector a3 = a0;
        int i = 0;
        for (; i + 3 < n; i += 4) {
            int row = kOff + i * L;
            a0 = FloatVector.broadcast(S, in[i]).fma(FloatVector.fromArray(S, k, row), a0);
            a1 = FloatVector.broadcast(S, in[i + 1]).fma(FloatVector.fromArray(S, k, row + L), a1);
            a2 = FloatVector.broadcast(S, in[i + 2]).fma(FloatVector.fromArray(S, k, row + 2 * L), a2);
            a3 = FloatVector.broadcast(S, in[i + 3]).fma(FloatVector.fromArray(S, k, row + 3 * L), a3);
        }
        for (; i < n; i++) {
            a0 = FloatVector.broadcast(S, in[i]).fma(FloatVector.fromArray(S, k, kOff + i * L), a0);
        }
        a0.add(a1).add(a2.add(a3)).intoArray(out, u0);
    }
}
