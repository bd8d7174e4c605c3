package dev.netforge.runtime;

/**
 * The plain-Java kernels: always available, and as fast as plain Java gets on C2 without the Vector
 * API. C2 (JDK 17) does not auto-vectorise these loops: {@code out[o + q] += x * k[t + q]} has
 * invariant offsets on two arrays of one type, which SuperWord cannot prove disjoint, so it emits
 * scalar {@code mulss}/{@code addss}. What remains is register blocking: 2 pixels x 4 filters (or 8
 * dense units) of scalar accumulators, so every load feeds several multiply-adds and the
 * floating-point pipes stay busy, with {@code Math.fma} where the CPU has an FMA instruction. Fused
 * with a max pool, pixels of one window go in pairs and are reduced by max at once, so only the
 * convolution outputs the pool reads are computed. The scratch array holds a table of
 * tap offsets for kernels with short rows.
 */
final class ScalarKernels extends Kernels {

    /**
     * The line printed on standard error at the first call, then null: why these kernels serve and
     * not the Vector API ones (see {@link KernelsLookup}), or null for none.
     */
    private String hint;

    ScalarKernels() {
    }

    /** Kernels that print {@code hint}, one line on standard error, at their first call. */
    ScalarKernels(String hint) {
        this.hint = hint;
    }

    /**
     * Prints the hint once (the first forward pass of the first model): a plain field read per call
     * before it, nothing after. Synchronized so that two threads' first calls print it once.
     */
    private synchronized void printHint() {
        String line = hint;
        if (line != null) {
            hint = null;
            System.err.println(line);
        }
    }

    @Override
    public String name() {
        return KernelsText.scalarName();
    }

    /**
     * Repacks the kernel in blocks of 4 filters ({@link PackedLayout#repack(float[], int, int, int)}):
     * the micro-kernel then reads its 4 filters of a tap at {@code base + 4 * tap}, a constant stride,
     * so C2 removes the bounds checks (with the stride {@code f} of HWIO it could not).
     */
    @Override
    public float[] prepareConv2d(float[] kernel, int kh, int kw, int c, int f) {
        checkLength(kernel, (long) kh * kw * c * f, KernelsText.CONV2D_KERNEL);
        return PackedLayout.repack(kernel, kh * kw * c, f, CONV_BLOCK);
    }

    /** Repacks the kernel in blocks of 8 units, as {@link #prepareConv2d} does and for the same reason. */
    @Override
    public float[] prepareDense(float[] kernel, int n, int units) {
        checkLength(kernel, (long) n * units, KernelsText.DENSE_KERNEL);
        return PackedLayout.repack(kernel, n, units, DENSE_BLOCK);
    }

    /** Filters per conv micro-kernel call, units per dense one: the width of their kernel blocks. */
    private static final int CONV_BLOCK = 4;
    /** Kernel rows shorter than this many taps go through {@link #pair4Flat}. */
    private static final int SHORT_ROW = 8;
    /**
     * Whether the CPU fuses multiply-add: then {@code Math.fma} is one instruction, and the
     * micro-kernels use it (measured on MnistNet: 600 against 675 us, half the floating-point
     * instructions); without one it is emulated, very slowly, so they multiply and add.
     */
    private static final boolean FMA = KernelsLookup.hasFastFma();
    private static final int DENSE_BLOCK = 8;

    /** @param what {@link KernelsText#CONV2D_KERNEL} or {@link KernelsText#DENSE_KERNEL} */
    static void checkLength(float[] kernel, long expected, int what) {
        if (kernel.length != expected) {
            throw KernelsText.wrongLength(what, kernel.length, expected);
        }
    }

    @Override
    public void conv2d(float[] in, int h, int w, int c, float[] kernel, int kh, int kw, int f, float[] bias,
            int sh, int sw, float[] out, int oh, int ow, float[] residual, boolean relu, float ceiling,
            float[] scratch) {
        if (hint != null) {
            printHint();
        }
        int pixels = oh * ow;
        if (flat(kh, kw * c, scratch)) {
            tapOffsets(kh, kw * c, w * c, scratch);
        }
        for (int p = 0; p < pixels; p += 2) {
            int p1 = Math.min(p + 1, pixels - 1);
            pair(in, offset(p, ow, sh, sw, w, c), offset(p1, ow, sh, sw, w, c), w * c, kh, kw * c, kernel, f, out,
                    p * f, p1 * f, STORE, scratch);
            finish(out, p * f, f, bias, residual, relu);
            if (p1 != p) {
                finish(out, p1 * f, f, bias, residual, relu);
            }
        }
        clampRelu(out, 0, oh * ow * f, relu, ceiling);
    }

    @Override
    public void conv2dMaxPool(float[] in, int h, int w, int c, float[] kernel, int kh, int kw, int f,
            float[] bias, int sh, int sw, int ph, int pw, int psh, int psw, float[] out, int poh, int pow,
            boolean relu, float[] scratch) {
        if (hint != null) {
            printHint();
        }
        int window = ph * pw;
        if (flat(kh, kw * c, scratch)) {
            tapOffsets(kh, kw * c, w * c, scratch);
        }
        for (int py = 0; py < poh; py++) {
            for (int px = 0; px < pow; px++) {
                int o = (py * pow + px) * f;
                for (int e = 0; e < window; e += 2) {
                    int e1 = Math.min(e + 1, window - 1); // an odd window repeats its last pixel: max ignores it
                    int i0 = ((py * psh + e / pw) * sh * w + (px * psw + e % pw) * sw) * c;
                    int i1 = ((py * psh + e1 / pw) * sh * w + (px * psw + e1 % pw) * sw) * c;
                    pair(in, i0, i1, w * c, kh, kw * c, kernel, f, out, o, o, e == 0 ? POOL_FIRST : POOL_MERGE,
                            scratch);
                }
                // max(a + b) == max(a) + b and relu(max) == max(relu): rounding is monotonic
                finish(out, o, f, bias, null, relu);
            }
        }
    }

    private static final int STORE = 0;
    private static final int POOL_FIRST = 1;
    private static final int POOL_MERGE = 2;

    /** Input offset of the patch of output pixel {@code p} (row-major over oh x ow). */
    private static int offset(int p, int ow, int sh, int sw, int w, int c) {
        int y = p / ow;
        int x = p - y * ow;
        return (y * sh * w + x * sw) * c;
    }

    /**
     * Two output pixels (patches at input offsets {@code i0}, {@code i1}), all filters, 4 at a time
     * in 8 scalar accumulators: each kernel value loaded serves both pixels, each input value 4
     * filters. (C2 on JDK 17 does not auto-vectorise a loop like {@code out[o + q] += x * k[t + q]}:
     * the invariant offsets defeat SuperWord's alias analysis, so register blocking is what plain
     * Java has.) Results as {@code mode} says: stored at {@code o0} and {@code o1}, or their max
     * stored (or merged by max) at {@code o0}.
     */
    private static void pair(float[] in, int i0, int i1, int rowStride, int kh, int kwc, float[] k, int f,
            float[] out, int o0, int o1, int mode, float[] scratch) {
        int taps = kh * kwc;
        int q = 0;
        if (flat(kh, kwc, scratch)) {
            for (; q + CONV_BLOCK <= f; q += CONV_BLOCK) {
                pair4Flat(in, i0, i1, scratch, taps, k, taps * q, q, out, o0, o1, mode);
            }
        }
        for (; q + CONV_BLOCK <= f; q += CONV_BLOCK) {
            pair4(in, i0, i1, rowStride, kh, kwc, k, taps * q, q, out, o0, o1, mode);
        }
        int tail = f - q;
        for (int j = 0; q < f; q++, j++) {
            pair1(in, i0, i1, rowStride, kh, kwc, k, taps * (f - tail) + j, tail, q, out, o0, o1, mode);
        }
    }

    /** Filters {@code q .. q + 4}, whose kernel block starts at {@code kb}: element (tap t, filter q + m) at {@code kb + 4 * t + m}. */
    private static void pair4(float[] in, int i0, int i1, int rowStride, int kh, int kwc, float[] k, int kb, int q,
            float[] out, int o0, int o1, int mode) {
        float a0 = 0f;
        float a1 = 0f;
        float a2 = 0f;
        float a3 = 0f;
        float b0 = 0f;
        float b1 = 0f;
        float b2 = 0f;
        float b3 = 0f;
        for (int r = 0; r < kh; r++) {
            int x0 = i0 + r * rowStride;
            int x1 = i1 + r * rowStride;
            int kr = kb + r * kwc * CONV_BLOCK;
            for (int j = 0; j < kwc; j++) {
                float u = in[x0 + j];
                float v = in[x1 + j];
                int kk = kr + CONV_BLOCK * j;
                float k0 = k[kk];
                float k1 = k[kk + 1];
                float k2 = k[kk + 2];
                float k3 = k[kk + 3];
                a0 = FMA ? Math.fma(u, k0, a0) : a0 + u * k0;
                a1 = FMA ? Math.fma(u, k1, a1) : a1 + u * k1;
                a2 = FMA ? Math.fma(u, k2, a2) : a2 + u * k2;
                a3 = FMA ? Math.fma(u, k3, a3) : a3 + u * k3;
                b0 = FMA ? Math.fma(v, k0, b0) : b0 + v * k0;
                b1 = FMA ? Math.fma(v, k1, b1) : b1 + v * k1;
                b2 = FMA ? Math.fma(v, k2, b2) : b2 + v * k2;
                b3 = FMA ? Math.fma(v, k3, b3) : b3 + v * k3;
            }
        }
        store4(out, o0, o1, q, mode, a0, a1, a2, a3, b0, b1, b2, b3);
    }

    /** Two pixels' sums for filters {@code q .. q + 4}, stored as {@code mode} says. */
    private static void store4(float[] out, int o0, int o1, int q, int mode, float a0, float a1, float a2, float a3,
            float b0, float b1, float b2, float b3) {
        if (mode == STORE) {
            out[o0 + q] = a0;
            out[o0 + q + 1] = a1;
            out[o0 + q + 2] = a2;
            out[o0 + q + 3] = a3;
            out[o1 + q] = b0;
            out[o1 + q + 1] = b1;
            out[o1 + q + 2] = b2;
            out[o1 + q + 3] = b3;
        } else {
            boolean first = mode == POOL_FIRST;
            out[o0 + q] = first ? Math.max(a0, b0) : Math.max(out[o0 + q], Math.max(a0, b0));
            out[o0 + q + 1] = first ? Math.max(a1, b1) : Math.max(out[o0 + q + 1], Math.max(a1, b1));
            out[o0 + q + 2] = first ? Math.max(a2, b2) : Math.max(out[o0 + q + 2], Math.max(a2, b2));
            out[o0 + q + 3] = first ? Math.max(a3, b3) : Math.max(out[o0 + q + 3], Math.max(a3, b3));
        }
    }

    /**
     * Whether kernel rows are short enough (a first layer on 1 to 3 channels) for one flat loop over
     * the taps ({@link #pair4Flat}): then kh inner loops are too short to pay their way.
     */
    private static boolean flat(int kh, int kwc, float[] scratch) {
        return kh > 1 && kwc < SHORT_ROW && kh * kwc <= scratch.length;
    }

    /** Writes the input offset of every tap, relative to its patch, to {@code scratch[0, taps)} as int bits. */
    private static void tapOffsets(int kh, int kwc, int rowStride, float[] scratch) {
        for (int t = 0, ij = 0, j = 0; t < kh * kwc; t++) {
            scratch[t] = Float.intBitsToFloat(ij);
            ij++;
            if (++j == kwc) {
                j = 0;
                ij += rowStride - kwc;
            }
        }
    }

    /** {@link #pair4} with the taps' input offsets (int bits) at {@code offsets[0, taps)} ({@link #tapOffsets}). */
    private static void pair4Flat(float[] in, int i0, int i1, float[] offsets, int taps, float[] k, int kb, int q,
            float[] out, int o0, int o1, int mode) {
        float a0 = 0f;
        float a1 = 0f;
        float a2 = 0f;
        float a3 = 0f;
        float b0 = 0f;
        float b1 = 0f;
        float b2 = 0f;
        float b3 = 0f;
        for (int t = 0; t < taps; t++) {
            int ij = Float.floatToRawIntBits(offsets[t]);
            float u = in[i0 + ij];
            float v = in[i1 + ij];
            int kk = kb + CONV_BLOCK * t;
            float k0 = k[kk];
            float k1 = k[kk + 1];
            float k2 = k[kk + 2];
            float k3 = k[kk + 3];
            a0 = FMA ? Math.fma(u, k0, a0) : a0 + u * k0;
            a1 = FMA ? Math.fma(u, k1, a1) : a1 + u * k1;
            a2 = FMA ? Math.fma(u, k2, a2) : a2 + u * k2;
            a3 = FMA ? Math.fma(u, k3, a3) : a3 + u * k3;
            b0 = FMA ? Math.fma(v, k0, b0) : b0 + v * k0;
            b1 = FMA ? Math.fma(v, k1, b1) : b1 + v * k1;
            b2 = FMA ? Math.fma(v, k2, b2) : b2 + v * k2;
            b3 = FMA ? Math.fma(v, k3, b3) : b3 + v * k3;
        }
        store4(out, o0, o1, q, mode, a0, a1, a2, a3, b0, b1, b2, b3);
    }

    /** Filter {@code q} of the tail block: its tap t at {@code k0 + t * stride}. */
    private static void pair1(float[] in, int i0, int i1, int rowStride, int kh, int kwc, float[] k, int k0,
            int stride, int q, float[] out, int o0, int o1, int mode) {
        float a = 0f;
        float b = 0f;
        for (int r = 0; r < kh; r++) {
            int x0 = i0 + r * rowStride;
            int x1 = i1 + r * rowStride;
            for (int j = 0, kk = k0 + r * kwc * stride; j < kwc; j++, kk += stride) {
                a += in[x0 + j] * k[kk];
                b += in[x1 + j] * k[kk];
            }
        }
        if (mode == STORE) {
            out[o0 + q] = a;
            out[o1 + q] = b;
        } else {
            float m = Math.max(a, b);
            out[o0 + q] = mode == POOL_FIRST ? m : Math.max(out[o0 + q], m);
        }
    }

    /**
     * Adds the bias (if any), then the residual (if any, {@code residual[o .. o + n)}), and applies ReLU
     * (if asked) to {@code a[o .. o + n)}.
     */
    private static void finish(float[] a, int o, int n, float[] bias, float[] residual, boolean relu) {
        if (bias != null) {
            for (int q = 0; q < n; q++) {
                a[o + q] += bias[q];
            }
        }
        if (residual != null) {
            for (int q = 0; q < n; q++) {
                a[o + q] += residual[o + q];
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
        if (hint != null) {
            printHint();
        }
        denseRow(in, 0, n, kernel, units, bias, out, 0, relu);
    }

    @Override
    public void denseBatch(float[] in, int n, int count, float[] kernel, int units, float[] bias, float[] out,
            boolean relu) {
        if (hint != null) {
            printHint();
        }
        for (int m = 0; m < count; m++) {
            denseRow(in, m * n, n, kernel, units, bias, out, m * units, relu);
        }
    }

    /** One row: {@code in[io .. io + n)} to {@code out[oo .. oo + units)}. */
    private static void denseRow(float[] in, int io, int n, float[] kernel, int units, float[] bias, float[] out,
            int oo, boolean relu) {
        int u = 0;
        for (; u + DENSE_BLOCK <= units; u += DENSE_BLOCK) {
            units8(in, io, n, kernel, n * u, oo + u, out);
        }
        int tail = units - u;
        for (int j = 0; u < units; u++, j++) {
            float s = 0f;
            for (int i = 0, k = n * (units - tail) + j; i < n; i++, k += tail) {
                s += in[io + i] * kernel[k];
            }
            out[oo + u] = s;
        }
        finish(out, oo, units, bias, null, relu);
    }

    /** Units {@code u .. u + 8}, whose kernel block starts at {@code kb}, in 8 scalar accumulators. */
    private static void units8(float[] in, int io, int n, float[] k, int kb, int u, float[] out) {
        float a0 = 0f;
        float a1 = 0f;
        float a2 = 0f;
        float a3 = 0f;
        float a4 = 0f;
        float a5 = 0f;
        float a6 = 0f;
        float a7 = 0f;
        for (int i = 0; i < n; i++) {
            float x = in[io + i];
            int kk = kb + DENSE_BLOCK * i;
            a0 = FMA ? Math.fma(x, k[kk], a0) : a0 + x * k[kk];
            a1 = FMA ? Math.fma(x, k[kk + 1], a1) : a1 + x * k[kk + 1];
            a2 = FMA ? Math.fma(x, k[kk + 2], a2) : a2 + x * k[kk + 2];
            a3 = FMA ? Math.fma(x, k[kk + 3], a3) : a3 + x * k[kk + 3];
            a4 = FMA ? Math.fma(x, k[kk + 4], a4) : a4 + x * k[kk + 4];
            a5 = FMA ? Math.fma(x, k[kk + 5], a5) : a5 + x * k[kk + 5];
            a6 = FMA ? Math.fma(x, k[kk + 6], a6) : a6 + x * k[kk + 6];
            a7 = FMA ? Math.fma(x, k[kk + 7], a7) : a7 + x * k[kk + 7];
        }
        out[u] = a0;
        out[u + 1] = a1;
        out[u + 2] = a2;
        out[u + 3] = a3;
        out[u + 4] = a4;
        out[u + 5] = a5;
        out[u + 6] = a6;
        out[u + 7] = a7;
    }

    @Override
    public void depthwiseConv2d(float[] in, int h, int w, int c, float[] kernel, int kh, int kw, int m, int dh,
            int dw, float[] bias, int sh, int sw, int padTop, int padLeft, float[] out, int oh, int ow, float floor,
            float ceiling) {
        if (hint != null) {
            printHint();
        }
        depthwise(in, h, w, c, kernel, kh, kw, m, dh, dw, bias, sh, sw, padTop, padLeft, out, oh, ow, floor, ceiling,
                0);
    }

    /**
     * {@link #depthwiseConv2d}, plain Java, from channel {@code from} on (the vector kernels pass the
     * channels past their last whole vector): 4 channels of a pixel at a time, each a chain of
     * multiply-adds over the taps inside the input, so that four independent chains keep the
     * floating-point pipes busy (one chain waits on each add). With a depth multiplier above 1, output
     * by output.
     */
    static void depthwise(float[] in, int h, int w, int c, float[] k, int kh, int kw, int m, int dh, int dw,
            float[] bias, int sh, int sw, int padTop, int padLeft, float[] out, int oh, int ow, float floor,
            float ceiling, int from) {
        int oc = c * m;
        for (int y = 0; y < oh; y++) {
            int r0 = y * sh - padTop;
            int iLo = firstTapInside(r0, dh);
            int iHi = lastTapInside(r0, dh, h, kh);
            for (int x = 0; x < ow; x++) {
                int c0 = x * sw - padLeft;
                int jLo = firstTapInside(c0, dw);
                int jHi = lastTapInside(c0, dw, w, kw);
                int o = (y * ow + x) * oc;
                int ch = from;
                if (m == 1) {
                    for (; ch + 4 <= c; ch += 4) {
                        float s0 = 0f;
                        float s1 = 0f;
                        float s2 = 0f;
                        float s3 = 0f;
                        for (int i = iLo; i < iHi; i++) {
                            int a = ((r0 + i * dh) * w + c0 + jLo * dw) * c + ch;
                            for (int j = jLo, t = (i * kw + jLo) * c + ch; j < jHi; j++, a += dw * c, t += c) {
                                s0 = FMA ? Math.fma(in[a], k[t], s0) : s0 + in[a] * k[t];
                                s1 = FMA ? Math.fma(in[a + 1], k[t + 1], s1) : s1 + in[a + 1] * k[t + 1];
                                s2 = FMA ? Math.fma(in[a + 2], k[t + 2], s2) : s2 + in[a + 2] * k[t + 2];
                                s3 = FMA ? Math.fma(in[a + 3], k[t + 3], s3) : s3 + in[a + 3] * k[t + 3];
                            }
                        }
                        out[o + ch] = clamp(s0 + (bias == null ? 0f : bias[ch]), floor, ceiling);
                        out[o + ch + 1] = clamp(s1 + (bias == null ? 0f : bias[ch + 1]), floor, ceiling);
                        out[o + ch + 2] = clamp(s2 + (bias == null ? 0f : bias[ch + 2]), floor, ceiling);
                        out[o + ch + 3] = clamp(s3 + (bias == null ? 0f : bias[ch + 3]), floor, ceiling);
                    }
                }
                for (; ch < c; ch++) {
                    for (int q = 0; q < m; q++) {
                        int u = ch * m + q;
                        float s = 0f;
                        for (int i = iLo; i < iHi; i++) {
                            int a = ((r0 + i * dh) * w + c0 + jLo * dw) * c + ch;
                            for (int j = jLo, t = (i * kw + jLo) * oc + u; j < jHi; j++, a += dw * c, t += oc) {
                                s = FMA ? Math.fma(in[a], k[t], s) : s + in[a] * k[t];
                            }
                        }
                        out[o + u] = clamp(s + (bias == null ? 0f : bias[u]), floor, ceiling);
                    }
                }
            }
        }
    }

    /** The first tap {@code i} (of taps {@code d} apart from {@code start}) at an index {@code >= 0}. */
    static int firstTapInside(int start, int d) {
        return start >= 0 ? 0 : (-start + d - 1) / d;
    }

    /** One past the last tap {@code i < taps} (of taps {@code d} apart from {@code start}) at an index below {@code size}. */
    static int lastTapInside(int start, int d, int size, int taps) {
        return start >= size ? 0 : Math.min(taps, (size - 1 - start) / d + 1);
    }

    /**
     * ReLU's ceiling, over {@code out[from, to)} that has been through ReLU already: {@code Math.min(x,
     * ceiling)} (a NaN stays NaN); nothing for ReLU itself ({@code ceiling} infinite) or without ReLU.
     * The vector kernels' too (plain Java: no vector crosses the call).
     */
    static void clampRelu(float[] out, int from, int to, boolean relu, float ceiling) {
        if (!relu || ceiling == Float.POSITIVE_INFINITY) {
            return;
        }
        for (int i = from; i < to; i++) {
            out[i] = Math.min(out[i], ceiling);
        }
    }

    /** {@code Math.min(Math.max(x, floor), ceiling)}: an activation that is a clamp; NaN stays NaN. */
    static float clamp(float x, float floor, float ceiling) {
        return Math.min(Math.max(x, floor), ceiling);
    }
}
