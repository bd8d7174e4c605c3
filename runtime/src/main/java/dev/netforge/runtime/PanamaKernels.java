package dev.netforge.runtime;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The kernels on the incubating Vector API. Loaded only by name from {@link KernelsLookup}, and only
 * when {@code jdk.incubator.vector} is in the boot layer.
 *
 * <p>Convolution is register-blocked: the micro-kernel ({@link #quad2}) holds 8 accumulators, 4
 * output pixels x 2 filter vectors, and walks all the taps of the kh x kw x c patch in one loop,
 * loading each kernel vector once for the 4 pixels and broadcasting each input value once for the 2
 * vectors. Eight accumulators cover the FMA latency (4 cycles, 2 per cycle on current x86) and
 * leave C2 enough of the 16 AVX2 registers not to spill (12 did spill: C2 hoists all the loads of
 * an iteration first). 4 x 2 beat 2 x 4 as well: each kernel byte serves 4 pixels, which halves the
 * kernel traffic from L2. Filters are cut into blocks of 2 vectors (the odd one: {@link #quad1});
 * {@link #prepareConv2d} repacks the kernel block by block ({@code [tap][2L]}), so the micro-kernel
 * reads it sequentially at a constant power-of-two stride and C2 drops its bounds checks. The 4
 * patches are copied contiguous into the scratch array ({@link #pack}) for the same reason: the tap
 * loop then has no jump between kernel rows and no bounds checks. Filters past the last whole vector
 * are one more vector, padded with zero weights, whose real lanes are stored ({@link #convTailVector}).
 *
 * <p>3-row kernels (3x3, the common case) whose filters fill one vector, or at row stride 1 with an
 * even number of vectors and 512-bit vectors (32 registers), read the input straight, without the patch
 * copy, two output rows at a time ({@link #rows8}, {@link #tall2}): each input row loaded serves both
 * output rows where their windows overlap, so fewer loads feed each FMA. On a 512-bit AVX-512 CPU that
 * took a CIFAR ResNet's 16-filter layers from 67 to 22 us and its 32-filter ones from ~23 to ~22 us
 * (~80% of what a register-only FMA loop reaches there), the whole model from 1.74x to 1.06x ONNX
 * Runtime's time (same JVM, call after call; benchmarks' {@code QuickTimer resnet}).
 * Residual variant: {@link #storePixel} adds the residual as it stores (and {@link #convTailVector}
 * for the filters past the last vector).
 *
 * <p>Output pixels go by groups of 4: 4 consecutive outputs for {@link #conv2d}, the (up to) 4
 * outputs of a pool window for {@link #conv2dMaxPool}, reduced by max, so only the convolution
 * outputs the pool reads are computed. A short group repeats its last pixel. Small patches (a first
 * layer on 1 to 3 channels) take {@link #poolSmall}, which avoids the per-window costs.
 *
 * <p>Rules that keep C2 from falling back to allocating vector objects (checked with JMH
 * {@code -prof gc}: 0 B/op), each learnt from a measured allocation of megabytes per call on JDK 17:
 * no {@code FloatVector} crosses a method call (a helper compiled on its own boxes its arguments,
 * and its compiled size then keeps it from being inlined); accumulators live in a single loop, not
 * a loop nest (JDK 17 boxes vectors carried through nested loop phis); and a vector loop sits in a
 * small method called often, not inside long-running loops (its on-stack-replacement compilation
 * can keep vectors boxed); and a method is called on a vector that comes out of a loop or a branch
 * only through {@link #EXACT} (see there). Micro-kernels take few arguments: every value live across
 * the tap loop competes with the accumulators for registers (passing 4 output offsets and a mode cost
 * 20%).
 */
final class PanamaKernels extends Kernels {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /**
     * The exact class of {@link #S}'s vectors, for {@code EXACT.cast(v).intoArray(..)} where {@code v}
     * comes out of a loop or a branch. C2 types such a value (a phi) as the bytecode declares it,
     * {@code FloatVector}; a method called on it is then a virtual call unless the JVM's type profile of
     * that Vector API method names one class, and the vector is boxed for it. A program that uses other
     * species too fills those profiles (measured: 0.1-1.1 MB a call on every sample model, and now and then
     * 4,608 bytes a call without any, when the kernels' own first calls left a profile empty); a cast to
     * the exact class costs nothing once compiled and needs no profile. Such a vector passed as an
     * argument to a method of another vector is cast too, as a precaution: the Vector API checks an
     * argument's class itself, and no run here has shown that check falling short. (Vectors of another
     * species in the same compiled code did box at 256 bits, casts or not: the kernels use one species.)
     * ({@code FirstCallsAllocationTest}'s polluted-profiles runs.)
     */
    @SuppressWarnings("unchecked")
    private static final Class<FloatVector> EXACT = (Class<FloatVector>) S.vectorType();
    /** 512-bit vectors: the CPU has 32 vector registers (AVX-512), room for {@link #rows3Tall2}'s 16 live vectors. */
    private static final boolean WIDE = L >= 16;
    /** A bias of zeros for kernels called without one: {@link #depthwise8}. */
    /** A vector of zeros: the bias when there is none, a depthwise layer's left padding column. */
    private static final float[] ZEROS = new float[L];
    /** A 1x1 kernel of more weights than this ({@code c * f}) is read block by block: see {@link #pointwise}. */
    static final int POINTWISE_WEIGHTS_BY_BLOCK = 64 * 1024;
    /** Dense micro-kernel width, in vectors. */
    private static final int DENSE_BLOCK = PackedLayout.DENSE_BLOCK;

    /**
     * Scratch layout: the micro-kernel's 4 x 2 vectors of sums at {@code [0, 8L)}, the packed patches
     * from {@code PATCHES} on ({@link Kernels#convScratch} reserves 128 floats, enough up to L = 16). The
     * 4-row kernels of 512-bit CPUs ({@link #rows3Tall4x3}, {@link #rows3Tall4x2}) read straight from
     * the input, copy no patches, and leave their 12 or 16 vectors of sums over both areas.
     */
    private static final int PATCHES = 128;
    /** Packed patches of up to this many taps are placed this far apart (see {@link #patchStride}). */
    private static final int PATCH_STRIDE = 1024;
    /** Single-block layers with kernel rows of at least this many taps take {@link #rowsQuad2}. */
    private static final int ROW_TAPS = 8;
    /** Patches up to this many taps take {@link #poolSmall}. */
    private static final int SMALL_TAPS = 32;

    /** Pool epilogues: store the max over the 4 pixels; merge that max into the output. */
    private static final int POOL_FIRST = 1;
    private static final int POOL_MERGE = 2;

    PanamaKernels() {
        KernelsLookup.checkSupported(L); // up to 16 lanes: 8 * L fits the PATCHES floats of sums
    }

    @Override
    int packingLanes() {
        return L;
    }

    @Override
    public String name() {
        return KernelsText.vectorName(S.vectorBitSize(), false);
    }

    /**
     * Repacks HWIO into filter blocks: the block of {@code nv} vectors starting at filter {@code f0}
     * starts at {@code taps * f0} and holds element (tap t, lane) at {@code taps * f0 + t * nv * L + lane};
     * then the tail filters ({@code f % L} of them), element (t, q) at
     * {@code taps * (f - tail) + t * tail + q}.
     */
    @Override
    public float[] prepareConv2d(float[] kernel, int kh, int kw, int c, int f) {
        ScalarKernels.checkLength(kernel, (long) kh * kw * c * f, KernelsText.CONV2D_KERNEL);
        return PackedLayout.repack(kernel, kh * kw * c, f, L, false);
    }

    /** As {@link #prepareConv2d}, with rows for taps and blocks of {@value #DENSE_BLOCK} vectors, then single vectors. */
    @Override
    public float[] prepareDense(float[] kernel, int n, int units) {
        ScalarKernels.checkLength(kernel, (long) n * units, KernelsText.DENSE_KERNEL);
        return PackedLayout.repack(kernel, n, units, L, true);
    }

    // ------------------------------------------------------------------------------------ conv2d

    @Override
    public void conv2d(float[] in, int h, int w, int c, float[] kernel, int kh, int kw, int f, float[] bias,
            int sh, int sw, float[] out, int oh, int ow, float[] residual, boolean relu, float ceiling,
            float[] scratch) {
        int pixels = oh * ow;
        if (WIDE && kh == 1 && kw == 1 && sh == 1 && sw == 1 && pixels >= 8) {
            pointwise(in, c, kernel, f, bias, out, pixels, residual, relu, ceiling, scratch); // clamps as it goes
            return;
        }
        if (WIDE && c == 3 && kh == 3 && kw == 3 && sh == 2 && sw == 2 && f % (2 * L) == 0 && residual == null
                && oh >= 2 && ow >= 4) {
            stem(in, w, kernel, f, bias, out, oh, ow, relu, ceiling); // clamps as it goes
            return;
        }
        if (!WIDE && kh == 1 && kw == 1 && sh == 1 && sw == 1 && pixels >= 6 && f >= 2 * L) {
            pointwiseNarrow(in, c, kernel, f, bias, out, pixels, residual, relu, scratch);
            convTailVector(in, w, c, kernel, kh, kw, f, bias, sh, sw, out, oh, ow, residual, relu, scratch);
        } else {
            conv2dTiles(in, w, c, kernel, kh, kw, f, bias, sh, sw, out, oh, ow, residual, relu, scratch);
        }
        ScalarKernels.clampRelu(out, 0, pixels * f, relu, ceiling); // ReLU6 and the like
    }

    /**
     * A 3x3 convolution at stride 2 on 3 channels with whole pairs of filter vectors (an RGB stem: 32
     * filters at 512 bits), 2 output rows x 4 pixels at a time by {@link #stemRows2x4}; the last pair of
     * rows or group of pixels of a count not a multiple starts earlier and stores some outputs again.
     * Measured, same JVM, 512-bit, MobileNetV2's 225x225x3 -> 112x112x32 with ReLU6 alone: 165 -> 118 us
     * (48% -> 66% of the FMA peak; 214 -> 127 us after flushing the caches), against the 4 pixels x 2
     * vectors of {@link #small2Store} and a clamping pass; MobileNetV2's forward alone 3,460-3,530 ->
     * 3,290-3,390 us.
     */
    private static void stem(float[] in, int w, float[] k, int f, float[] bias, float[] out, int oh, int ow,
            boolean relu, float ceiling) {
        int rs = w * 3;
        for (int y = 0; y < oh; y += 2) {
            int y0 = Math.min(y, oh - 2);
            for (int x = 0; x < ow; x += 4) {
                int x0 = Math.min(x, ow - 4);
                int i0 = (2 * y0 * w + 2 * x0) * 3;
                int o = (y0 * ow + x0) * f;
                for (int f0 = 0; f0 < f; f0 += 2 * L) {
                    stemRows2x4(in, i0, rs, k, 27 * f0, out, o + f0, ow * f, f, bias, f0, relu, ceiling);
                }
            }
        }
    }

    /** {@link #conv2d} but for the ReLU's ceiling and the 1x1 convolutions of {@link #pointwise}. */
    private static void conv2dTiles(float[] in, int w, int c, float[] kernel, int kh, int kw, int f, float[] bias,
            int sh, int sw, float[] out, int oh, int ow, float[] residual, boolean relu, float[] scratch) {
        int pixels = oh * ow;
        int vectors = f / L;
        int taps = kh * kw * c;
        if (vectors == 1 && kh == 3 && ow >= 8) {
            rows8(in, w, c, kernel, kw * c, f, bias, sh, sw, out, oh, ow, residual, relu, scratch);
            convTailVector(in, w, c, kernel, kh, kw, f, bias, sh, sw, out, oh, ow, residual, relu, scratch);
            return;
        }
        if (WIDE && vectors % 2 == 0 && kh == 3 && (sh == 1 && oh >= 2 || sh == 2 && oh >= 4) && ow >= 2
                && taps > SMALL_TAPS) {
            tall2(in, w, c, kernel, kw * c, f, vectors, bias, sh, sw, out, oh, ow, residual, relu, scratch);
            convTailVector(in, w, c, kernel, kh, kw, f, bias, sh, sw, out, oh, ow, residual, relu, scratch);
            return;
        }
        boolean small = kh > 1 && taps <= SMALL_TAPS && vectors % 2 == 0;
        boolean byRows = !small && byRows(kh, kw * c, vectors);
        boolean packs = kh > 1 && !byRows && !small;
        if (small) {
            tapOffsets(taps, kw * c, w * c, scratch);
        }
        // the group's first pixel (y, x), stepped without divisions: with few taps per output a division
        // per pixel costs as much as its multiply-adds
        for (int p = 0, y = 0, x = 0; p < pixels; p += 4) {
            int p1 = Math.min(p + 1, pixels - 1);
            int p2 = Math.min(p + 2, pixels - 1);
            int p3 = Math.min(p + 3, pixels - 1);
            int i0 = (y * sh * w + x * sw) * c;
            if (++x == ow) {
                x = 0;
                y++;
            }
            int i1 = p1 == p ? i0 : (y * sh * w + x * sw) * c;
            if (++x == ow) {
                x = 0;
                y++;
            }
            int i2 = p2 == p1 ? i1 : (y * sh * w + x * sw) * c;
            if (++x == ow) {
                x = 0;
                y++;
            }
            int i3 = p3 == p2 ? i2 : (y * sh * w + x * sw) * c;
            if (++x == ow) {
                x = 0;
                y++;
            }
            if (packs) {
                pack(in, i0, i1, i2, i3, kh, kw * c, w * c, scratch);
            }
            float[] a = packs ? scratch : in;
            int a0 = packs ? PATCHES : i0;
            int a1 = packs ? PATCHES + patchStride(taps) : i1;
            int a2 = packs ? PATCHES + 2 * patchStride(taps) : i2;
            int a3 = packs ? PATCHES + 3 * patchStride(taps) : i3;
            for (int v = 0, nv; v < vectors; v += nv) {
                nv = small || byRows ? 2 : PackedLayout.convBlockVectors(vectors - v);
                int f0 = v * L;
                if (small) { // stores its pixels itself
                    small2Store(in, i0, i1, i2, i3, taps, scratch, kernel, taps * f0, out, p * f + f0,
                            (pixels - 1) * f + f0, f, bias, f0, residual, relu);
                    continue;
                }
                if (byRows) {
                    rowsQuad2(in, i0, i1, i2, i3, kh, kw * c, w * c, kernel, taps * f0, scratch);
                } else {
                    compute(nv, a, a0, a1, a2, a3, taps, kernel, taps * f0, scratch);
                }
                for (int q = 0; q < 4; q++) { // pixels p .. p + 3, a short group repeating its last
                    storePixel(nv * L, scratch, q * nv * L, out, Math.min(p + q, pixels - 1) * f + f0, bias, f0,
                            residual, relu);
                }
            }
        }
        convTailVector(in, w, c, kernel, kh, kw, f, bias, sh, sw, out, oh, ow, residual, relu, scratch);
    }

    /**
     * A 1x1 convolution at stride 1 (a pointwise one: MobileNets' expansions and projections, ResNets'
     * bottlenecks) on 32 vector registers, 8 output pixels at a time (pixels are contiguous in the input
     * and the output; a last short group starts at {@code pixels - 8} and stores some pixels again):
     * filter vectors 4 at a time by {@link #pointwise4x4}, 4 pixels each; then the 2 or 1 vectors left,
     * with the padded vector of the filters past them if any, by {@link #pointwise8x2},
     * {@link #pointwise8x2Tail} and {@link #pointwise8x1}. Measured, same JVM, 512-bit, MobileNetV2's 1x1
     * layers alone: 56x56x144 -> 24 (one vector and 8 filters past it) 311 -> 158 us, 112x112x32 -> 16
     * 158 -> 83 us, 56x56x24 -> 144 166 -> 145 us; the generic path ran them 4 pixels x 1 or 2 vectors
     * through a scratch array.
     */
    private static void pointwise(float[] in, int c, float[] k, int f, float[] bias, float[] out, int pixels,
            float[] residual, boolean relu, float ceiling, float[] scratch) {
        int vectors = f / L;
        int tail = f % L;
        int v = 0;
        if ((long) c * f > POINTWISE_WEIGHTS_BY_BLOCK) {
            // weights larger than the L2 keeps beside the activations (MobileNetV2's 7x7 layers: 0.6-1.6 MB for
            // 49 pixels): each block of 4 filter vectors over all the pixels, 4 at a time, so the weights are
            // read from L3 once instead of once per group of 8 pixels (49 x 320 -> 1280 alone: 237 -> 202 us)
            for (; vectors - v >= 4; v += 4) {
                int f0 = v * L;
                for (int g = 0; g < pixels; g += 4) { // the last 4 may overlap: 52 pixels computed for 49
                    pointwise4x4At(in, c, k, f, bias, out, Math.min(g, pixels - 4), f0, residual, relu);
                }
            }
        }
        int blocked = v;
        for (int g = 0; g < pixels; g += 8) {
            int p = Math.min(g, pixels - 8);
            for (v = blocked; vectors - v >= 4; v += 4) { // two blocks of 2 vectors
                int f0 = v * L;
                pointwise4x4At(in, c, k, f, bias, out, p, f0, residual, relu);
                pointwise4x4At(in, c, k, f, bias, out, p + 4, f0, residual, relu);
            }
            int f0 = v * L;
            if (vectors - v >= 2) { // a block of 2 vectors
                pointwise8x2(in, p * c, c, k, c * f0, c * f0 + L, out, p * f + f0, f, bias, f0, residual,
                        relu);
                v += 2;
                f0 += 2 * L;
            }
            if (vectors - v == 1 && tail > 0) { // a single vector, then the padded one past it
                pointwise8x2Tail(in, p * c, c, k, c * f0, c * (f0 + L), out, p * f + f0, f, bias, f0, tail,
                        residual, relu, scratch);
            } else if (vectors - v == 1 || tail > 0) {
                pointwise8x1(in, p * c, c, k, c * f0, out, p * f + f0, f, bias, f0, vectors - v == 1 ? L : tail,
                        residual, relu, scratch);
            }
            // the group's 8 pixels, all their filters, while in L1: inside the tiles, the clamp made
            // pointwise4x4 too big for C1 (out of virtual registers), which left it uncompiled; a clamped twin
            // of pointwise4x4 without the residual measured no faster (the other tiles' filters then took a
            // pass of their own per pixel: 112x112x16 -> 96 297 -> 352 us)
            ScalarKernels.clampRelu(out, p * f, (p + 8) * f, relu, ceiling);
        }
    }

    /** {@link #pointwise4x4} on the 4 contiguous pixels from {@code q} and the 4 filter vectors from {@code f0}. */
    private static void pointwise4x4At(float[] in, int c, float[] k, int f, float[] bias, float[] out, int q, int f0,
            float[] residual, boolean relu) {
        pointwise4x4(in, q * c, (q + 1) * c, (q + 2) * c, (q + 3) * c, c, k, c * f0, out, q * f + f0, (q + 1) * f + f0,
                (q + 2) * f + f0, (q + 3) * f + f0, bias, f0, residual, relu);
    }

    /**
     * 8 contiguous pixels x 2 filter vectors for {@link #pointwise}: the first from {@code kA}, the
     * second from {@code kB}, each {@code 2L} floats a tap; 16 accumulators. (With the tail's
     * partial store in the same method, C1 gave up on it, out of virtual registers, so it never got
     * the profile that sends a method to C2: {@link #pointwise8x2Tail}.)
     */
    private static void pointwise8x2(float[] in, int i0, int c, float[] k, int kA, int kB, float[] out,
            int o0, int f, float[] bias, int f0, float[] residual, boolean relu) {
        FloatVector c00 = FloatVector.zero(S);
        FloatVector c01 = c00;
        FloatVector c10 = c00;
        FloatVector c11 = c00;
        FloatVector c20 = c00;
        FloatVector c21 = c00;
        FloatVector c30 = c00;
        FloatVector c31 = c00;
        FloatVector c40 = c00;
        FloatVector c41 = c00;
        FloatVector c50 = c00;
        FloatVector c51 = c00;
        FloatVector c60 = c00;
        FloatVector c61 = c00;
        FloatVector c70 = c00;
        FloatVector c71 = c00;
        for (int t = 0; t < c; t++) {
            FloatVector k0 = FloatVector.fromArray(S, k, kA + t * (2 * L));
            FloatVector k1 = FloatVector.fromArray(S, k, kB + t * (2 * L));
            FloatVector x0 = FloatVector.broadcast(S, in[i0 + t]);
            c00 = x0.fma(k0, c00);
            c01 = x0.fma(k1, c01);
            FloatVector x1 = FloatVector.broadcast(S, in[i0 + 1 * c + t]);
            c10 = x1.fma(k0, c10);
            c11 = x1.fma(k1, c11);
            FloatVector x2 = FloatVector.broadcast(S, in[i0 + 2 * c + t]);
            c20 = x2.fma(k0, c20);
            c21 = x2.fma(k1, c21);
            FloatVector x3 = FloatVector.broadcast(S, in[i0 + 3 * c + t]);
            c30 = x3.fma(k0, c30);
            c31 = x3.fma(k1, c31);
            FloatVector x4 = FloatVector.broadcast(S, in[i0 + 4 * c + t]);
            c40 = x4.fma(k0, c40);
            c41 = x4.fma(k1, c41);
            FloatVector x5 = FloatVector.broadcast(S, in[i0 + 5 * c + t]);
            c50 = x5.fma(k0, c50);
            c51 = x5.fma(k1, c51);
            FloatVector x6 = FloatVector.broadcast(S, in[i0 + 6 * c + t]);
            c60 = x6.fma(k0, c60);
            c61 = x6.fma(k1, c61);
            FloatVector x7 = FloatVector.broadcast(S, in[i0 + 7 * c + t]);
            c70 = x7.fma(k0, c70);
            c71 = x7.fma(k1, c71);
        }
        if (bias != null) {
            FloatVector b0 = FloatVector.fromArray(S, bias, f0);
            FloatVector b1 = FloatVector.fromArray(S, bias, f0 + L);
            c00 = EXACT.cast(c00).add(b0);
            c01 = EXACT.cast(c01).add(b1);
            c10 = EXACT.cast(c10).add(b0);
            c11 = EXACT.cast(c11).add(b1);
            c20 = EXACT.cast(c20).add(b0);
            c21 = EXACT.cast(c21).add(b1);
            c30 = EXACT.cast(c30).add(b0);
            c31 = EXACT.cast(c31).add(b1);
            c40 = EXACT.cast(c40).add(b0);
            c41 = EXACT.cast(c41).add(b1);
            c50 = EXACT.cast(c50).add(b0);
            c51 = EXACT.cast(c51).add(b1);
            c60 = EXACT.cast(c60).add(b0);
            c61 = EXACT.cast(c61).add(b1);
            c70 = EXACT.cast(c70).add(b0);
            c71 = EXACT.cast(c71).add(b1);
        }
        if (residual != null) {
            c00 = EXACT.cast(c00).add(FloatVector.fromArray(S, residual, o0));
            c01 = EXACT.cast(c01).add(FloatVector.fromArray(S, residual, o0 + L));
            c10 = EXACT.cast(c10).add(FloatVector.fromArray(S, residual, o0 + 1 * f));
            c11 = EXACT.cast(c11).add(FloatVector.fromArray(S, residual, o0 + 1 * f + L));
            c20 = EXACT.cast(c20).add(FloatVector.fromArray(S, residual, o0 + 2 * f));
            c21 = EXACT.cast(c21).add(FloatVector.fromArray(S, residual, o0 + 2 * f + L));
            c30 = EXACT.cast(c30).add(FloatVector.fromArray(S, residual, o0 + 3 * f));
            c31 = EXACT.cast(c31).add(FloatVector.fromArray(S, residual, o0 + 3 * f + L));
            c40 = EXACT.cast(c40).add(FloatVector.fromArray(S, residual, o0 + 4 * f));
            c41 = EXACT.cast(c41).add(FloatVector.fromArray(S, residual, o0 + 4 * f + L));
            c50 = EXACT.cast(c50).add(FloatVector.fromArray(S, residual, o0 + 5 * f));
            c51 = EXACT.cast(c51).add(FloatVector.fromArray(S, residual, o0 + 5 * f + L));
            c60 = EXACT.cast(c60).add(FloatVector.fromArray(S, residual, o0 + 6 * f));
            c61 = EXACT.cast(c61).add(FloatVector.fromArray(S, residual, o0 + 6 * f + L));
            c70 = EXACT.cast(c70).add(FloatVector.fromArray(S, residual, o0 + 7 * f));
            c71 = EXACT.cast(c71).add(FloatVector.fromArray(S, residual, o0 + 7 * f + L));
        }
        if (relu) {
            c00 = EXACT.cast(c00).max(0f);
            c01 = EXACT.cast(c01).max(0f);
            c10 = EXACT.cast(c10).max(0f);
            c11 = EXACT.cast(c11).max(0f);
            c20 = EXACT.cast(c20).max(0f);
            c21 = EXACT.cast(c21).max(0f);
            c30 = EXACT.cast(c30).max(0f);
            c31 = EXACT.cast(c31).max(0f);
            c40 = EXACT.cast(c40).max(0f);
            c41 = EXACT.cast(c41).max(0f);
            c50 = EXACT.cast(c50).max(0f);
            c51 = EXACT.cast(c51).max(0f);
            c60 = EXACT.cast(c60).max(0f);
            c61 = EXACT.cast(c61).max(0f);
            c70 = EXACT.cast(c70).max(0f);
            c71 = EXACT.cast(c71).max(0f);
        }
        EXACT.cast(c00).intoArray(out, o0);
        EXACT.cast(c01).intoArray(out, o0 + L);
        EXACT.cast(c10).intoArray(out, o0 + 1 * f);
        EXACT.cast(c11).intoArray(out, o0 + 1 * f + L);
        EXACT.cast(c20).intoArray(out, o0 + 2 * f);
        EXACT.cast(c21).intoArray(out, o0 + 2 * f + L);
        EXACT.cast(c30).intoArray(out, o0 + 3 * f);
        EXACT.cast(c31).intoArray(out, o0 + 3 * f + L);
        EXACT.cast(c40).intoArray(out, o0 + 4 * f);
        EXACT.cast(c41).intoArray(out, o0 + 4 * f + L);
        EXACT.cast(c50).intoArray(out, o0 + 5 * f);
        EXACT.cast(c51).intoArray(out, o0 + 5 * f + L);
        EXACT.cast(c60).intoArray(out, o0 + 6 * f);
        EXACT.cast(c61).intoArray(out, o0 + 6 * f + L);
        EXACT.cast(c70).intoArray(out, o0 + 7 * f);
        EXACT.cast(c71).intoArray(out, o0 + 7 * f + L);
    }

    /**
     * {@link #pointwise8x2} whose second vector is the padded one of the filters past the last whole
     * vector: its first {@code lanes} lanes are real, stored through {@code scratch}, lane by lane.
     */
    private static void pointwise8x2Tail(float[] in, int i0, int c, float[] k, int kA, int kB, float[] out,
            int o0, int f, float[] bias, int f0, int lanes, float[] residual, boolean relu, float[] scratch) {
        FloatVector c00 = FloatVector.zero(S);
        FloatVector c01 = c00;
        FloatVector c10 = c00;
        FloatVector c11 = c00;
        FloatVector c20 = c00;
        FloatVector c21 = c00;
        FloatVector c30 = c00;
        FloatVector c31 = c00;
        FloatVector c40 = c00;
        FloatVector c41 = c00;
        FloatVector c50 = c00;
        FloatVector c51 = c00;
        FloatVector c60 = c00;
        FloatVector c61 = c00;
        FloatVector c70 = c00;
        FloatVector c71 = c00;
        for (int t = 0; t < c; t++) {
            FloatVector k0 = FloatVector.fromArray(S, k, kA + t * L);
            FloatVector k1 = FloatVector.fromArray(S, k, kB + t * L);
            FloatVector x0 = FloatVector.broadcast(S, in[i0 + t]);
            c00 = x0.fma(k0, c00);
            c01 = x0.fma(k1, c01);
            FloatVector x1 = FloatVector.broadcast(S, in[i0 + 1 * c + t]);
            c10 = x1.fma(k0, c10);
            c11 = x1.fma(k1, c11);
            FloatVector x2 = FloatVector.broadcast(S, in[i0 + 2 * c + t]);
            c20 = x2.fma(k0, c20);
            c21 = x2.fma(k1, c21);
            FloatVector x3 = FloatVector.broadcast(S, in[i0 + 3 * c + t]);
            c30 = x3.fma(k0, c30);
            c31 = x3.fma(k1, c31);
            FloatVector x4 = FloatVector.broadcast(S, in[i0 + 4 * c + t]);
            c40 = x4.fma(k0, c40);
            c41 = x4.fma(k1, c41);
            FloatVector x5 = FloatVector.broadcast(S, in[i0 + 5 * c + t]);
            c50 = x5.fma(k0, c50);
            c51 = x5.fma(k1, c51);
            FloatVector x6 = FloatVector.broadcast(S, in[i0 + 6 * c + t]);
            c60 = x6.fma(k0, c60);
            c61 = x6.fma(k1, c61);
            FloatVector x7 = FloatVector.broadcast(S, in[i0 + 7 * c + t]);
            c70 = x7.fma(k0, c70);
            c71 = x7.fma(k1, c71);
        }
        if (bias != null) {
            FloatVector b0 = FloatVector.fromArray(S, bias, f0);
            c00 = EXACT.cast(c00).add(b0);
            c10 = EXACT.cast(c10).add(b0);
            c20 = EXACT.cast(c20).add(b0);
            c30 = EXACT.cast(c30).add(b0);
            c40 = EXACT.cast(c40).add(b0);
            c50 = EXACT.cast(c50).add(b0);
            c60 = EXACT.cast(c60).add(b0);
            c70 = EXACT.cast(c70).add(b0);
        }
        if (residual != null) {
            c00 = EXACT.cast(c00).add(FloatVector.fromArray(S, residual, o0));
            c10 = EXACT.cast(c10).add(FloatVector.fromArray(S, residual, o0 + 1 * f));
            c20 = EXACT.cast(c20).add(FloatVector.fromArray(S, residual, o0 + 2 * f));
            c30 = EXACT.cast(c30).add(FloatVector.fromArray(S, residual, o0 + 3 * f));
            c40 = EXACT.cast(c40).add(FloatVector.fromArray(S, residual, o0 + 4 * f));
            c50 = EXACT.cast(c50).add(FloatVector.fromArray(S, residual, o0 + 5 * f));
            c60 = EXACT.cast(c60).add(FloatVector.fromArray(S, residual, o0 + 6 * f));
            c70 = EXACT.cast(c70).add(FloatVector.fromArray(S, residual, o0 + 7 * f));
        }
        if (relu) {
            c00 = EXACT.cast(c00).max(0f);
            c10 = EXACT.cast(c10).max(0f);
            c20 = EXACT.cast(c20).max(0f);
            c30 = EXACT.cast(c30).max(0f);
            c40 = EXACT.cast(c40).max(0f);
            c50 = EXACT.cast(c50).max(0f);
            c60 = EXACT.cast(c60).max(0f);
            c70 = EXACT.cast(c70).max(0f);
        }
        EXACT.cast(c00).intoArray(out, o0);
        EXACT.cast(c10).intoArray(out, o0 + 1 * f);
        EXACT.cast(c20).intoArray(out, o0 + 2 * f);
        EXACT.cast(c30).intoArray(out, o0 + 3 * f);
        EXACT.cast(c40).intoArray(out, o0 + 4 * f);
        EXACT.cast(c50).intoArray(out, o0 + 5 * f);
        EXACT.cast(c60).intoArray(out, o0 + 6 * f);
        EXACT.cast(c70).intoArray(out, o0 + 7 * f);
        EXACT.cast(c01).intoArray(scratch, 0 * L);
        EXACT.cast(c11).intoArray(scratch, 1 * L);
        EXACT.cast(c21).intoArray(scratch, 2 * L);
        EXACT.cast(c31).intoArray(scratch, 3 * L);
        EXACT.cast(c41).intoArray(scratch, 4 * L);
        EXACT.cast(c51).intoArray(scratch, 5 * L);
        EXACT.cast(c61).intoArray(scratch, 6 * L);
        EXACT.cast(c71).intoArray(scratch, 7 * L);
        for (int q = 0; q < 8; q++) {
            int o = o0 + q * f + L;
            for (int j = 0; j < lanes; j++) {
                float x = scratch[q * L + j] + (bias == null ? 0f : bias[f0 + L + j]);
                if (residual != null) {
                    x += residual[o + j];
                }
                out[o + j] = relu ? Math.max(x, 0f) : x;
            }
        }
    }

    /**
     * 8 contiguous pixels x 1 filter vector (from {@code kA}, {@code L} floats a tap) for
     * {@link #pointwise}; its first {@code lanes} lanes real, as in {@link #pointwise8x2}.
     */
    private static void pointwise8x1(float[] in, int i0, int c, float[] k, int kA, float[] out, int o0, int f,
            float[] bias, int f0, int lanes, float[] residual, boolean relu, float[] scratch) {
        FloatVector c00 = FloatVector.zero(S);
        FloatVector c10 = c00;
        FloatVector c20 = c00;
        FloatVector c30 = c00;
        FloatVector c40 = c00;
        FloatVector c50 = c00;
        FloatVector c60 = c00;
        FloatVector c70 = c00;
        for (int t = 0, ka = kA; t < c; t++, ka += L) {
            FloatVector k0 = FloatVector.fromArray(S, k, ka);
            FloatVector x0 = FloatVector.broadcast(S, in[i0 + t]);
            c00 = x0.fma(k0, c00);
            FloatVector x1 = FloatVector.broadcast(S, in[i0 + 1 * c + t]);
            c10 = x1.fma(k0, c10);
            FloatVector x2 = FloatVector.broadcast(S, in[i0 + 2 * c + t]);
            c20 = x2.fma(k0, c20);
            FloatVector x3 = FloatVector.broadcast(S, in[i0 + 3 * c + t]);
            c30 = x3.fma(k0, c30);
            FloatVector x4 = FloatVector.broadcast(S, in[i0 + 4 * c + t]);
            c40 = x4.fma(k0, c40);
            FloatVector x5 = FloatVector.broadcast(S, in[i0 + 5 * c + t]);
            c50 = x5.fma(k0, c50);
            FloatVector x6 = FloatVector.broadcast(S, in[i0 + 6 * c + t]);
            c60 = x6.fma(k0, c60);
            FloatVector x7 = FloatVector.broadcast(S, in[i0 + 7 * c + t]);
            c70 = x7.fma(k0, c70);
        }
        if (lanes == L) {
            if (bias != null) {
                FloatVector b0 = FloatVector.fromArray(S, bias, f0);
                c00 = EXACT.cast(c00).add(b0);
                c10 = EXACT.cast(c10).add(b0);
                c20 = EXACT.cast(c20).add(b0);
                c30 = EXACT.cast(c30).add(b0);
                c40 = EXACT.cast(c40).add(b0);
                c50 = EXACT.cast(c50).add(b0);
                c60 = EXACT.cast(c60).add(b0);
                c70 = EXACT.cast(c70).add(b0);
            }
            if (residual != null) {
                c00 = EXACT.cast(c00).add(FloatVector.fromArray(S, residual, o0));
                c10 = EXACT.cast(c10).add(FloatVector.fromArray(S, residual, o0 + 1 * f));
                c20 = EXACT.cast(c20).add(FloatVector.fromArray(S, residual, o0 + 2 * f));
                c30 = EXACT.cast(c30).add(FloatVector.fromArray(S, residual, o0 + 3 * f));
                c40 = EXACT.cast(c40).add(FloatVector.fromArray(S, residual, o0 + 4 * f));
                c50 = EXACT.cast(c50).add(FloatVector.fromArray(S, residual, o0 + 5 * f));
                c60 = EXACT.cast(c60).add(FloatVector.fromArray(S, residual, o0 + 6 * f));
                c70 = EXACT.cast(c70).add(FloatVector.fromArray(S, residual, o0 + 7 * f));
            }
            if (relu) {
                c00 = EXACT.cast(c00).max(0f);
                c10 = EXACT.cast(c10).max(0f);
                c20 = EXACT.cast(c20).max(0f);
                c30 = EXACT.cast(c30).max(0f);
                c40 = EXACT.cast(c40).max(0f);
                c50 = EXACT.cast(c50).max(0f);
                c60 = EXACT.cast(c60).max(0f);
                c70 = EXACT.cast(c70).max(0f);
            }
            EXACT.cast(c00).intoArray(out, o0);
            EXACT.cast(c10).intoArray(out, o0 + 1 * f);
            EXACT.cast(c20).intoArray(out, o0 + 2 * f);
            EXACT.cast(c30).intoArray(out, o0 + 3 * f);
            EXACT.cast(c40).intoArray(out, o0 + 4 * f);
            EXACT.cast(c50).intoArray(out, o0 + 5 * f);
            EXACT.cast(c60).intoArray(out, o0 + 6 * f);
            EXACT.cast(c70).intoArray(out, o0 + 7 * f);
            return;
        }
        EXACT.cast(c00).intoArray(scratch, 0 * L);
        EXACT.cast(c10).intoArray(scratch, 1 * L);
        EXACT.cast(c20).intoArray(scratch, 2 * L);
        EXACT.cast(c30).intoArray(scratch, 3 * L);
        EXACT.cast(c40).intoArray(scratch, 4 * L);
        EXACT.cast(c50).intoArray(scratch, 5 * L);
        EXACT.cast(c60).intoArray(scratch, 6 * L);
        EXACT.cast(c70).intoArray(scratch, 7 * L);
        for (int q = 0; q < 8; q++) {
            int o = o0 + q * f;
            for (int j = 0; j < lanes; j++) {
                float x = scratch[q * L + j] + (bias == null ? 0f : bias[f0 + j]);
                if (residual != null) {
                    x += residual[o + j];
                }
                out[o + j] = relu ? Math.max(x, 0f) : x;
            }
        }
    }

    /**
     * {@link #pointwise} for 16 vector registers (256-bit AVX2): 6 contiguous pixels x 2 filter vectors
     * ({@link #pointwise6x2}, 12 accumulators: the 8 of {@link #quad2} left the two FMA units waiting on
     * their latency, and its sums made a round trip through the scratch array), then a last single
     * vector ({@link #pointwise6x1}); the filters past the last vector are the caller's. A last short
     * group starts at {@code pixels - 6} and stores some pixels again. Measured, same JVM, 256-bit,
     * MobileNetV2's 34 1x1 layers alone: 7.47 -> 4.66 ms (14x14x96 -> 576 40 -> 62 G multiply-adds/s,
     * about the 256-bit FMA peak; 112x112x16 -> 96 25 -> 41 G/s).
     */
    private static void pointwiseNarrow(float[] in, int c, float[] k, int f, float[] bias, float[] out, int pixels,
            float[] residual, boolean relu, float[] scratch) {
        int vectors = f / L;
        if ((long) c * f > POINTWISE_WEIGHTS_BY_BLOCK) { // as pointwise does: a block over all the pixels
            int v = 0;
            for (; vectors - v >= 2; v += 2) {
                int f0 = v * L;
                for (int g = 0; g < pixels; g += 6) {
                    int p = Math.min(g, pixels - 6);
                    pointwise6x2(in, p * c, c, k, c * f0, out, p * f + f0, f, bias, f0, residual, relu);
                }
            }
            for (int g = 0; v < vectors && g < pixels; g += 6) {
                int p = Math.min(g, pixels - 6);
                pointwise6x1(in, p * c, c, k, c * v * L, out, p * f + v * L, f, bias, v * L, residual, relu);
            }
            return;
        }
        for (int g = 0; g < pixels; g += 6) {
            int p = Math.min(g, pixels - 6);
            int v = 0;
            for (; vectors - v >= 2; v += 2) { // a block of 2 vectors
                int f0 = v * L;
                pointwise6x2(in, p * c, c, k, c * f0, out, p * f + f0, f, bias, f0, residual, relu);
            }
            if (v < vectors) { // a single vector
                int f0 = v * L;
                pointwise6x1(in, p * c, c, k, c * f0, out, p * f + f0, f, bias, f0, residual, relu);
            }
        }
    }

    /** 6 contiguous pixels x the 2 filter vectors of the block at {@code kA} ({@code 2L} floats a tap), for {@link #pointwiseNarrow}. */
    private static void pointwise6x2(float[] in, int i0, int c, float[] k, int kA, float[] out, int o0, int f,
            float[] bias, int f0, float[] residual, boolean relu) {
        // the first tap's products start the sums (exactly fma(x, k, 0)): a zero vector to start them from stayed
        // live across the loop as a 16th register (most likely as the ReLU's zero after the loop too), and C2
        // then spilled it to the stack and back every tap in some JVMs: all 1x1 layers 25-60% slower there
        FloatVector k0 = FloatVector.fromArray(S, k, kA);
        FloatVector k1 = FloatVector.fromArray(S, k, kA + L);
        FloatVector x = FloatVector.broadcast(S, in[i0]);
        FloatVector c00 = x.mul(k0);
        FloatVector c01 = x.mul(k1);
        x = FloatVector.broadcast(S, in[i0 + 1 * c]);
        FloatVector c10 = x.mul(k0);
        FloatVector c11 = x.mul(k1);
        x = FloatVector.broadcast(S, in[i0 + 2 * c]);
        FloatVector c20 = x.mul(k0);
        FloatVector c21 = x.mul(k1);
        x = FloatVector.broadcast(S, in[i0 + 3 * c]);
        FloatVector c30 = x.mul(k0);
        FloatVector c31 = x.mul(k1);
        x = FloatVector.broadcast(S, in[i0 + 4 * c]);
        FloatVector c40 = x.mul(k0);
        FloatVector c41 = x.mul(k1);
        x = FloatVector.broadcast(S, in[i0 + 5 * c]);
        FloatVector c50 = x.mul(k0);
        FloatVector c51 = x.mul(k1);
        for (int t = 1, kt = kA + 2 * L; t < c; t++, kt += 2 * L) {
            k0 = FloatVector.fromArray(S, k, kt);
            k1 = FloatVector.fromArray(S, k, kt + L);
            FloatVector x0 = FloatVector.broadcast(S, in[i0 + t]);
            c00 = x0.fma(k0, c00);
            c01 = x0.fma(k1, c01);
            FloatVector x1 = FloatVector.broadcast(S, in[i0 + 1 * c + t]);
            c10 = x1.fma(k0, c10);
            c11 = x1.fma(k1, c11);
            FloatVector x2 = FloatVector.broadcast(S, in[i0 + 2 * c + t]);
            c20 = x2.fma(k0, c20);
            c21 = x2.fma(k1, c21);
            FloatVector x3 = FloatVector.broadcast(S, in[i0 + 3 * c + t]);
            c30 = x3.fma(k0, c30);
            c31 = x3.fma(k1, c31);
            FloatVector x4 = FloatVector.broadcast(S, in[i0 + 4 * c + t]);
            c40 = x4.fma(k0, c40);
            c41 = x4.fma(k1, c41);
            FloatVector x5 = FloatVector.broadcast(S, in[i0 + 5 * c + t]);
            c50 = x5.fma(k0, c50);
            c51 = x5.fma(k1, c51);
        }
        if (bias != null) {
            FloatVector b0 = FloatVector.fromArray(S, bias, f0);
            FloatVector b1 = FloatVector.fromArray(S, bias, f0 + L);
            c00 = EXACT.cast(c00).add(b0);
            c01 = EXACT.cast(c01).add(b1);
            c10 = EXACT.cast(c10).add(b0);
            c11 = EXACT.cast(c11).add(b1);
            c20 = EXACT.cast(c20).add(b0);
            c21 = EXACT.cast(c21).add(b1);
            c30 = EXACT.cast(c30).add(b0);
            c31 = EXACT.cast(c31).add(b1);
            c40 = EXACT.cast(c40).add(b0);
            c41 = EXACT.cast(c41).add(b1);
            c50 = EXACT.cast(c50).add(b0);
            c51 = EXACT.cast(c51).add(b1);
        }
        if (residual != null) {
            c00 = EXACT.cast(c00).add(FloatVector.fromArray(S, residual, o0));
            c01 = EXACT.cast(c01).add(FloatVector.fromArray(S, residual, o0 + L));
            c10 = EXACT.cast(c10).add(FloatVector.fromArray(S, residual, o0 + 1 * f));
            c11 = EXACT.cast(c11).add(FloatVector.fromArray(S, residual, o0 + 1 * f + L));
            c20 = EXACT.cast(c20).add(FloatVector.fromArray(S, residual, o0 + 2 * f));
            c21 = EXACT.cast(c21).add(FloatVector.fromArray(S, residual, o0 + 2 * f + L));
            c30 = EXACT.cast(c30).add(FloatVector.fromArray(S, residual, o0 + 3 * f));
            c31 = EXACT.cast(c31).add(FloatVector.fromArray(S, residual, o0 + 3 * f + L));
            c40 = EXACT.cast(c40).add(FloatVector.fromArray(S, residual, o0 + 4 * f));
            c41 = EXACT.cast(c41).add(FloatVector.fromArray(S, residual, o0 + 4 * f + L));
            c50 = EXACT.cast(c50).add(FloatVector.fromArray(S, residual, o0 + 5 * f));
            c51 = EXACT.cast(c51).add(FloatVector.fromArray(S, residual, o0 + 5 * f + L));
        }
        if (relu) {
            c00 = EXACT.cast(c00).max(0f);
            c01 = EXACT.cast(c01).max(0f);
            c10 = EXACT.cast(c10).max(0f);
            c11 = EXACT.cast(c11).max(0f);
            c20 = EXACT.cast(c20).max(0f);
            c21 = EXACT.cast(c21).max(0f);
            c30 = EXACT.cast(c30).max(0f);
            c31 = EXACT.cast(c31).max(0f);
            c40 = EXACT.cast(c40).max(0f);
            c41 = EXACT.cast(c41).max(0f);
            c50 = EXACT.cast(c50).max(0f);
            c51 = EXACT.cast(c51).max(0f);
        }
        EXACT.cast(c00).intoArray(out, o0);
        EXACT.cast(c01).intoArray(out, o0 + L);
        EXACT.cast(c10).intoArray(out, o0 + 1 * f);
        EXACT.cast(c11).intoArray(out, o0 + 1 * f + L);
        EXACT.cast(c20).intoArray(out, o0 + 2 * f);
        EXACT.cast(c21).intoArray(out, o0 + 2 * f + L);
        EXACT.cast(c30).intoArray(out, o0 + 3 * f);
        EXACT.cast(c31).intoArray(out, o0 + 3 * f + L);
        EXACT.cast(c40).intoArray(out, o0 + 4 * f);
        EXACT.cast(c41).intoArray(out, o0 + 4 * f + L);
        EXACT.cast(c50).intoArray(out, o0 + 5 * f);
        EXACT.cast(c51).intoArray(out, o0 + 5 * f + L);
    }

    /** 6 contiguous pixels x the single filter vector at {@code kA} ({@code L} floats a tap), for {@link #pointwiseNarrow}. */
    private static void pointwise6x1(float[] in, int i0, int c, float[] k, int kA, float[] out, int o0, int f,
            float[] bias, int f0, float[] residual, boolean relu) {
        FloatVector c00 = FloatVector.zero(S);
        FloatVector c10 = c00;
        FloatVector c20 = c00;
        FloatVector c30 = c00;
        FloatVector c40 = c00;
        FloatVector c50 = c00;
        for (int t = 0, kt = kA; t < c; t++, kt += L) {
            FloatVector k0 = FloatVector.fromArray(S, k, kt);
            FloatVector x0 = FloatVector.broadcast(S, in[i0 + t]);
            c00 = x0.fma(k0, c00);
            FloatVector x1 = FloatVector.broadcast(S, in[i0 + 1 * c + t]);
            c10 = x1.fma(k0, c10);
            FloatVector x2 = FloatVector.broadcast(S, in[i0 + 2 * c + t]);
            c20 = x2.fma(k0, c20);
            FloatVector x3 = FloatVector.broadcast(S, in[i0 + 3 * c + t]);
            c30 = x3.fma(k0, c30);
            FloatVector x4 = FloatVector.broadcast(S, in[i0 + 4 * c + t]);
            c40 = x4.fma(k0, c40);
            FloatVector x5 = FloatVector.broadcast(S, in[i0 + 5 * c + t]);
            c50 = x5.fma(k0, c50);
        }
        if (bias != null) {
            FloatVector b0 = FloatVector.fromArray(S, bias, f0);
            c00 = EXACT.cast(c00).add(b0);
            c10 = EXACT.cast(c10).add(b0);
            c20 = EXACT.cast(c20).add(b0);
            c30 = EXACT.cast(c30).add(b0);
            c40 = EXACT.cast(c40).add(b0);
            c50 = EXACT.cast(c50).add(b0);
        }
        if (residual != null) {
            c00 = EXACT.cast(c00).add(FloatVector.fromArray(S, residual, o0));
            c10 = EXACT.cast(c10).add(FloatVector.fromArray(S, residual, o0 + 1 * f));
            c20 = EXACT.cast(c20).add(FloatVector.fromArray(S, residual, o0 + 2 * f));
            c30 = EXACT.cast(c30).add(FloatVector.fromArray(S, residual, o0 + 3 * f));
            c40 = EXACT.cast(c40).add(FloatVector.fromArray(S, residual, o0 + 4 * f));
            c50 = EXACT.cast(c50).add(FloatVector.fromArray(S, residual, o0 + 5 * f));
        }
        if (relu) {
            c00 = EXACT.cast(c00).max(0f);
            c10 = EXACT.cast(c10).max(0f);
            c20 = EXACT.cast(c20).max(0f);
            c30 = EXACT.cast(c30).max(0f);
            c40 = EXACT.cast(c40).max(0f);
            c50 = EXACT.cast(c50).max(0f);
        }
        EXACT.cast(c00).intoArray(out, o0);
        EXACT.cast(c10).intoArray(out, o0 + 1 * f);
        EXACT.cast(c20).intoArray(out, o0 + 2 * f);
        EXACT.cast(c30).intoArray(out, o0 + 3 * f);
        EXACT.cast(c40).intoArray(out, o0 + 4 * f);
        EXACT.cast(c50).intoArray(out, o0 + 5 * f);
    }

    /**
     * 4 pixels x 4 filter vectors (the two blocks of 2 vectors from {@code kOff}) of a 1x1 convolution
     * ({@link #pointwise}): 16 accumulators, each tap's 4 kernel vectors loaded once for the 4 pixels and
     * each input value broadcast once for the 4 vectors; then the bias, residual and ReLU as
     * {@link #storePixel} applies them, stored here (no round trip through a scratch array: with few
     * channels, MobileNetV2's 16 or 24, the stores took as long as the multiply-adds).
     */
    private static void pointwise4x4(float[] in, int i0, int i1, int i2, int i3, int taps, float[] k, int kOff,
            float[] out, int o0, int o1, int o2, int o3, float[] bias, int f0, float[] residual, boolean relu) {
        FloatVector c00 = FloatVector.zero(S);
        FloatVector c01 = c00;
        FloatVector c02 = c00;
        FloatVector c03 = c00;
        FloatVector c10 = c00;
        FloatVector c11 = c00;
        FloatVector c12 = c00;
        FloatVector c13 = c00;
        FloatVector c20 = c00;
        FloatVector c21 = c00;
        FloatVector c22 = c00;
        FloatVector c23 = c00;
        FloatVector c30 = c00;
        FloatVector c31 = c00;
        FloatVector c32 = c00;
        FloatVector c33 = c00;
        // each block indexed from its own start by t alone, a constant stride: C2 drops the four loads' bounds checks
        int second = kOff + 2 * L * taps; // the second block of 2 vectors
        for (int t = 0; t < taps; t++) {
            FloatVector k0 = FloatVector.fromArray(S, k, kOff + t * (2 * L));
            FloatVector k1 = FloatVector.fromArray(S, k, kOff + t * (2 * L) + L);
            FloatVector k2 = FloatVector.fromArray(S, k, second + t * (2 * L));
            FloatVector k3 = FloatVector.fromArray(S, k, second + t * (2 * L) + L);
            FloatVector x0 = FloatVector.broadcast(S, in[i0 + t]);
            c00 = x0.fma(k0, c00);
            c01 = x0.fma(k1, c01);
            c02 = x0.fma(k2, c02);
            c03 = x0.fma(k3, c03);
            FloatVector x1 = FloatVector.broadcast(S, in[i1 + t]);
            c10 = x1.fma(k0, c10);
            c11 = x1.fma(k1, c11);
            c12 = x1.fma(k2, c12);
            c13 = x1.fma(k3, c13);
            FloatVector x2 = FloatVector.broadcast(S, in[i2 + t]);
            c20 = x2.fma(k0, c20);
            c21 = x2.fma(k1, c21);
            c22 = x2.fma(k2, c22);
            c23 = x2.fma(k3, c23);
            FloatVector x3 = FloatVector.broadcast(S, in[i3 + t]);
            c30 = x3.fma(k0, c30);
            c31 = x3.fma(k1, c31);
            c32 = x3.fma(k2, c32);
            c33 = x3.fma(k3, c33);
        }
        if (bias != null) {
            FloatVector b0 = FloatVector.fromArray(S, bias, f0);
            FloatVector b1 = FloatVector.fromArray(S, bias, f0 + L);
            FloatVector b2 = FloatVector.fromArray(S, bias, f0 + 2 * L);
            FloatVector b3 = FloatVector.fromArray(S, bias, f0 + 3 * L);
            c00 = EXACT.cast(c00).add(b0);
            c01 = EXACT.cast(c01).add(b1);
            c02 = EXACT.cast(c02).add(b2);
            c03 = EXACT.cast(c03).add(b3);
            c10 = EXACT.cast(c10).add(b0);
            c11 = EXACT.cast(c11).add(b1);
            c12 = EXACT.cast(c12).add(b2);
            c13 = EXACT.cast(c13).add(b3);
            c20 = EXACT.cast(c20).add(b0);
            c21 = EXACT.cast(c21).add(b1);
            c22 = EXACT.cast(c22).add(b2);
            c23 = EXACT.cast(c23).add(b3);
            c30 = EXACT.cast(c30).add(b0);
            c31 = EXACT.cast(c31).add(b1);
            c32 = EXACT.cast(c32).add(b2);
            c33 = EXACT.cast(c33).add(b3);
        }
        if (residual != null) {
            c00 = EXACT.cast(c00).add(FloatVector.fromArray(S, residual, o0));
            c01 = EXACT.cast(c01).add(FloatVector.fromArray(S, residual, o0 + L));
            c02 = EXACT.cast(c02).add(FloatVector.fromArray(S, residual, o0 + 2 * L));
            c03 = EXACT.cast(c03).add(FloatVector.fromArray(S, residual, o0 + 3 * L));
            c10 = EXACT.cast(c10).add(FloatVector.fromArray(S, residual, o1));
            c11 = EXACT.cast(c11).add(FloatVector.fromArray(S, residual, o1 + L));
            c12 = EXACT.cast(c12).add(FloatVector.fromArray(S, residual, o1 + 2 * L));
            c13 = EXACT.cast(c13).add(FloatVector.fromArray(S, residual, o1 + 3 * L));
            c20 = EXACT.cast(c20).add(FloatVector.fromArray(S, residual, o2));
            c21 = EXACT.cast(c21).add(FloatVector.fromArray(S, residual, o2 + L));
            c22 = EXACT.cast(c22).add(FloatVector.fromArray(S, residual, o2 + 2 * L));
            c23 = EXACT.cast(c23).add(FloatVector.fromArray(S, residual, o2 + 3 * L));
            c30 = EXACT.cast(c30).add(FloatVector.fromArray(S, residual, o3));
            c31 = EXACT.cast(c31).add(FloatVector.fromArray(S, residual, o3 + L));
            c32 = EXACT.cast(c32).add(FloatVector.fromArray(S, residual, o3 + 2 * L));
            c33 = EXACT.cast(c33).add(FloatVector.fromArray(S, residual, o3 + 3 * L));
        }
        if (relu) {
            c00 = EXACT.cast(c00).max(0f);
            c01 = EXACT.cast(c01).max(0f);
            c02 = EXACT.cast(c02).max(0f);
            c03 = EXACT.cast(c03).max(0f);
            c10 = EXACT.cast(c10).max(0f);
            c11 = EXACT.cast(c11).max(0f);
            c12 = EXACT.cast(c12).max(0f);
            c13 = EXACT.cast(c13).max(0f);
            c20 = EXACT.cast(c20).max(0f);
            c21 = EXACT.cast(c21).max(0f);
            c22 = EXACT.cast(c22).max(0f);
            c23 = EXACT.cast(c23).max(0f);
            c30 = EXACT.cast(c30).max(0f);
            c31 = EXACT.cast(c31).max(0f);
            c32 = EXACT.cast(c32).max(0f);
            c33 = EXACT.cast(c33).max(0f);
        }
        EXACT.cast(c00).intoArray(out, o0);
        EXACT.cast(c01).intoArray(out, o0 + L);
        EXACT.cast(c02).intoArray(out, o0 + 2 * L);
        EXACT.cast(c03).intoArray(out, o0 + 3 * L);
        EXACT.cast(c10).intoArray(out, o1);
        EXACT.cast(c11).intoArray(out, o1 + L);
        EXACT.cast(c12).intoArray(out, o1 + 2 * L);
        EXACT.cast(c13).intoArray(out, o1 + 3 * L);
        EXACT.cast(c20).intoArray(out, o2);
        EXACT.cast(c21).intoArray(out, o2 + L);
        EXACT.cast(c22).intoArray(out, o2 + 2 * L);
        EXACT.cast(c23).intoArray(out, o2 + 3 * L);
        EXACT.cast(c30).intoArray(out, o3);
        EXACT.cast(c31).intoArray(out, o3 + L);
        EXACT.cast(c32).intoArray(out, o3 + 2 * L);
        EXACT.cast(c33).intoArray(out, o3 + 3 * L);
    }

    /**
     * Stores one pixel's sums the micro-kernel left in {@code acc[a, a + span)} to {@code out[o..]}, adding
     * the bias (from {@code bias[f0..]}), then the residual (if any, from {@code residual[o..]}), and
     * applying ReLU on the way: one pass instead of a copy and a second pass over the output (and a
     * third for the residual). Called per pixel, not per group of 4, so that C2 inlines it into every
     * caller: a 4-pixel method with the residual's branch compiled, on its own, to more than C2 then
     * inlines (InlineSmallCode), and the calls left cost a ResNet 2-20% (measured on the 512-bit EPYC).
     */
    private static void storePixel(int span, float[] acc, int a, float[] out, int o, float[] bias, int f0,
            float[] residual, boolean relu) {
        for (int v = 0; v < span; v += L) {
            FloatVector sum = FloatVector.fromArray(S, acc, a + v);
            if (bias != null) {
                sum = EXACT.cast(sum).add(FloatVector.fromArray(S, bias, f0 + v));
            }
            if (residual != null) {
                sum = EXACT.cast(sum).add(FloatVector.fromArray(S, residual, o + v));
            }
            if (relu) {
                sum = EXACT.cast(sum).max(0f);
            }
            EXACT.cast(sum).intoArray(out, o + v);
        }
    }

    /**
     * A 3-row convolution whose filters fill a single vector (16 filters in 512-bit vectors: the stem
     * and first stage of a CIFAR ResNet), straight from the input (no patch copy): at stride 1, two
     * output rows of 4 pixels at a time ({@link #rows3Tall}, which shares the input rows the two
     * output rows read), else (and for an odd last row) 8 pixels of a row ({@link #rows3Oct1}).
     * Either has 8 accumulators; the 4 x 1 of {@link #quad1} left the FMA units half idle. Measured,
     * same JVM, 512-bit vectors, a 32x32x16 -> 16 'same' 3x3 layer: 67 us by {@link #quad1}, 33 us by
     * {@link #rows3Oct1}, 22 us by {@link #rows3Tall}. On 32 registers, 4 rows x 4 pixels when pixels are
     * 16 floats apart and there is no residual ({@link #rows3Tall4x4Step16}), else 4 rows x 3
     * ({@link #rows3Tall4x3}). A row's last group starts at {@code ow - 4} (or {@code ow - 8},
     * {@code ow - 3}) and may recompute pixels of the group before it, storing the same values again; so
     * may the last group of rows.
     */
    private static void rows8(float[] in, int w, int c, float[] k, int kwc, int f, float[] bias, int sh, int sw,
            float[] out, int oh, int ow, float[] residual, boolean relu, float[] acc) {
        int rs = w * c;
        int step = sw * c;
        boolean tall = sh == 1;
        if (WIDE && tall && step == 16 && residual == null && oh >= 4 && ow >= 4) {
            for (int y = 0; y < oh; y += 4) {
                int y0 = Math.min(y, oh - 4);
                for (int x = 0; x < ow; x += 4) {
                    int x0 = Math.min(x, ow - 4);
                    rows3Tall4x4Step16(in, (y0 * w + x0 * sw) * c, kwc, rs, k, out, (y0 * ow + x0) * f, ow * f, f,
                            bias, relu);
                }
            }
            return;
        }
        if (WIDE && tall && oh >= 4) {
            for (int y = 0; y < oh; y += 4) {
                int y0 = Math.min(y, oh - 4);
                for (int x = 0; x < ow; x += 3) {
                    int x0 = Math.min(x, ow - 3);
                    rows3Tall4x3(in, (y0 * w + x0 * sw) * c, step, kwc, rs, k, out, (y0 * ow + x0) * f, ow * f, f,
                            bias, residual, relu);
                }
            }
            return;
        }
        for (int y = 0; y < oh; y++) {
            if (tall && y + 1 < oh) {
                for (int x = 0; x < ow; x += 4) {
                    int x0 = Math.min(x, ow - 4);
                    rows3Tall(in, (y * w + x0 * sw) * c, step, kwc, rs, k, acc);
                    int o = (y * ow + x0) * f;
                    int o1 = o + ow * f;
                    for (int q = 0; q < 4; q++) {
                        storePixel(L, acc, q * L, out, o + q * f, bias, 0, residual, relu);
                        storePixel(L, acc, (4 + q) * L, out, o1 + q * f, bias, 0, residual, relu);
                    }
                }
                y++;
                continue;
            }
            for (int x = 0; x < ow; x += 8) {
                int x0 = Math.min(x, ow - 8);
                rows3Oct1(in, (y * sh * w + x0 * sw) * c, step, kwc, rs, k, acc);
                int o = (y * ow + x0) * f;
                for (int q = 0; q < 8; q++) {
                    storePixel(L, acc, q * L, out, o + q * f, bias, 0, residual, relu);
                }
            }
        }
    }

    /**
     * 2 output rows x 4 pixels x 1 filter vector of a 3-row kernel at stride 1: the 4 input rows the two
     * output rows read are broadcast once each and serve both rows where they overlap (19 loads per 24
     * FMAs, against 27 for 8 pixels of one row). Sums to {@code acc[0, 8L)}: the first row's 4 pixels,
     * then the second's.
     */
    private static void rows3Tall(float[] a, int i0, int step, int kwc, int rs, float[] k, float[] acc) {
        FloatVector c0 = FloatVector.zero(S);
        FloatVector c1 = c0;
        FloatVector c2 = c0;
        FloatVector c3 = c0;
        FloatVector d0 = c0;
        FloatVector d1 = c0;
        FloatVector d2 = c0;
        FloatVector d3 = c0;
        int s2 = 2 * step;
        int s3 = 3 * step;
        for (int j = 0; j < kwc; j++) {
            FloatVector k0 = FloatVector.fromArray(S, k, j * L);
            FloatVector k1 = FloatVector.fromArray(S, k, (kwc + j) * L);
            FloatVector k2 = FloatVector.fromArray(S, k, (2 * kwc + j) * L);
            int d = i0 + j;
            FloatVector x0 = FloatVector.broadcast(S, a[d]);
            FloatVector x1 = FloatVector.broadcast(S, a[d + step]);
            FloatVector x2 = FloatVector.broadcast(S, a[d + s2]);
            FloatVector x3 = FloatVector.broadcast(S, a[d + s3]);
            c0 = x0.fma(k0, c0);
            c1 = x1.fma(k0, c1);
            c2 = x2.fma(k0, c2);
            c3 = x3.fma(k0, c3);
            d += rs;
            x0 = FloatVector.broadcast(S, a[d]);
            x1 = FloatVector.broadcast(S, a[d + step]);
            x2 = FloatVector.broadcast(S, a[d + s2]);
            x3 = FloatVector.broadcast(S, a[d + s3]);
            c0 = x0.fma(k1, c0);
            c1 = x1.fma(k1, c1);
            c2 = x2.fma(k1, c2);
            c3 = x3.fma(k1, c3);
            d0 = x0.fma(k0, d0);
            d1 = x1.fma(k0, d1);
            d2 = x2.fma(k0, d2);
            d3 = x3.fma(k0, d3);
            d += rs;
            x0 = FloatVector.broadcast(S, a[d]);
            x1 = FloatVector.broadcast(S, a[d + step]);
            x2 = FloatVector.broadcast(S, a[d + s2]);
            x3 = FloatVector.broadcast(S, a[d + s3]);
            c0 = x0.fma(k2, c0);
            c1 = x1.fma(k2, c1);
            c2 = x2.fma(k2, c2);
            c3 = x3.fma(k2, c3);
            d0 = x0.fma(k1, d0);
            d1 = x1.fma(k1, d1);
            d2 = x2.fma(k1, d2);
            d3 = x3.fma(k1, d3);
            d += rs;
            d0 = FloatVector.broadcast(S, a[d]).fma(k2, d0);
            d1 = FloatVector.broadcast(S, a[d + step]).fma(k2, d1);
            d2 = FloatVector.broadcast(S, a[d + s2]).fma(k2, d2);
            d3 = FloatVector.broadcast(S, a[d + s3]).fma(k2, d3);
        }
        EXACT.cast(c0).intoArray(acc, 0);
        EXACT.cast(c1).intoArray(acc, L);
        EXACT.cast(c2).intoArray(acc, 2 * L);
        EXACT.cast(c3).intoArray(acc, 3 * L);
        EXACT.cast(d0).intoArray(acc, 4 * L);
        EXACT.cast(d1).intoArray(acc, 5 * L);
        EXACT.cast(d2).intoArray(acc, 6 * L);
        EXACT.cast(d3).intoArray(acc, 7 * L);
    }

    /**
     * A 3-row convolution at row stride 1 with an even number of filter vectors, on CPUs with 32 vector
     * registers: 2 output rows x 2 pixels at a time, each block of 2 filter vectors by
     * {@link #rows3Tall2}, straight from the input (measured, same JVM, 512-bit: a 16x16x32 -> 32 'same'
     * 3x3 layer 21.7 us, against 22.6-26.7 us by {@link #rows3Quad2}; 8x8x64 -> 64, 21.6 against 22.1-22.5
     * us with the patch copy). The last pair of rows or pixels of an odd count
     * starts one earlier and recomputes outputs of the pair before it, storing the same values again.
     */
    private static void tall2(float[] in, int w, int c, float[] k, int kwc, int f, int vectors, float[] bias, int sh,
            int sw, float[] out, int oh, int ow, float[] residual, boolean relu, float[] acc) {
        int rs = w * c;
        int step = sw * c;
        int taps = 3 * kwc;
        int tall = oh >= 4 ? 4 : 2;
        for (int y = 0; y < oh; y += tall) {
            int y0 = Math.min(y, oh - tall);
            for (int x = 0; x < ow; x += 2) {
                int x0 = Math.min(x, ow - 2);
                int i0 = (y0 * sh * w + x0 * sw) * c;
                int o = (y0 * ow + x0) * f;
                if (tall == 4) {
                    for (int f0 = 0; f0 < vectors * L; f0 += 2 * L) {
                        if (sh == 1) {
                            rows3Tall4x2(in, i0, step, kwc, rs, k, taps * f0, acc);
                        } else {
                            rows3Tall4x2s2(in, i0, step, kwc, rs, k, taps * f0, acc);
                        }
                        for (int i = 0; i < 8; i++) { // row i / 2, pixel i % 2
                            storePixel(2 * L, acc, i * 2 * L, out, o + (i >> 1) * ow * f + (i & 1) * f + f0, bias,
                                    f0, residual, relu);
                        }
                    }
                } else {
                    int o1 = o + ow * f;
                    for (int f0 = 0; f0 < vectors * L; f0 += 2 * L) {
                        rows3Tall2(in, i0, step, kwc, rs, k, taps * f0, acc);
                        storePixel(2 * L, acc, 0, out, o + f0, bias, f0, residual, relu);
                        storePixel(2 * L, acc, 2 * L, out, o + f + f0, bias, f0, residual, relu);
                        storePixel(2 * L, acc, 4 * L, out, o1 + f0, bias, f0, residual, relu);
                        storePixel(2 * L, acc, 6 * L, out, o1 + f + f0, bias, f0, residual, relu);
                    }
                }
            }
        }
    }

    /**
     * 2 output rows x 2 pixels x 2 filter vectors of a 3-row kernel at stride 1, from the kernel block at
     * {@code kOff}: the 4 input rows are broadcast once each and serve both output rows where they
     * overlap (14 loads per 24 FMAs, against 18 for {@link #rows3Quad2}). Sums to {@code acc[0, 8L)},
     * pixels (row 0, x0), (row 0, x0 + 1), (row 1, x0), (row 1, x0 + 1), 2 vectors each.
     */
    private static void rows3Tall2(float[] a, int i0, int step, int kwc, int rs, float[] k, int kOff, float[] acc) {
        FloatVector c00 = FloatVector.zero(S);
        FloatVector c01 = c00;
        FloatVector c10 = c00;
        FloatVector c11 = c00;
        FloatVector d00 = c00;
        FloatVector d01 = c00;
        FloatVector d10 = c00;
        FloatVector d11 = c00;
        int row = kwc * 2 * L;
        for (int j = 0; j < kwc; j++) {
            int kk = kOff + j * (2 * L);
            FloatVector k00 = FloatVector.fromArray(S, k, kk);
            FloatVector k01 = FloatVector.fromArray(S, k, kk + L);
            FloatVector k10 = FloatVector.fromArray(S, k, kk + row);
            FloatVector k11 = FloatVector.fromArray(S, k, kk + row + L);
            FloatVector k20 = FloatVector.fromArray(S, k, kk + 2 * row);
            FloatVector k21 = FloatVector.fromArray(S, k, kk + 2 * row + L);
            int d = i0 + j;
            FloatVector x0 = FloatVector.broadcast(S, a[d]);
            FloatVector x1 = FloatVector.broadcast(S, a[d + step]);
            c00 = x0.fma(k00, c00);
            c01 = x0.fma(k01, c01);
            c10 = x1.fma(k00, c10);
            c11 = x1.fma(k01, c11);
            d += rs;
            x0 = FloatVector.broadcast(S, a[d]);
            x1 = FloatVector.broadcast(S, a[d + step]);
            c00 = x0.fma(k10, c00);
            c01 = x0.fma(k11, c01);
            c10 = x1.fma(k10, c10);
            c11 = x1.fma(k11, c11);
            d00 = x0.fma(k00, d00);
            d01 = x0.fma(k01, d01);
            d10 = x1.fma(k00, d10);
            d11 = x1.fma(k01, d11);
            d += rs;
            x0 = FloatVector.broadcast(S, a[d]);
            x1 = FloatVector.broadcast(S, a[d + step]);
            c00 = x0.fma(k20, c00);
            c01 = x0.fma(k21, c01);
            c10 = x1.fma(k20, c10);
            c11 = x1.fma(k21, c11);
            d00 = x0.fma(k10, d00);
            d01 = x0.fma(k11, d01);
            d10 = x1.fma(k10, d10);
            d11 = x1.fma(k11, d11);
            d += rs;
            x0 = FloatVector.broadcast(S, a[d]);
            x1 = FloatVector.broadcast(S, a[d + step]);
            d00 = x0.fma(k20, d00);
            d01 = x0.fma(k21, d01);
            d10 = x1.fma(k20, d10);
            d11 = x1.fma(k21, d11);
        }
        EXACT.cast(c00).intoArray(acc, 0);
        EXACT.cast(c01).intoArray(acc, L);
        EXACT.cast(c10).intoArray(acc, 2 * L);
        EXACT.cast(c11).intoArray(acc, 3 * L);
        EXACT.cast(d00).intoArray(acc, 4 * L);
        EXACT.cast(d01).intoArray(acc, 5 * L);
        EXACT.cast(d10).intoArray(acc, 6 * L);
        EXACT.cast(d11).intoArray(acc, 7 * L);
    }

    /**
     * 2 output rows x 4 pixels x 2 filter vectors of a 3x3 convolution at stride 2 on 3 channels (an RGB
     * stem: MobileNets', EfficientNets'), for CPUs with 32 vector registers: 16 accumulators, the 5 input
     * rows x 4 pixels broadcast once each, the middle row serving both output rows (26 loads per 48 FMAs).
     * The pixel step (6 floats) and the taps of a kernel row (9) are literals, so that the 4 pixels of a
     * row share one address register. Each sum takes its taps in the order {@link #rows3Tall4x2s2} takes
     * them. Stores its pixels to {@code out[o ..]} ({@code outRow} floats a row, {@code f} a pixel) with
     * bias, ReLU and the ceiling (ReLU6), so the layer needs no clamping pass over its output.
     */
    private static void stemRows2x4(float[] a, int i0, int rs, float[] k, int kOff, float[] out, int o, int outRow,
            int f, float[] bias, int f0, boolean relu, float ceiling) {
        FloatVector c000 = FloatVector.zero(S);
        FloatVector c001 = c000;
        FloatVector c010 = c000;
        FloatVector c011 = c000;
        FloatVector c020 = c000;
        FloatVector c021 = c000;
        FloatVector c030 = c000;
        FloatVector c031 = c000;
        FloatVector c100 = c000;
        FloatVector c101 = c000;
        FloatVector c110 = c000;
        FloatVector c111 = c000;
        FloatVector c120 = c000;
        FloatVector c121 = c000;
        FloatVector c130 = c000;
        FloatVector c131 = c000;
        int row = 9 * 2 * L; // a kernel row: 3 columns x 3 channels, 2 vectors each
        for (int j = 0; j < 9; j++) {
            int kk = kOff + j * (2 * L);
            FloatVector k00 = FloatVector.fromArray(S, k, kk);
            FloatVector k01 = FloatVector.fromArray(S, k, kk + L);
            FloatVector k10 = FloatVector.fromArray(S, k, kk + row);
            FloatVector k11 = FloatVector.fromArray(S, k, kk + row + L);
            FloatVector k20 = FloatVector.fromArray(S, k, kk + 2 * row);
            FloatVector k21 = FloatVector.fromArray(S, k, kk + 2 * row + L);
            int d = i0 + j;
            FloatVector x0 = FloatVector.broadcast(S, a[d]);
            FloatVector x1 = FloatVector.broadcast(S, a[d + 6]);
            FloatVector x2 = FloatVector.broadcast(S, a[d + 12]);
            FloatVector x3 = FloatVector.broadcast(S, a[d + 18]);
            c000 = x0.fma(k00, c000);
            c001 = x0.fma(k01, c001);
            c010 = x1.fma(k00, c010);
            c011 = x1.fma(k01, c011);
            c020 = x2.fma(k00, c020);
            c021 = x2.fma(k01, c021);
            c030 = x3.fma(k00, c030);
            c031 = x3.fma(k01, c031);
            d += rs;
            x0 = FloatVector.broadcast(S, a[d]);
            x1 = FloatVector.broadcast(S, a[d + 6]);
            x2 = FloatVector.broadcast(S, a[d + 12]);
            x3 = FloatVector.broadcast(S, a[d + 18]);
            c000 = x0.fma(k10, c000);
            c001 = x0.fma(k11, c001);
            c010 = x1.fma(k10, c010);
            c011 = x1.fma(k11, c011);
            c020 = x2.fma(k10, c020);
            c021 = x2.fma(k11, c021);
            c030 = x3.fma(k10, c030);
            c031 = x3.fma(k11, c031);
            d += rs;
            x0 = FloatVector.broadcast(S, a[d]);
            x1 = FloatVector.broadcast(S, a[d + 6]);
            x2 = FloatVector.broadcast(S, a[d + 12]);
            x3 = FloatVector.broadcast(S, a[d + 18]);
            c000 = x0.fma(k20, c000);
            c001 = x0.fma(k21, c001);
            c010 = x1.fma(k20, c010);
            c011 = x1.fma(k21, c011);
            c020 = x2.fma(k20, c020);
            c021 = x2.fma(k21, c021);
            c030 = x3.fma(k20, c030);
            c031 = x3.fma(k21, c031);
            c100 = x0.fma(k00, c100);
            c101 = x0.fma(k01, c101);
            c110 = x1.fma(k00, c110);
            c111 = x1.fma(k01, c111);
            c120 = x2.fma(k00, c120);
            c121 = x2.fma(k01, c121);
            c130 = x3.fma(k00, c130);
            c131 = x3.fma(k01, c131);
            d += rs;
            x0 = FloatVector.broadcast(S, a[d]);
            x1 = FloatVector.broadcast(S, a[d + 6]);
            x2 = FloatVector.broadcast(S, a[d + 12]);
            x3 = FloatVector.broadcast(S, a[d + 18]);
            c100 = x0.fma(k10, c100);
            c101 = x0.fma(k11, c101);
            c110 = x1.fma(k10, c110);
            c111 = x1.fma(k11, c111);
            c120 = x2.fma(k10, c120);
            c121 = x2.fma(k11, c121);
            c130 = x3.fma(k10, c130);
            c131 = x3.fma(k11, c131);
            d += rs;
            x0 = FloatVector.broadcast(S, a[d]);
            x1 = FloatVector.broadcast(S, a[d + 6]);
            x2 = FloatVector.broadcast(S, a[d + 12]);
            x3 = FloatVector.broadcast(S, a[d + 18]);
            c100 = x0.fma(k20, c100);
            c101 = x0.fma(k21, c101);
            c110 = x1.fma(k20, c110);
            c111 = x1.fma(k21, c111);
            c120 = x2.fma(k20, c120);
            c121 = x2.fma(k21, c121);
            c130 = x3.fma(k20, c130);
            c131 = x3.fma(k21, c131);
        }
        if (bias != null) {
            FloatVector b0 = FloatVector.fromArray(S, bias, f0);
            FloatVector b1 = FloatVector.fromArray(S, bias, f0 + L);
            c000 = EXACT.cast(c000).add(b0);
            c001 = EXACT.cast(c001).add(b1);
            c010 = EXACT.cast(c010).add(b0);
            c011 = EXACT.cast(c011).add(b1);
            c020 = EXACT.cast(c020).add(b0);
            c021 = EXACT.cast(c021).add(b1);
            c030 = EXACT.cast(c030).add(b0);
            c031 = EXACT.cast(c031).add(b1);
            c100 = EXACT.cast(c100).add(b0);
            c101 = EXACT.cast(c101).add(b1);
            c110 = EXACT.cast(c110).add(b0);
            c111 = EXACT.cast(c111).add(b1);
            c120 = EXACT.cast(c120).add(b0);
            c121 = EXACT.cast(c121).add(b1);
            c130 = EXACT.cast(c130).add(b0);
            c131 = EXACT.cast(c131).add(b1);
        }
        if (relu) {
            c000 = EXACT.cast(c000).max(0f);
            c001 = EXACT.cast(c001).max(0f);
            c010 = EXACT.cast(c010).max(0f);
            c011 = EXACT.cast(c011).max(0f);
            c020 = EXACT.cast(c020).max(0f);
            c021 = EXACT.cast(c021).max(0f);
            c030 = EXACT.cast(c030).max(0f);
            c031 = EXACT.cast(c031).max(0f);
            c100 = EXACT.cast(c100).max(0f);
            c101 = EXACT.cast(c101).max(0f);
            c110 = EXACT.cast(c110).max(0f);
            c111 = EXACT.cast(c111).max(0f);
            c120 = EXACT.cast(c120).max(0f);
            c121 = EXACT.cast(c121).max(0f);
            c130 = EXACT.cast(c130).max(0f);
            c131 = EXACT.cast(c131).max(0f);
        }
        if (relu && ceiling < Float.POSITIVE_INFINITY) {
            c000 = EXACT.cast(c000).min(ceiling);
            c001 = EXACT.cast(c001).min(ceiling);
            c010 = EXACT.cast(c010).min(ceiling);
            c011 = EXACT.cast(c011).min(ceiling);
            c020 = EXACT.cast(c020).min(ceiling);
            c021 = EXACT.cast(c021).min(ceiling);
            c030 = EXACT.cast(c030).min(ceiling);
            c031 = EXACT.cast(c031).min(ceiling);
            c100 = EXACT.cast(c100).min(ceiling);
            c101 = EXACT.cast(c101).min(ceiling);
            c110 = EXACT.cast(c110).min(ceiling);
            c111 = EXACT.cast(c111).min(ceiling);
            c120 = EXACT.cast(c120).min(ceiling);
            c121 = EXACT.cast(c121).min(ceiling);
            c130 = EXACT.cast(c130).min(ceiling);
            c131 = EXACT.cast(c131).min(ceiling);
        }
        EXACT.cast(c000).intoArray(out, o);
        EXACT.cast(c001).intoArray(out, o + L);
        EXACT.cast(c010).intoArray(out, o + f);
        EXACT.cast(c011).intoArray(out, o + f + L);
        EXACT.cast(c020).intoArray(out, o + 2 * f);
        EXACT.cast(c021).intoArray(out, o + 2 * f + L);
        EXACT.cast(c030).intoArray(out, o + 3 * f);
        EXACT.cast(c031).intoArray(out, o + 3 * f + L);
        EXACT.cast(c100).intoArray(out, o + outRow);
        EXACT.cast(c101).intoArray(out, o + outRow + L);
        EXACT.cast(c110).intoArray(out, o + outRow + f);
        EXACT.cast(c111).intoArray(out, o + outRow + f + L);
        EXACT.cast(c120).intoArray(out, o + outRow + 2 * f);
        EXACT.cast(c121).intoArray(out, o + outRow + 2 * f + L);
        EXACT.cast(c130).intoArray(out, o + outRow + 3 * f);
        EXACT.cast(c131).intoArray(out, o + outRow + 3 * f + L);
    }

    /**
     * 4 output rows x 4 pixels x 1 filter vector of a 3-row kernel at stride 1 whose pixels are 16 floats
     * apart (16 channels at column stride 1, or 8 at 2: the 16-filter layers of VGG-style models and of a
     * CIFAR ResNet's first stage), for CPUs with 32 vector registers: 16 accumulators, the 6 input rows x
     * 4 pixels broadcast once each (27 loads per 48 FMAs). The pixel step is a literal so that the 4
     * pixels of a row share one address register (their loads differ by displacement): with a variable
     * step C2 keeps the 24 input streams' offsets in general registers, more than x86 has, and the tile
     * measured slower than 4 x 3 ({@link #rows3Tall4x3}: 26.4 against 22.1 us). Each sum takes its taps
     * in the order {@link #rows3Tall4x3} takes them. Stores the 16 pixels to {@code out[o ..]}
     * ({@code outRow} floats a row, {@code f} a pixel) with bias and ReLU, as {@link #storePixel} would;
     * no residual: with its 16 more loads and adds (or the pooled epilogue of
     * {@link #rows3Tall4x4Step16Pooled}) in the method, C1 ran out of virtual registers, the method stayed
     * in C1's boxing code and a call allocated 17 MB, so a residual layer takes the 4 x 3 tile (the same
     * speed there: 32x32x16 -> 16 with a residual 19.1-19.3 us either way). Measured, same JVM, 512-bit,
     * alone: 16x16x16 -> 16 5.5 -> 4.7 us (4 x 3 computed 18 columns of 16).
     */
    private static void rows3Tall4x4Step16(float[] a, int i0, int kwc, int rs, float[] k, float[] out, int o,
            int outRow, int f, float[] bias, boolean relu) {
        FloatVector c00 = FloatVector.zero(S);
        FloatVector c01 = c00;
        FloatVector c02 = c00;
        FloatVector c03 = c00;
        FloatVector c10 = c00;
        FloatVector c11 = c00;
        FloatVector c12 = c00;
        FloatVector c13 = c00;
        FloatVector c20 = c00;
        FloatVector c21 = c00;
        FloatVector c22 = c00;
        FloatVector c23 = c00;
        FloatVector c30 = c00;
        FloatVector c31 = c00;
        FloatVector c32 = c00;
        FloatVector c33 = c00;
        for (int j = 0; j < kwc; j++) {
            FloatVector k0 = FloatVector.fromArray(S, k, j * L);
            FloatVector k1 = FloatVector.fromArray(S, k, (kwc + j) * L);
            FloatVector k2 = FloatVector.fromArray(S, k, (2 * kwc + j) * L);
            int d = i0 + j;
            FloatVector x0 = FloatVector.broadcast(S, a[d]);
            FloatVector x1 = FloatVector.broadcast(S, a[d + 16]);
            FloatVector x2 = FloatVector.broadcast(S, a[d + 32]);
            FloatVector x3 = FloatVector.broadcast(S, a[d + 48]);
            c00 = x0.fma(k0, c00);
            c01 = x1.fma(k0, c01);
            c02 = x2.fma(k0, c02);
            c03 = x3.fma(k0, c03);
            d += rs;
            x0 = FloatVector.broadcast(S, a[d]);
            x1 = FloatVector.broadcast(S, a[d + 16]);
            x2 = FloatVector.broadcast(S, a[d + 32]);
            x3 = FloatVector.broadcast(S, a[d + 48]);
            c00 = x0.fma(k1, c00);
            c01 = x1.fma(k1, c01);
            c02 = x2.fma(k1, c02);
            c03 = x3.fma(k1, c03);
            c10 = x0.fma(k0, c10);
            c11 = x1.fma(k0, c11);
            c12 = x2.fma(k0, c12);
            c13 = x3.fma(k0, c13);
            d += rs;
            x0 = FloatVector.broadcast(S, a[d]);
            x1 = FloatVector.broadcast(S, a[d + 16]);
            x2 = FloatVector.broadcast(S, a[d + 32]);
            x3 = FloatVector.broadcast(S, a[d + 48]);
            c00 = x0.fma(k2, c00);
            c01 = x1.fma(k2, c01);
            c02 = x2.fma(k2, c02);
            c03 = x3.fma(k2, c03);
            c10 = x0.fma(k1, c10);
            c11 = x1.fma(k1, c11);
            c12 = x2.fma(k1, c12);
            c13 = x3.fma(k1, c13);
            c20 = x0.fma(k0, c20);
            c21 = x1.fma(k0, c21);
            c22 = x2.fma(k0, c22);
            c23 = x3.fma(k0, c23);
            d += rs;
            x0 = FloatVector.broadcast(S, a[d]);
            x1 = FloatVector.broadcast(S, a[d + 16]);
            x2 = FloatVector.broadcast(S, a[d + 32]);
            x3 = FloatVector.broadcast(S, a[d + 48]);
            c10 = x0.fma(k2, c10);
            c11 = x1.fma(k2, c11);
            c12 = x2.fma(k2, c12);
            c13 = x3.fma(k2, c13);
            c20 = x0.fma(k1, c20);
            c21 = x1.fma(k1, c21);
            c22 = x2.fma(k1, c22);
            c23 = x3.fma(k1, c23);
            c30 = x0.fma(k0, c30);
            c31 = x1.fma(k0, c31);
            c32 = x2.fma(k0, c32);
            c33 = x3.fma(k0, c33);
            d += rs;
            x0 = FloatVector.broadcast(S, a[d]);
            x1 = FloatVector.broadcast(S, a[d + 16]);
            x2 = FloatVector.broadcast(S, a[d + 32]);
            x3 = FloatVector.broadcast(S, a[d + 48]);
            c20 = x0.fma(k2, c20);
            c21 = x1.fma(k2, c21);
            c22 = x2.fma(k2, c22);
            c23 = x3.fma(k2, c23);
            c30 = x0.fma(k1, c30);
            c31 = x1.fma(k1, c31);
            c32 = x2.fma(k1, c32);
            c33 = x3.fma(k1, c33);
            d += rs;
            x0 = FloatVector.broadcast(S, a[d]);
            x1 = FloatVector.broadcast(S, a[d + 16]);
            x2 = FloatVector.broadcast(S, a[d + 32]);
            x3 = FloatVector.broadcast(S, a[d + 48]);
            c30 = x0.fma(k2, c30);
            c31 = x1.fma(k2, c31);
            c32 = x2.fma(k2, c32);
            c33 = x3.fma(k2, c33);
        }
        // as storePixel, without its 16 calls
        if (bias != null) {
            FloatVector b = FloatVector.fromArray(S, bias, 0);
            c00 = EXACT.cast(c00).add(b);
            c01 = EXACT.cast(c01).add(b);
            c02 = EXACT.cast(c02).add(b);
            c03 = EXACT.cast(c03).add(b);
            c10 = EXACT.cast(c10).add(b);
            c11 = EXACT.cast(c11).add(b);
            c12 = EXACT.cast(c12).add(b);
            c13 = EXACT.cast(c13).add(b);
            c20 = EXACT.cast(c20).add(b);
            c21 = EXACT.cast(c21).add(b);
            c22 = EXACT.cast(c22).add(b);
            c23 = EXACT.cast(c23).add(b);
            c30 = EXACT.cast(c30).add(b);
            c31 = EXACT.cast(c31).add(b);
            c32 = EXACT.cast(c32).add(b);
            c33 = EXACT.cast(c33).add(b);
        }
        if (relu) {
            c00 = EXACT.cast(c00).max(0f);
            c01 = EXACT.cast(c01).max(0f);
            c02 = EXACT.cast(c02).max(0f);
            c03 = EXACT.cast(c03).max(0f);
            c10 = EXACT.cast(c10).max(0f);
            c11 = EXACT.cast(c11).max(0f);
            c12 = EXACT.cast(c12).max(0f);
            c13 = EXACT.cast(c13).max(0f);
            c20 = EXACT.cast(c20).max(0f);
            c21 = EXACT.cast(c21).max(0f);
            c22 = EXACT.cast(c22).max(0f);
            c23 = EXACT.cast(c23).max(0f);
            c30 = EXACT.cast(c30).max(0f);
            c31 = EXACT.cast(c31).max(0f);
            c32 = EXACT.cast(c32).max(0f);
            c33 = EXACT.cast(c33).max(0f);
        }
        EXACT.cast(c00).intoArray(out, o);
        EXACT.cast(c01).intoArray(out, o + f);
        EXACT.cast(c02).intoArray(out, o + 2 * f);
        EXACT.cast(c03).intoArray(out, o + 3 * f);
        EXACT.cast(c10).intoArray(out, o + outRow);
        EXACT.cast(c11).intoArray(out, o + outRow + f);
        EXACT.cast(c12).intoArray(out, o + outRow + 2 * f);
        EXACT.cast(c13).intoArray(out, o + outRow + 3 * f);
        EXACT.cast(c20).intoArray(out, o + 2 * outRow);
        EXACT.cast(c21).intoArray(out, o + 2 * outRow + f);
        EXACT.cast(c22).intoArray(out, o + 2 * outRow + 2 * f);
        EXACT.cast(c23).intoArray(out, o + 2 * outRow + 3 * f);
        EXACT.cast(c30).intoArray(out, o + 3 * outRow);
        EXACT.cast(c31).intoArray(out, o + 3 * outRow + f);
        EXACT.cast(c32).intoArray(out, o + 3 * outRow + 2 * f);
        EXACT.cast(c33).intoArray(out, o + 3 * outRow + 3 * f);
    }

    /**
     * {@link #rows3Tall4x4Step16} followed by a 2x2 max pool at stride 2: stores the 2 x 2 maxima of the
     * 4 x 4 pixels' windows, with bias and ReLU (both commute with max). Its multiply-adds repeat
     * {@link #rows3Tall4x4Step16}'s: one method with both epilogues is more than C1 compiles, and sums
     * passed through a scratch array to shared epilogues cost 2-5% (VGG-style's 16-filter layers).
     * Measured, same JVM, 512-bit, alone: VGG-style's 32x32x16 -> 16 + pool 22.3 -> 18.3 us (77% -> 93%
     * of the FMA peak), 16x16x16 -> 16 + pool 5.7 -> 4.6 us.
     */
    private static void rows3Tall4x4Step16Pooled(float[] a, int i0, int kwc, int rs, float[] k, float[] out,
            int o, int outRow, int f, float[] bias, boolean relu) {
        FloatVector c00 = FloatVector.zero(S);
        FloatVector c01 = c00;
        FloatVector c02 = c00;
        FloatVector c03 = c00;
        FloatVector c10 = c00;
        FloatVector c11 = c00;
        FloatVector c12 = c00;
        FloatVector c13 = c00;
        FloatVector c20 = c00;
        FloatVector c21 = c00;
        FloatVector c22 = c00;
        FloatVector c23 = c00;
        FloatVector c30 = c00;
        FloatVector c31 = c00;
        FloatVector c32 = c00;
        FloatVector c33 = c00;
        for (int j = 0; j < kwc; j++) {
            FloatVector k0 = FloatVector.fromArray(S, k, j * L);
            FloatVector k1 = FloatVector.fromArray(S, k, (kwc + j) * L);
            FloatVector k2 = FloatVector.fromArray(S, k, (2 * kwc + j) * L);
            int d = i0 + j;
            FloatVector x0 = FloatVector.broadcast(S, a[d]);
            FloatVector x1 = FloatVector.broadcast(S, a[d + 16]);
            FloatVector x2 = FloatVector.broadcast(S, a[d + 32]);
            FloatVector x3 = FloatVector.broadcast(S, a[d + 48]);
            c00 = x0.fma(k0, c00);
            c01 = x1.fma(k0, c01);
            c02 = x2.fma(k0, c02);
            c03 = x3.fma(k0, c03);
            d += rs;
            x0 = FloatVector.broadcast(S, a[d]);
            x1 = FloatVector.broadcast(S, a[d + 16]);
            x2 = FloatVector.broadcast(S, a[d + 32]);
            x3 = FloatVector.broadcast(S, a[d + 48]);
            c00 = x0.fma(k1, c00);
            c01 = x1.fma(k1, c01);
            c02 = x2.fma(k1, c02);
            c03 = x3.fma(k1, c03);
            c10 = x0.fma(k0, c10);
            c11 = x1.fma(k0, c11);
            c12 = x2.fma(k0, c12);
            c13 = x3.fma(k0, c13);
            d += rs;
            x0 = FloatVector.broadcast(S, a[d]);
            x1 = FloatVector.broadcast(S, a[d + 16]);
            x2 = FloatVector.broadcast(S, a[d + 32]);
            x3 = FloatVector.broadcast(S, a[d + 48]);
            c00 = x0.fma(k2, c00);
            c01 = x1.fma(k2, c01);
            c02 = x2.fma(k2, c02);
            c03 = x3.fma(k2, c03);
            c10 = x0.fma(k1, c10);
            c11 = x1.fma(k1, c11);
            c12 = x2.fma(k1, c12);
            c13 = x3.fma(k1, c13);
            c20 = x0.fma(k0, c20);
            c21 = x1.fma(k0, c21);
            c22 = x2.fma(k0, c22);
            c23 = x3.fma(k0, c23);
            d += rs;
            x0 = FloatVector.broadcast(S, a[d]);
            x1 = FloatVector.broadcast(S, a[d + 16]);
            x2 = FloatVector.broadcast(S, a[d + 32]);
            x3 = FloatVector.broadcast(S, a[d + 48]);
            c10 = x0.fma(k2, c10);
            c11 = x1.fma(k2, c11);
            c12 = x2.fma(k2, c12);
            c13 = x3.fma(k2, c13);
            c20 = x0.fma(k1, c20);
            c21 = x1.fma(k1, c21);
            c22 = x2.fma(k1, c22);
            c23 = x3.fma(k1, c23);
            c30 = x0.fma(k0, c30);
            c31 = x1.fma(k0, c31);
            c32 = x2.fma(k0, c32);
            c33 = x3.fma(k0, c33);
            d += rs;
            x0 = FloatVector.broadcast(S, a[d]);
            x1 = FloatVector.broadcast(S, a[d + 16]);
            x2 = FloatVector.broadcast(S, a[d + 32]);
            x3 = FloatVector.broadcast(S, a[d + 48]);
            c20 = x0.fma(k2, c20);
            c21 = x1.fma(k2, c21);
            c22 = x2.fma(k2, c22);
            c23 = x3.fma(k2, c23);
            c30 = x0.fma(k1, c30);
            c31 = x1.fma(k1, c31);
            c32 = x2.fma(k1, c32);
            c33 = x3.fma(k1, c33);
            d += rs;
            x0 = FloatVector.broadcast(S, a[d]);
            x1 = FloatVector.broadcast(S, a[d + 16]);
            x2 = FloatVector.broadcast(S, a[d + 32]);
            x3 = FloatVector.broadcast(S, a[d + 48]);
            c30 = x0.fma(k2, c30);
            c31 = x1.fma(k2, c31);
            c32 = x2.fma(k2, c32);
            c33 = x3.fma(k2, c33);
        }
        // conv rows 0-1 pool to the first pooled row, 2-3 to the second; bias and ReLU commute with max
        FloatVector m00 = EXACT.cast(c00).max(EXACT.cast(c01)).max(EXACT.cast(c10).max(EXACT.cast(c11)));
        FloatVector m01 = EXACT.cast(c02).max(EXACT.cast(c03)).max(EXACT.cast(c12).max(EXACT.cast(c13)));
        FloatVector m10 = EXACT.cast(c20).max(EXACT.cast(c21)).max(EXACT.cast(c30).max(EXACT.cast(c31)));
        FloatVector m11 = EXACT.cast(c22).max(EXACT.cast(c23)).max(EXACT.cast(c32).max(EXACT.cast(c33)));
        if (bias != null) {
            FloatVector b = FloatVector.fromArray(S, bias, 0);
            m00 = EXACT.cast(m00).add(b);
            m01 = EXACT.cast(m01).add(b);
            m10 = EXACT.cast(m10).add(b);
            m11 = EXACT.cast(m11).add(b);
        }
        if (relu) {
            m00 = EXACT.cast(m00).max(0f);
            m01 = EXACT.cast(m01).max(0f);
            m10 = EXACT.cast(m10).max(0f);
            m11 = EXACT.cast(m11).max(0f);
        }
        EXACT.cast(m00).intoArray(out, o);
        EXACT.cast(m01).intoArray(out, o + f);
        EXACT.cast(m10).intoArray(out, o + outRow);
        EXACT.cast(m11).intoArray(out, o + outRow + f);
    }

    /**
     * 4 output rows x 3 pixels x 1 filter vector of a 3-row kernel at stride 1, for CPUs with 32 vector
     * registers: 12 accumulators, the 6 input rows the 4 output rows read broadcast once each (21 loads per
     * 36 FMAs). Measured, same JVM, 512-bit, a 32x32x16 -> 16 'same' 3x3 layer with a residual: 22.1 us,
     * against 22.7-24.0 us by {@link #rows3Tall} (2 x 4) and 26.4 by 4 x 4, whose 24 input streams
     * outnumber the general registers that address them. Stores its 12 pixels to {@code out[o ..]}
     * ({@code outRow} floats a row, {@code f} a pixel) as {@link #storePixel} would, without its 12
     * calls: a 3-channel stem's tile has 12 x 27 FMAs, and the calls took as long (stem 6.7 -> 5.0 us,
     * 54% -> 69% of the FMA peak; the 16-filter layers 22.3 -> 21.1 us).
     */
    private static void rows3Tall4x3(float[] a, int i0, int step, int kwc, int rs, float[] k, float[] out, int o,
            int outRow, int f, float[] bias, float[] residual, boolean relu) {
        FloatVector c000 = FloatVector.zero(S);
        FloatVector c010 = c000;
        FloatVector c020 = c000;
        FloatVector c100 = c000;
        FloatVector c110 = c000;
        FloatVector c120 = c000;
        FloatVector c200 = c000;
        FloatVector c210 = c000;
        FloatVector c220 = c000;
        FloatVector c300 = c000;
        FloatVector c310 = c000;
        FloatVector c320 = c000;
        int s2 = 2 * step;
        for (int j = 0; j < kwc; j++) {
            FloatVector k00 = FloatVector.fromArray(S, k, j * L);
            FloatVector k10 = FloatVector.fromArray(S, k, (kwc + j) * L);
            FloatVector k20 = FloatVector.fromArray(S, k, (2 * kwc + j) * L);
            int d = i0 + j;
            FloatVector x0 = FloatVector.broadcast(S, a[d]);
            FloatVector x1 = FloatVector.broadcast(S, a[d + step]);
            FloatVector x2 = FloatVector.broadcast(S, a[d + s2]);
            c000 = x0.fma(k00, c000);
            c010 = x1.fma(k00, c010);
            c020 = x2.fma(k00, c020);
            d += rs;
            x0 = FloatVector.broadcast(S, a[d]);
            x1 = FloatVector.broadcast(S, a[d + step]);
            x2 = FloatVector.broadcast(S, a[d + s2]);
            c000 = x0.fma(k10, c000);
            c010 = x1.fma(k10, c010);
            c020 = x2.fma(k10, c020);
            c100 = x0.fma(k00, c100);
            c110 = x1.fma(k00, c110);
            c120 = x2.fma(k00, c120);
            d += rs;
            x0 = FloatVector.broadcast(S, a[d]);
            x1 = FloatVector.broadcast(S, a[d + step]);
            x2 = FloatVector.broadcast(S, a[d + s2]);
            c000 = x0.fma(k20, c000);
            c010 = x1.fma(k20, c010);
            c020 = x2.fma(k20, c020);
            c100 = x0.fma(k10, c100);
            c110 = x1.fma(k10, c110);
            c120 = x2.fma(k10, c120);
            c200 = x0.fma(k00, c200);
            c210 = x1.fma(k00, c210);
            c220 = x2.fma(k00, c220);
            d += rs;
            x0 = FloatVector.broadcast(S, a[d]);
            x1 = FloatVector.broadcast(S, a[d + step]);
            x2 = FloatVector.broadcast(S, a[d + s2]);
            c100 = x0.fma(k20, c100);
            c110 = x1.fma(k20, c110);
            c120 = x2.fma(k20, c120);
            c200 = x0.fma(k10, c200);
            c210 = x1.fma(k10, c210);
            c220 = x2.fma(k10, c220);
            c300 = x0.fma(k00, c300);
            c310 = x1.fma(k00, c310);
            c320 = x2.fma(k00, c320);
            d += rs;
            x0 = FloatVector.broadcast(S, a[d]);
            x1 = FloatVector.broadcast(S, a[d + step]);
            x2 = FloatVector.broadcast(S, a[d + s2]);
            c200 = x0.fma(k20, c200);
            c210 = x1.fma(k20, c210);
            c220 = x2.fma(k20, c220);
            c300 = x0.fma(k10, c300);
            c310 = x1.fma(k10, c310);
            c320 = x2.fma(k10, c320);
            d += rs;
            x0 = FloatVector.broadcast(S, a[d]);
            x1 = FloatVector.broadcast(S, a[d + step]);
            x2 = FloatVector.broadcast(S, a[d + s2]);
            c300 = x0.fma(k20, c300);
            c310 = x1.fma(k20, c310);
            c320 = x2.fma(k20, c320);
        }
        // as storePixel, without its calls: 12 of them per 12 x 27 FMAs of a 3-channel stem cost as much
        if (bias != null) {
            FloatVector b = FloatVector.fromArray(S, bias, 0);
            c000 = EXACT.cast(c000).add(b);
            c010 = EXACT.cast(c010).add(b);
            c020 = EXACT.cast(c020).add(b);
            c100 = EXACT.cast(c100).add(b);
            c110 = EXACT.cast(c110).add(b);
            c120 = EXACT.cast(c120).add(b);
            c200 = EXACT.cast(c200).add(b);
            c210 = EXACT.cast(c210).add(b);
            c220 = EXACT.cast(c220).add(b);
            c300 = EXACT.cast(c300).add(b);
            c310 = EXACT.cast(c310).add(b);
            c320 = EXACT.cast(c320).add(b);
        }
        if (residual != null) {
            c000 = EXACT.cast(c000).add(FloatVector.fromArray(S, residual, o));
            c010 = EXACT.cast(c010).add(FloatVector.fromArray(S, residual, o + f));
            c020 = EXACT.cast(c020).add(FloatVector.fromArray(S, residual, o + 2 * f));
            c100 = EXACT.cast(c100).add(FloatVector.fromArray(S, residual, o + outRow));
            c110 = EXACT.cast(c110).add(FloatVector.fromArray(S, residual, o + outRow + f));
            c120 = EXACT.cast(c120).add(FloatVector.fromArray(S, residual, o + outRow + 2 * f));
            c200 = EXACT.cast(c200).add(FloatVector.fromArray(S, residual, o + 2 * outRow));
            c210 = EXACT.cast(c210).add(FloatVector.fromArray(S, residual, o + 2 * outRow + f));
            c220 = EXACT.cast(c220).add(FloatVector.fromArray(S, residual, o + 2 * outRow + 2 * f));
            c300 = EXACT.cast(c300).add(FloatVector.fromArray(S, residual, o + 3 * outRow));
            c310 = EXACT.cast(c310).add(FloatVector.fromArray(S, residual, o + 3 * outRow + f));
            c320 = EXACT.cast(c320).add(FloatVector.fromArray(S, residual, o + 3 * outRow + 2 * f));
        }
        if (relu) {
            c000 = EXACT.cast(c000).max(0f);
            c010 = EXACT.cast(c010).max(0f);
            c020 = EXACT.cast(c020).max(0f);
            c100 = EXACT.cast(c100).max(0f);
            c110 = EXACT.cast(c110).max(0f);
            c120 = EXACT.cast(c120).max(0f);
            c200 = EXACT.cast(c200).max(0f);
            c210 = EXACT.cast(c210).max(0f);
            c220 = EXACT.cast(c220).max(0f);
            c300 = EXACT.cast(c300).max(0f);
            c310 = EXACT.cast(c310).max(0f);
            c320 = EXACT.cast(c320).max(0f);
        }
        EXACT.cast(c000).intoArray(out, o);
        EXACT.cast(c010).intoArray(out, o + f);
        EXACT.cast(c020).intoArray(out, o + 2 * f);
        EXACT.cast(c100).intoArray(out, o + outRow);
        EXACT.cast(c110).intoArray(out, o + outRow + f);
        EXACT.cast(c120).intoArray(out, o + outRow + 2 * f);
        EXACT.cast(c200).intoArray(out, o + 2 * outRow);
        EXACT.cast(c210).intoArray(out, o + 2 * outRow + f);
        EXACT.cast(c220).intoArray(out, o + 2 * outRow + 2 * f);
        EXACT.cast(c300).intoArray(out, o + 3 * outRow);
        EXACT.cast(c310).intoArray(out, o + 3 * outRow + f);
        EXACT.cast(c320).intoArray(out, o + 3 * outRow + 2 * f);
    }

    /**
     * 4 output rows x 2 pixels x 2 filter vectors of a 3-row kernel at stride 1, from the kernel block at
     * {@code kOff}, for CPUs with 32 vector registers: 16 accumulators, 6 kernel vectors, the 6 input rows
     * broadcast once each (18 loads per 48 FMAs, against 14 per 24 for {@link #rows3Tall2}, whose 8
     * accumulators leave the FMA units waiting on their latency). Measured, same JVM, 512-bit, with a
     * residual: 16x16x32 -> 32 'same' 3x3 18.9 us (95% of the FMA peak), against 22.1 us by
     * {@link #rows3Tall2}; 8x8x64 -> 64 18.3 us (98%) against 21.6. Sums to {@code acc[0, 16L)}: row
     * after row, pixel after pixel, 2 vectors each.
     */
    private static void rows3Tall4x2(float[] a, int i0, int step, int kwc, int rs, float[] k, int kOff, float[] acc) {
        FloatVector c000 = FloatVector.zero(S);
        FloatVector c001 = c000;
        FloatVector c010 = c000;
        FloatVector c011 = c000;
        FloatVector c100 = c000;
        FloatVector c101 = c000;
        FloatVector c110 = c000;
        FloatVector c111 = c000;
        FloatVector c200 = c000;
        FloatVector c201 = c000;
        FloatVector c210 = c000;
        FloatVector c211 = c000;
        FloatVector c300 = c000;
        FloatVector c301 = c000;
        FloatVector c310 = c000;
        FloatVector c311 = c000;
        int row = kwc * 2 * L;
        for (int j = 0; j < kwc; j++) {
            int kk = kOff + j * (2 * L);
            FloatVector k00 = FloatVector.fromArray(S, k, kk);
            FloatVector k01 = FloatVector.fromArray(S, k, kk + L);
            FloatVector k10 = FloatVector.fromArray(S, k, kk + row);
            FloatVector k11 = FloatVector.fromArray(S, k, kk + row + L);
            FloatVector k20 = FloatVector.fromArray(S, k, kk + 2 * row);
            FloatVector k21 = FloatVector.fromArray(S, k, kk + 2 * row + L);
            int d = i0 + j;
            FloatVector x0 = FloatVector.broadcast(S, a[d]);
            FloatVector x1 = FloatVector.broadcast(S, a[d + step]);
            c000 = x0.fma(k00, c000);
            c001 = x0.fma(k01, c001);
            c010 = x1.fma(k00, c010);
            c011 = x1.fma(k01, c011);
            d += rs;
            x0 = FloatVector.broadcast(S, a[d]);
            x1 = FloatVector.broadcast(S, a[d + step]);
            c000 = x0.fma(k10, c000);
            c001 = x0.fma(k11, c001);
            c010 = x1.fma(k10, c010);
            c011 = x1.fma(k11, c011);
            c100 = x0.fma(k00, c100);
            c101 = x0.fma(k01, c101);
            c110 = x1.fma(k00, c110);
            c111 = x1.fma(k01, c111);
            d += rs;
            x0 = FloatVector.broadcast(S, a[d]);
            x1 = FloatVector.broadcast(S, a[d + step]);
            c000 = x0.fma(k20, c000);
            c001 = x0.fma(k21, c001);
            c010 = x1.fma(k20, c010);
            c011 = x1.fma(k21, c011);
            c100 = x0.fma(k10, c100);
            c101 = x0.fma(k11, c101);
            c110 = x1.fma(k10, c110);
            c111 = x1.fma(k11, c111);
            c200 = x0.fma(k00, c200);
            c201 = x0.fma(k01, c201);
            c210 = x1.fma(k00, c210);
            c211 = x1.fma(k01, c211);
            d += rs;
            x0 = FloatVector.broadcast(S, a[d]);
            x1 = FloatVector.broadcast(S, a[d + step]);
            c100 = x0.fma(k20, c100);
            c101 = x0.fma(k21, c101);
            c110 = x1.fma(k20, c110);
            c111 = x1.fma(k21, c111);
            c200 = x0.fma(k10, c200);
            c201 = x0.fma(k11, c201);
            c210 = x1.fma(k10, c210);
            c211 = x1.fma(k11, c211);
            c300 = x0.fma(k00, c300);
            c301 = x0.fma(k01, c301);
            c310 = x1.fma(k00, c310);
            c311 = x1.fma(k01, c311);
            d += rs;
            x0 = FloatVector.broadcast(S, a[d]);
            x1 = FloatVector.broadcast(S, a[d + step]);
            c200 = x0.fma(k20, c200);
            c201 = x0.fma(k21, c201);
            c210 = x1.fma(k20, c210);
            c211 = x1.fma(k21, c211);
            c300 = x0.fma(k10, c300);
            c301 = x0.fma(k11, c301);
            c310 = x1.fma(k10, c310);
            c311 = x1.fma(k11, c311);
            d += rs;
            x0 = FloatVector.broadcast(S, a[d]);
            x1 = FloatVector.broadcast(S, a[d + step]);
            c300 = x0.fma(k20, c300);
            c301 = x0.fma(k21, c301);
            c310 = x1.fma(k20, c310);
            c311 = x1.fma(k21, c311);
        }
        EXACT.cast(c000).intoArray(acc, 0);
        EXACT.cast(c001).intoArray(acc, L);
        EXACT.cast(c010).intoArray(acc, 2 * L);
        EXACT.cast(c011).intoArray(acc, 3 * L);
        EXACT.cast(c100).intoArray(acc, 4 * L);
        EXACT.cast(c101).intoArray(acc, 5 * L);
        EXACT.cast(c110).intoArray(acc, 6 * L);
        EXACT.cast(c111).intoArray(acc, 7 * L);
        EXACT.cast(c200).intoArray(acc, 8 * L);
        EXACT.cast(c201).intoArray(acc, 9 * L);
        EXACT.cast(c210).intoArray(acc, 10 * L);
        EXACT.cast(c211).intoArray(acc, 11 * L);
        EXACT.cast(c300).intoArray(acc, 12 * L);
        EXACT.cast(c301).intoArray(acc, 13 * L);
        EXACT.cast(c310).intoArray(acc, 14 * L);
        EXACT.cast(c311).intoArray(acc, 15 * L);
    }

    /**
     * {@link #rows3Tall4x2} at row stride 2: the 4 output rows read 9 input rows, broadcast once each (24
     * loads per 48 FMAs). Measured, same JVM, 512-bit: 33x33x16 -> 16x16x32 3x3 at stride 2 10.0 us (85% of
     * the FMA peak), against 12.6 by {@link #rowsQuad2}; 17x17x32 -> 8x8x64 9.2 (92%) against 11.6 with the
     * patch copy. Sums as
     * {@link #rows3Tall4x2}.
     */
    private static void rows3Tall4x2s2(float[] a, int i0, int step, int kwc, int rs, float[] k, int kOff, float[] acc) {
        FloatVector c000 = FloatVector.zero(S);
        FloatVector c001 = c000;
        FloatVector c010 = c000;
        FloatVector c011 = c000;
        FloatVector c100 = c000;
        FloatVector c101 = c000;
        FloatVector c110 = c000;
        FloatVector c111 = c000;
        FloatVector c200 = c000;
        FloatVector c201 = c000;
        FloatVector c210 = c000;
        FloatVector c211 = c000;
        FloatVector c300 = c000;
        FloatVector c301 = c000;
        FloatVector c310 = c000;
        FloatVector c311 = c000;
        int row = kwc * 2 * L;
        for (int j = 0; j < kwc; j++) {
            int kk = kOff + j * (2 * L);
            FloatVector k00 = FloatVector.fromArray(S, k, kk);
            FloatVector k01 = FloatVector.fromArray(S, k, kk + L);
            FloatVector k10 = FloatVector.fromArray(S, k, kk + row);
            FloatVector k11 = FloatVector.fromArray(S, k, kk + row + L);
            FloatVector k20 = FloatVector.fromArray(S, k, kk + 2 * row);
            FloatVector k21 = FloatVector.fromArray(S, k, kk + 2 * row + L);
            int d = i0 + j;
            FloatVector x0 = FloatVector.broadcast(S, a[d]);
            FloatVector x1 = FloatVector.broadcast(S, a[d + step]);
            c000 = x0.fma(k00, c000);
            c001 = x0.fma(k01, c001);
            c010 = x1.fma(k00, c010);
            c011 = x1.fma(k01, c011);
            d += rs;
            x0 = FloatVector.broadcast(S, a[d]);
            x1 = FloatVector.broadcast(S, a[d + step]);
            c000 = x0.fma(k10, c000);
            c001 = x0.fma(k11, c001);
            c010 = x1.fma(k10, c010);
            c011 = x1.fma(k11, c011);
            d += rs;
            x0 = FloatVector.broadcast(S, a[d]);
            x1 = FloatVector.broadcast(S, a[d + step]);
            c000 = x0.fma(k20, c000);
            c001 = x0.fma(k21, c001);
            c010 = x1.fma(k20, c010);
            c011 = x1.fma(k21, c011);
            c100 = x0.fma(k00, c100);
            c101 = x0.fma(k01, c101);
            c110 = x1.fma(k00, c110);
            c111 = x1.fma(k01, c111);
            d += rs;
            x0 = FloatVector.broadcast(S, a[d]);
            x1 = FloatVector.broadcast(S, a[d + step]);
            c100 = x0.fma(k10, c100);
            c101 = x0.fma(k11, c101);
            c110 = x1.fma(k10, c110);
            c111 = x1.fma(k11, c111);
            d += rs;
            x0 = FloatVector.broadcast(S, a[d]);
            x1 = FloatVector.broadcast(S, a[d + step]);
            c100 = x0.fma(k20, c100);
            c101 = x0.fma(k21, c101);
            c110 = x1.fma(k20, c110);
            c111 = x1.fma(k21, c111);
            c200 = x0.fma(k00, c200);
            c201 = x0.fma(k01, c201);
            c210 = x1.fma(k00, c210);
            c211 = x1.fma(k01, c211);
            d += rs;
            x0 = FloatVector.broadcast(S, a[d]);
            x1 = FloatVector.broadcast(S, a[d + step]);
            c200 = x0.fma(k10, c200);
            c201 = x0.fma(k11, c201);
            c210 = x1.fma(k10, c210);
            c211 = x1.fma(k11, c211);
            d += rs;
            x0 = FloatVector.broadcast(S, a[d]);
            x1 = FloatVector.broadcast(S, a[d + step]);
            c200 = x0.fma(k20, c200);
            c201 = x0.fma(k21, c201);
            c210 = x1.fma(k20, c210);
            c211 = x1.fma(k21, c211);
            c300 = x0.fma(k00, c300);
            c301 = x0.fma(k01, c301);
            c310 = x1.fma(k00, c310);
            c311 = x1.fma(k01, c311);
            d += rs;
            x0 = FloatVector.broadcast(S, a[d]);
            x1 = FloatVector.broadcast(S, a[d + step]);
            c300 = x0.fma(k10, c300);
            c301 = x0.fma(k11, c301);
            c310 = x1.fma(k10, c310);
            c311 = x1.fma(k11, c311);
            d += rs;
            x0 = FloatVector.broadcast(S, a[d]);
            x1 = FloatVector.broadcast(S, a[d + step]);
            c300 = x0.fma(k20, c300);
            c301 = x0.fma(k21, c301);
            c310 = x1.fma(k20, c310);
            c311 = x1.fma(k21, c311);
        }
        EXACT.cast(c000).intoArray(acc, 0);
        EXACT.cast(c001).intoArray(acc, L);
        EXACT.cast(c010).intoArray(acc, 2 * L);
        EXACT.cast(c011).intoArray(acc, 3 * L);
        EXACT.cast(c100).intoArray(acc, 4 * L);
        EXACT.cast(c101).intoArray(acc, 5 * L);
        EXACT.cast(c110).intoArray(acc, 6 * L);
        EXACT.cast(c111).intoArray(acc, 7 * L);
        EXACT.cast(c200).intoArray(acc, 8 * L);
        EXACT.cast(c201).intoArray(acc, 9 * L);
        EXACT.cast(c210).intoArray(acc, 10 * L);
        EXACT.cast(c211).intoArray(acc, 11 * L);
        EXACT.cast(c300).intoArray(acc, 12 * L);
        EXACT.cast(c301).intoArray(acc, 13 * L);
        EXACT.cast(c310).intoArray(acc, 14 * L);
        EXACT.cast(c311).intoArray(acc, 15 * L);
    }

    /**
     * 8 pixels x 1 filter vector of a 3-row kernel, the pixels' patches at {@code a[i0 + p * step]}: as
     * {@link #rows3Quad2}, one loop over the columns of a row takes the tap of each row, straight from
     * the input. Sums to {@code acc[0, 8L)}, pixel after pixel.
     */
    private static void rows3Oct1(float[] a, int i0, int step, int kwc, int rs, float[] k, float[] acc) {
        FloatVector c0 = FloatVector.zero(S);
        FloatVector c1 = c0;
        FloatVector c2 = c0;
        FloatVector c3 = c0;
        FloatVector c4 = c0;
        FloatVector c5 = c0;
        FloatVector c6 = c0;
        FloatVector c7 = c0;
        for (int j = 0; j < kwc; j++) {
            for (int r = 0; r < 3; r++) { // constant trip count: C2 unrolls it fully, no loop phi for the vectors
                FloatVector k0 = FloatVector.fromArray(S, k, (r * kwc + j) * L);
                int d = i0 + r * rs + j;
                c0 = FloatVector.broadcast(S, a[d]).fma(k0, c0);
                c1 = FloatVector.broadcast(S, a[d + step]).fma(k0, c1);
                c2 = FloatVector.broadcast(S, a[d + 2 * step]).fma(k0, c2);
                c3 = FloatVector.broadcast(S, a[d + 3 * step]).fma(k0, c3);
                c4 = FloatVector.broadcast(S, a[d + 4 * step]).fma(k0, c4);
                c5 = FloatVector.broadcast(S, a[d + 5 * step]).fma(k0, c5);
                c6 = FloatVector.broadcast(S, a[d + 6 * step]).fma(k0, c6);
                c7 = FloatVector.broadcast(S, a[d + 7 * step]).fma(k0, c7);
            }
        }
        EXACT.cast(c0).intoArray(acc, 0);
        EXACT.cast(c1).intoArray(acc, L);
        EXACT.cast(c2).intoArray(acc, 2 * L);
        EXACT.cast(c3).intoArray(acc, 3 * L);
        EXACT.cast(c4).intoArray(acc, 4 * L);
        EXACT.cast(c5).intoArray(acc, 5 * L);
        EXACT.cast(c6).intoArray(acc, 6 * L);
        EXACT.cast(c7).intoArray(acc, 7 * L);
    }

    /**
     * Whether a layer's 4-pixel groups go row by row ({@link #rowsQuad2}) rather than through a patch
     * copy: when it has a single block of 2 filter vectors (measured, same JVM: the VGG-style model
     * of the benchmarks 149 us against 167 us). With more blocks the copy serves them all and wins
     * (MnistNet, 4 blocks in conv2: 71 us packed against 85 us by rows, 78 us with {@link #rows3Quad2}).
     */
    private static boolean byRows(int kh, int kwc, int vectors) {
        return kh > 1 && vectors == 2 && kwc >= ROW_TAPS;
    }

    /**
     * Where the patches of the 4 pixels start, one after the other from {@code PATCHES}: every
     * {@value #PATCH_STRIDE} floats when they fit, so the micro-kernel ({@link #quad2s}) addresses the 4
     * with one index and constant displacements, else every {@code taps}.
     */
    private static int patchStride(int taps) {
        return taps <= PATCH_STRIDE ? PATCH_STRIDE : taps;
    }

    /**
     * Copies the kh x (kw * c) patches at input offsets {@code i0..i3} to {@code a[PATCHES + p *
     * patchStride(taps) ..)}, each contiguous, so the micro-kernel's tap loop reads them linearly
     * (C2 then drops its bounds checks, and needs no jump between kernel rows). Costs a few percent
     * of the convolution it feeds.
     */
    private static void pack(float[] in, int i0, int i1, int i2, int i3, int kh, int kwc, int rowStride, float[] a) {
        int taps = kh * kwc;
        int ps = patchStride(taps);
        if (kwc < 16) {
            // short rows: one flat loop over the taps of the 4 patches beats 4 * kh tiny copies
            for (int t = 0, ij = 0, j = 0; t < taps; t++) {
                a[PATCHES + t] = in[i0 + ij];
                a[PATCHES + ps + t] = in[i1 + ij];
                a[PATCHES + 2 * ps + t] = in[i2 + ij];
                a[PATCHES + 3 * ps + t] = in[i3 + ij];
                ij++;
                if (++j == kwc) {
                    j = 0;
                    ij += rowStride - kwc;
                }
            }
            return;
        }
        for (int r = 0; r < kh; r++) {
            int from = r * rowStride;
            int to = PATCHES + r * kwc;
            System.arraycopy(in, i0 + from, a, to, kwc);
            System.arraycopy(in, i1 + from, a, ps + to, kwc);
            System.arraycopy(in, i2 + from, a, 2 * ps + to, kwc);
            System.arraycopy(in, i3 + from, a, 3 * ps + to, kwc);
        }
    }

    /**
     * The 4 pixels of a pool window whose patches are at {@code a[a0..]} .. {@code a[a3..]}, filters of
     * the block of {@code nv} vectors whose repacked kernel starts at {@code kOff}: the max of their
     * sums to {@code out[o..]} as {@code mode} says. The micro-kernel leaves its sums in
     * {@code acc[0 .. 4 * nv * L)}, pixel after pixel: it takes as few arguments as possible, as
     * every value live across its loop competes with the accumulators for registers (passing the
     * four output offsets and the mode made it 20% slower).
     */
    private static void group(int nv, float[] a, int a0, int a1, int a2, int a3, int taps, float[] k, int kOff,
            float[] acc, float[] out, int o, int mode) {
        compute(nv, a, a0, a1, a2, a3, taps, k, kOff, acc);
        poolEpilogue(nv, acc, out, o, mode);
    }

    /** The micro-kernel for a block of {@code nv} filter vectors: sums to {@code acc[0, 4 * nv * L)}. */
    private static void compute(int nv, float[] a, int a0, int a1, int a2, int a3, int taps, float[] k, int kOff,
            float[] acc) {
        if (nv == 2 && a1 == a0 + PATCH_STRIDE && a2 == a0 + 2 * PATCH_STRIDE && a3 == a0 + 3 * PATCH_STRIDE) {
            quad2s(a, a0, taps, k, kOff, acc);
        } else if (nv == 2) {
            quad2(a, a0, a1, a2, a3, taps, k, kOff, acc);
        } else {
            quad1(a, a0, a1, a2, a3, taps, k, kOff, acc);
        }
    }

    /** Stores (or merges, as {@code mode} says) the max of the 4 pixels' sums in {@code acc} at {@code out[o..]}. */
    private static void poolEpilogue(int nv, float[] acc, float[] out, int o, int mode) {
        int span = nv * L;
        for (int v = 0; v < span; v += L) {
            FloatVector m = FloatVector.fromArray(S, acc, v).max(FloatVector.fromArray(S, acc, span + v))
                    .max(FloatVector.fromArray(S, acc, 2 * span + v).max(FloatVector.fromArray(S, acc, 3 * span + v)));
            if (mode == POOL_MERGE) {
                m = EXACT.cast(m).max(FloatVector.fromArray(S, out, o + v));
            }
            EXACT.cast(m).intoArray(out, o + v);
        }
    }

    /** 4 pixels x 2 filter vectors: 8 accumulators, one loop over the taps. */
    private static void quad2(float[] a, int a0, int a1, int a2, int a3, int taps, float[] k, int kOff,
            float[] acc) {
        FloatVector c00 = FloatVector.zero(S);
        FloatVector c01 = c00;
        FloatVector c10 = c00;
        FloatVector c11 = c00;
        FloatVector c20 = c00;
        FloatVector c21 = c00;
        FloatVector c30 = c00;
        FloatVector c31 = c00;
        for (int t = 0; t < taps; t++) {
            int kk = kOff + t * (2 * L);
            FloatVector k0 = FloatVector.fromArray(S, k, kk);
            FloatVector k1 = FloatVector.fromArray(S, k, kk + L);
            FloatVector x = FloatVector.broadcast(S, a[a0 + t]);
            c00 = x.fma(k0, c00);
            c01 = x.fma(k1, c01);
            x = FloatVector.broadcast(S, a[a1 + t]);
            c10 = x.fma(k0, c10);
            c11 = x.fma(k1, c11);
            x = FloatVector.broadcast(S, a[a2 + t]);
            c20 = x.fma(k0, c20);
            c21 = x.fma(k1, c21);
            x = FloatVector.broadcast(S, a[a3 + t]);
            c30 = x.fma(k0, c30);
            c31 = x.fma(k1, c31);
        }
        EXACT.cast(c00).intoArray(acc, 0);
        EXACT.cast(c01).intoArray(acc, L);
        EXACT.cast(c10).intoArray(acc, 2 * L);
        EXACT.cast(c11).intoArray(acc, 3 * L);
        EXACT.cast(c20).intoArray(acc, 4 * L);
        EXACT.cast(c21).intoArray(acc, 5 * L);
        EXACT.cast(c30).intoArray(acc, 6 * L);
        EXACT.cast(c31).intoArray(acc, 7 * L);
    }

    /**
     * {@link #quad2} for patches {@value #PATCH_STRIDE} floats apart: the 4 broadcasts share one
     * index register (constant displacements), which frees 3 registers and 3 adds per tap.
     */
    private static void quad2s(float[] a, int a0, int taps, float[] k, int kOff, float[] acc) {
        FloatVector c00 = FloatVector.zero(S);
        FloatVector c01 = c00;
        FloatVector c10 = c00;
        FloatVector c11 = c00;
        FloatVector c20 = c00;
        FloatVector c21 = c00;
        FloatVector c30 = c00;
        FloatVector c31 = c00;
        for (int t = 0; t < taps; t++) {
            int kk = kOff + t * (2 * L);
            FloatVector k0 = FloatVector.fromArray(S, k, kk);
            FloatVector k1 = FloatVector.fromArray(S, k, kk + L);
            int i = a0 + t;
            FloatVector x = FloatVector.broadcast(S, a[i]);
            c00 = x.fma(k0, c00);
            c01 = x.fma(k1, c01);
            x = FloatVector.broadcast(S, a[i + PATCH_STRIDE]);
            c10 = x.fma(k0, c10);
            c11 = x.fma(k1, c11);
            x = FloatVector.broadcast(S, a[i + 2 * PATCH_STRIDE]);
            c20 = x.fma(k0, c20);
            c21 = x.fma(k1, c21);
            x = FloatVector.broadcast(S, a[i + 3 * PATCH_STRIDE]);
            c30 = x.fma(k0, c30);
            c31 = x.fma(k1, c31);
        }
        EXACT.cast(c00).intoArray(acc, 0);
        EXACT.cast(c01).intoArray(acc, L);
        EXACT.cast(c10).intoArray(acc, 2 * L);
        EXACT.cast(c11).intoArray(acc, 3 * L);
        EXACT.cast(c20).intoArray(acc, 4 * L);
        EXACT.cast(c21).intoArray(acc, 5 * L);
        EXACT.cast(c30).intoArray(acc, 6 * L);
        EXACT.cast(c31).intoArray(acc, 7 * L);
    }

    /** 4 pixels x 1 filter vector (the odd vector left over by {@link #quad2}). */
    private static void quad1(float[] a, int a0, int a1, int a2, int a3, int taps, float[] k, int kOff,
            float[] acc) {
        FloatVector c0 = FloatVector.zero(S);
        FloatVector c1 = c0;
        FloatVector c2 = c0;
        FloatVector c3 = c0;
        for (int t = 0; t < taps; t++) {
            FloatVector k0 = FloatVector.fromArray(S, k, kOff + t * L);
            c0 = FloatVector.broadcast(S, a[a0 + t]).fma(k0, c0);
            c1 = FloatVector.broadcast(S, a[a1 + t]).fma(k0, c1);
            c2 = FloatVector.broadcast(S, a[a2 + t]).fma(k0, c2);
            c3 = FloatVector.broadcast(S, a[a3 + t]).fma(k0, c3);
        }
        EXACT.cast(c0).intoArray(acc, 0);
        EXACT.cast(c1).intoArray(acc, L);
        EXACT.cast(c2).intoArray(acc, 2 * L);
        EXACT.cast(c3).intoArray(acc, 3 * L);
    }

    /**
     * The sums of one block of 2 filter vectors for the 4 patches at input offsets {@code i0..i3},
     * read straight from the input, kernel row by kernel row ({@link #quad2Add} per row), into
     * {@code acc[0, 8L)}. For a layer with a single filter block: there the patch copy of
     * {@link #pack} serves one block only and costs a third of the multiply-adds; here the sums make
     * a round trip through {@code acc} per kernel row instead (16 vector moves per row of at least
     * {@value #ROW_TAPS} taps x 8 multiply-adds).
     */
    private static void rowsQuad2(float[] in, int i0, int i1, int i2, int i3, int kh, int kwc, int rowStride,
            float[] k, int kOff, float[] acc) {
        if (kh == 3) {
            rows3Quad2(in, i0, i1, i2, i3, kwc, rowStride, k, kOff, acc);
            return;
        }
        java.util.Arrays.fill(acc, 0, 8 * L, 0f);
        for (int r = 0; r < kh; r++) {
            int d = r * rowStride;
            quad2Add(in, i0 + d, i1 + d, i2 + d, i3 + d, kwc, k, kOff + r * kwc * 2 * L, acc);
        }
    }

    /**
     * {@link #rowsQuad2} for the common 3-row kernel: one loop over the columns of a row takes the
     * tap of each of the 3 rows, so the sums stay in registers for the whole patch (no round trip
     * through {@code acc}) and the loop's own work is shared by 3 taps. Every input index is linear in
     * the loop variable, so C2 hoists the bounds checks.
     */
    private static void rows3Quad2(float[] a, int i0, int i1, int i2, int i3, int kwc, int rs, float[] k, int kOff,
            float[] acc) {
        FloatVector c00 = FloatVector.zero(S);
        FloatVector c01 = c00;
        FloatVector c10 = c00;
        FloatVector c11 = c00;
        FloatVector c20 = c00;
        FloatVector c21 = c00;
        FloatVector c30 = c00;
        FloatVector c31 = c00;
        int row = kwc * 2 * L;
        for (int j = 0; j < kwc; j++) {
            for (int r = 0; r < 3; r++) { // constant trip count: C2 unrolls it fully, no loop phi for the vectors
                int kk = kOff + r * row + j * (2 * L);
                int d = r * rs + j;
                FloatVector k0 = FloatVector.fromArray(S, k, kk);
                FloatVector k1 = FloatVector.fromArray(S, k, kk + L);
                FloatVector x = FloatVector.broadcast(S, a[i0 + d]);
                c00 = x.fma(k0, c00);
                c01 = x.fma(k1, c01);
                x = FloatVector.broadcast(S, a[i1 + d]);
                c10 = x.fma(k0, c10);
                c11 = x.fma(k1, c11);
                x = FloatVector.broadcast(S, a[i2 + d]);
                c20 = x.fma(k0, c20);
                c21 = x.fma(k1, c21);
                x = FloatVector.broadcast(S, a[i3 + d]);
                c30 = x.fma(k0, c30);
                c31 = x.fma(k1, c31);
            }
        }
        EXACT.cast(c00).intoArray(acc, 0);
        EXACT.cast(c01).intoArray(acc, L);
        EXACT.cast(c10).intoArray(acc, 2 * L);
        EXACT.cast(c11).intoArray(acc, 3 * L);
        EXACT.cast(c20).intoArray(acc, 4 * L);
        EXACT.cast(c21).intoArray(acc, 5 * L);
        EXACT.cast(c30).intoArray(acc, 6 * L);
        EXACT.cast(c31).intoArray(acc, 7 * L);
    }

    /** {@link #quad2}, adding to the sums in {@code acc} instead of starting from zero. */
    private static void quad2Add(float[] a, int a0, int a1, int a2, int a3, int taps, float[] k, int kOff,
            float[] acc) {
        FloatVector c00 = FloatVector.fromArray(S, acc, 0);
        FloatVector c01 = FloatVector.fromArray(S, acc, L);
        FloatVector c10 = FloatVector.fromArray(S, acc, 2 * L);
        FloatVector c11 = FloatVector.fromArray(S, acc, 3 * L);
        FloatVector c20 = FloatVector.fromArray(S, acc, 4 * L);
        FloatVector c21 = FloatVector.fromArray(S, acc, 5 * L);
        FloatVector c30 = FloatVector.fromArray(S, acc, 6 * L);
        FloatVector c31 = FloatVector.fromArray(S, acc, 7 * L);
        for (int t = 0; t < taps; t++) {
            int kk = kOff + t * (2 * L);
            FloatVector k0 = FloatVector.fromArray(S, k, kk);
            FloatVector k1 = FloatVector.fromArray(S, k, kk + L);
            FloatVector x = FloatVector.broadcast(S, a[a0 + t]);
            c00 = x.fma(k0, c00);
            c01 = x.fma(k1, c01);
            x = FloatVector.broadcast(S, a[a1 + t]);
            c10 = x.fma(k0, c10);
            c11 = x.fma(k1, c11);
            x = FloatVector.broadcast(S, a[a2 + t]);
            c20 = x.fma(k0, c20);
            c21 = x.fma(k1, c21);
            x = FloatVector.broadcast(S, a[a3 + t]);
            c30 = x.fma(k0, c30);
            c31 = x.fma(k1, c31);
        }
        EXACT.cast(c00).intoArray(acc, 0);
        EXACT.cast(c01).intoArray(acc, L);
        EXACT.cast(c10).intoArray(acc, 2 * L);
        EXACT.cast(c11).intoArray(acc, 3 * L);
        EXACT.cast(c20).intoArray(acc, 4 * L);
        EXACT.cast(c21).intoArray(acc, 5 * L);
        EXACT.cast(c30).intoArray(acc, 6 * L);
        EXACT.cast(c31).intoArray(acc, 7 * L);
    }

    /** Adds bias and applies ReLU to {@code nv} vectors at {@code out[o ..]}, bias from {@code bias[fb ..]}. */
    private static void finishVectors(float[] out, int o, int nv, float[] bias, int fb, boolean relu) {
        for (int v = 0; v < nv; v++) {
            FloatVector a = FloatVector.fromArray(S, out, o + v * L);
            if (bias != null) {
                a = EXACT.cast(a).add(FloatVector.fromArray(S, bias, fb + v * L));
            }
            if (relu) {
                a = EXACT.cast(a).max(0f);
            }
            EXACT.cast(a).intoArray(out, o + v * L);
        }
    }

    /**
     * The filters past the last whole vector ({@code f % L} of them, their kernel block padded with zeros
     * to a vector: {@link PackedLayout}) of every pixel: 4 pixels at a time on {@link #quad1}, the real
     * lanes stored one by one with the bias, the residual and ReLU as {@link #storePixel} applies them.
     * Before, one scalar dot product per output and filter: MobileNetV2's 56x56 1x1 layers to 24 filters
     * took 1.1-1.8 ms each at 512 bits (8 of their 24 filters past the vector), 6 G multiply-adds/s.
     */
    private static void convTailVector(float[] in, int w, int c, float[] k, int kh, int kw, int f, float[] bias,
            int sh, int sw, float[] out, int oh, int ow, float[] residual, boolean relu, float[] scratch) {
        int tail = f % L;
        if (tail == 0) {
            return;
        }
        int f0 = f - tail;
        int taps = kh * kw * c;
        int pixels = oh * ow;
        boolean packs = kh > 1;
        int ps = patchStride(taps);
        for (int p = 0, y = 0, x = 0; p < pixels; p += 4) {
            int i0 = (y * sh * w + x * sw) * c;
            int i1 = i0;
            int i2 = i0;
            int i3 = i0;
            if (++x == ow) {
                x = 0;
                y++;
            }
            if (p + 1 < pixels) {
                i1 = (y * sh * w + x * sw) * c;
                if (++x == ow) {
                    x = 0;
                    y++;
                }
            }
            i2 = i1;
            if (p + 2 < pixels) {
                i2 = (y * sh * w + x * sw) * c;
                if (++x == ow) {
                    x = 0;
                    y++;
                }
            }
            i3 = i2;
            if (p + 3 < pixels) {
                i3 = (y * sh * w + x * sw) * c;
                if (++x == ow) {
                    x = 0;
                    y++;
                }
            }
            if (packs) {
                pack(in, i0, i1, i2, i3, kh, kw * c, w * c, scratch);
                quad1(scratch, PATCHES, PATCHES + ps, PATCHES + 2 * ps, PATCHES + 3 * ps, taps, k, taps * f0, scratch);
            } else {
                quad1(in, i0, i1, i2, i3, taps, k, taps * f0, scratch);
            }
            for (int q = 0; q < 4 && p + q < pixels; q++) {
                int o = (p + q) * f + f0;
                for (int j = 0; j < tail; j++) {
                    float s = scratch[q * L + j];
                    if (bias != null) {
                        s += bias[f0 + j];
                    }
                    if (residual != null) {
                        s += residual[o + j];
                    }
                    out[o + j] = relu ? Math.max(s, 0f) : s;
                }
            }
        }
    }

    // ---------------------------------------------------------------------------- conv2dMaxPool

    @Override
    public void conv2dMaxPool(float[] in, int h, int w, int c, float[] kernel, int kh, int kw, int f,
            float[] bias, int sh, int sw, int ph, int pw, int psh, int psw, float[] out, int poh, int pow,
            boolean relu, float[] scratch) {
        int vectors = f / L;
        int window = ph * pw;
        int taps = kh * kw * c;
        boolean packs = kh > 1;
        if (WIDE && c == 1 && kh == 3 && kw == 3 && sh == 1 && sw == 1 && ph == 2 && pw == 2 && psh == 2 && psw == 2
                && vectors % 2 == 0 && pow >= 2) {
            oneChannelPooled(in, w, kernel, f, vectors, bias, out, poh, pow, relu);
            poolTailVector(in, w, c, kernel, kh, kw, f, bias, sh, sw, ph, pw, psh, psw, out, poh, pow, relu, scratch);
            return;
        }
        if (packs && window <= 4 && taps <= SMALL_TAPS && vectors >= 2) {
            poolSmall(in, w, c, kernel, kh, kw * c, f, bias, sh, sw, pw, window, psh, psw, out, poh, pow, relu, scratch);
            poolTailVector(in, w, c, kernel, kh, kw, f, bias, sh, sw, ph, pw, psh, psw, out, poh, pow, relu, scratch);
            return;
        }
        if (kh == 3 && sh == 1 && ph == 2 && pw == 2 && psh == 2 && psw == 2 && poh >= 2 && pow >= 2
                && (vectors == 1 || WIDE && vectors % 2 == 0 && taps > SMALL_TAPS)) {
            pooledTall(in, w, c, kernel, kw * c, f, vectors, bias, sw, out, poh, pow, relu, scratch);
            poolTailVector(in, w, c, kernel, kh, kw, f, bias, sh, sw, ph, pw, psh, psw, out, poh, pow, relu, scratch);
            return;
        }
        boolean byRows = byRows(kh, kw * c, vectors);
        packs &= !byRows;
        int d1 = windowOffset(1, 0, 0, pw, window, sh, sw, w, c);
        int d2 = windowOffset(2, 0, 0, pw, window, sh, sw, w, c);
        int d3 = windowOffset(3, 0, 0, pw, window, sh, sw, w, c);
        for (int py = 0; py < poh; py++) {
            for (int px = 0; px < pow; px++) {
                int o = (py * pow + px) * f;
                int y0 = py * psh;
                int x0 = px * psw;
                for (int e = 0; e < window; e += 4) {
                    // a window of up to 4 pixels (the usual 2x2) from precomputed steps: the divisions
                    // of windowOffset cost as much as a few taps
                    int i0 = window <= 4 ? (y0 * sh * w + x0 * sw) * c : windowOffset(e, y0, x0, pw, window, sh, sw, w, c);
                    int i1 = window <= 4 ? i0 + d1 : windowOffset(e + 1, y0, x0, pw, window, sh, sw, w, c);
                    int i2 = window <= 4 ? i0 + d2 : windowOffset(e + 2, y0, x0, pw, window, sh, sw, w, c);
                    int i3 = window <= 4 ? i0 + d3 : windowOffset(e + 3, y0, x0, pw, window, sh, sw, w, c);
                    if (byRows) {
                        int mode = e == 0 ? POOL_FIRST : POOL_MERGE;
                        for (int f0 = 0; f0 < vectors * L; f0 += 2 * L) {
                            rowsQuad2(in, i0, i1, i2, i3, kh, kw * c, w * c, kernel, taps * f0, scratch);
                            poolEpilogue(2, scratch, out, o + f0, mode);
                        }
                        continue;
                    }
                    if (packs) {
                        pack(in, i0, i1, i2, i3, kh, kw * c, w * c, scratch);
                    }
                    float[] a = packs ? scratch : in;
                    int a0 = packs ? PATCHES : i0;
                    int a1 = packs ? PATCHES + patchStride(taps) : i1;
                    int a2 = packs ? PATCHES + 2 * patchStride(taps) : i2;
                    int a3 = packs ? PATCHES + 3 * patchStride(taps) : i3;
                    int mode = e == 0 ? POOL_FIRST : POOL_MERGE;
                    for (int v = 0, nv; v < vectors; v += nv) {
                        nv = PackedLayout.convBlockVectors(vectors - v);
                        int f0 = v * L;
                        group(nv, a, a0, a1, a2, a3, taps, kernel, taps * f0, scratch, out, o + f0, mode);
                    }
                }
                finishVectors(out, o, vectors, bias, 0, relu);
            }
        }
        poolTailVector(in, w, c, kernel, kh, kw, f, bias, sh, sw, ph, pw, psh, psw, out, poh, pow, relu, scratch);
    }

    /**
     * A 3-row convolution at row stride 1 followed by a 2x2 max pool at stride 2 (VGG's blocks, MnistNet's
     * second layer), straight from the input: with one filter vector on the 2-row tiles of
     * {@link #rows3Tall} (2 conv rows x 4 pixels, 2 pooled pixels), or on 32 registers with pixels 16
     * floats apart the 4 x 4 of {@link #rows3Tall4x4Step16Pooled} (2 x 2 pooled pixels); with 32
     * registers and an even number of filter vectors the 4-row tiles of {@link #rows3Tall4x2} (2 pooled
     * rows x 1 pooled pixel). Each pooled value is the max of its 4 sums, then the bias and ReLU (both
     * commute with max). Measured, same JVM, 512-bit: the VGG-style model (two such layers of 16 filters) 47-48 us against 80
     * with {@link #quad1}'s 4 pixels; MnistNet's conv2 + pool2 14.8 us (91% of the FMA peak) against 16.8
     * (80%) with the patch copy. With one filter vector a last odd pooled column (or, 4 x 4, row) is
     * computed by a tile that starts one earlier, storing the same values again; with more, an odd last
     * pooled row takes the 2-row tiles of {@link #rows3Tall2}.
     */
    private static void pooledTall(float[] in, int w, int c, float[] k, int kwc, int f, int vectors, float[] bias,
            int sw, float[] out, int poh, int pow, boolean relu, float[] acc) {
        int rs = w * c;
        int step = sw * c;
        int taps = 3 * kwc;
        if (vectors == 1 && WIDE && step == 16) {
            for (int py = 0; py < poh; py += 2) {
                int y0 = Math.min(py, poh - 2);
                for (int px = 0; px < pow; px += 2) {
                    int x0 = Math.min(px, pow - 2);
                    rows3Tall4x4Step16Pooled(in, (2 * y0 * w + 2 * x0 * sw) * c, kwc, rs, k, out,
                            (y0 * pow + x0) * f, pow * f, f, bias, relu);
                }
            }
            return;
        }
        if (vectors == 1) {
            for (int py = 0; py < poh; py++) {
                for (int px = 0; px < pow; px += 2) {
                    int x0 = Math.min(px, pow - 2);
                    rows3Tall(in, (2 * py * w + 2 * x0 * sw) * c, step, kwc, rs, k, acc);
                    int o = (py * pow + x0) * f;
                    storeMax(L, acc, 0, L, 4 * L, 5 * L, out, o, bias, 0, relu);
                    storeMax(L, acc, 2 * L, 3 * L, 6 * L, 7 * L, out, o + f, bias, 0, relu);
                }
            }
            return;
        }
        for (int py = 0; py < poh; py += 2) {
            boolean lastOdd = py + 1 == poh; // an odd last pooled row: 2 conv rows, not 4 of which 2 recomputed
            for (int px = 0; px < pow; px++) {
                int i0 = (2 * py * w + 2 * px * sw) * c;
                int o = (py * pow + px) * f;
                for (int f0 = 0; f0 < vectors * L; f0 += 2 * L) {
                    if (lastOdd) {
                        rows3Tall2(in, i0, step, kwc, rs, k, taps * f0, acc);
                        storeMax(2 * L, acc, 0, 2 * L, 4 * L, 6 * L, out, o + f0, bias, f0, relu);
                    } else {
                        rows3Tall4x2(in, i0, step, kwc, rs, k, taps * f0, acc);
                        // sums row after row, 2 pixels of 2 vectors each: rows 0-1 pool to pooled row py, 2-3 to py + 1
                        storeMax(2 * L, acc, 0, 2 * L, 4 * L, 6 * L, out, o + f0, bias, f0, relu);
                        storeMax(2 * L, acc, 8 * L, 10 * L, 12 * L, 14 * L, out, o + pow * f + f0, bias, f0, relu);
                    }
                }
            }
        }
    }

    /**
     * A 3x3 convolution at stride 1 on a one-channel input (a grayscale image's first layer: MnistNet's conv1)
     * followed by a 2x2 max pool at stride 2, on 32 vector registers, filter vectors two at a time: each call
     * takes two neighbouring pool windows by {@link #oneChannel2x2}; a row's odd last window is taken by a
     * call that starts one window earlier, storing the same values again.
     */
    private static void oneChannelPooled(float[] in, int w, float[] k, int f, int vectors, float[] bias, float[] out,
            int poh, int pow, boolean relu) {
        for (int py = 0; py < poh; py++) {
            for (int px = 0; px < pow; px += 2) {
                int x0 = Math.min(px, pow - 2);
                int i0 = 2 * py * w + 2 * x0;
                int o = (py * pow + x0) * f;
                for (int v = 0; v < vectors; v += 2) {
                    oneChannel2x2(in, i0, w, k, 9 * v * L, out, o + v * L, f, bias, v * L, relu);
                }
            }
        }
    }

    /**
     * Two neighbouring 2x2 pool windows of a one-channel 3x3 convolution, 2 filter vectors: the 2 x 4 conv
     * pixels' 16 sums over the 4 x 6 input values from {@code in[i0]} (rows {@code w} apart), a kernel row at a
     * time, its 6 weight vectors in registers. Each input value is broadcast once for the up to 3 pixels x 2
     * vectors it feeds, 36 broadcasts for 144 multiply-adds, where {@link #small2x2} broadcasts one for every
     * 2 (its per-call work, a tap-offset table and a broadcast per FMA pair, left the FMA units idle: 37-45%
     * of the peak). Every sum takes its taps in {@link #small2x2}'s order and the max, bias and ReLU follow
     * it, so the results are the same bits.
     */
    private static void oneChannel2x2(float[] in, int i0, int w, float[] k, int kOff, float[] out, int o, int f,
            float[] bias, int fb, boolean relu) {
        // aYX_V: conv pixel (row Y, column X) of the 2 x 4, filter vector V; windows are columns 0-1 and 2-3
        FloatVector a000 = FloatVector.zero(S);
        FloatVector a001 = a000;
        FloatVector a010 = a000;
        FloatVector a011 = a000;
        FloatVector a020 = a000;
        FloatVector a021 = a000;
        FloatVector a030 = a000;
        FloatVector a031 = a000;
        FloatVector a100 = a000;
        FloatVector a101 = a000;
        FloatVector a110 = a000;
        FloatVector a111 = a000;
        FloatVector a120 = a000;
        FloatVector a121 = a000;
        FloatVector a130 = a000;
        FloatVector a131 = a000;
        for (int i = 0; i < 3; i++) {
            int kk = kOff + i * (6 * L); // taps (i, 0..2), 2 vectors each
            FloatVector k00 = FloatVector.fromArray(S, k, kk);
            FloatVector k01 = FloatVector.fromArray(S, k, kk + L);
            FloatVector k10 = FloatVector.fromArray(S, k, kk + 2 * L);
            FloatVector k11 = FloatVector.fromArray(S, k, kk + 3 * L);
            FloatVector k20 = FloatVector.fromArray(S, k, kk + 4 * L);
            FloatVector k21 = FloatVector.fromArray(S, k, kk + 5 * L);
            // conv row 0 reads input row i, conv row 1 input row i + 1; a column's pixel X takes tap s - X
            int r = i0 + i * w;
            FloatVector x = FloatVector.broadcast(S, in[r]);
            a000 = x.fma(k00, a000);
            a001 = x.fma(k01, a001);
            x = FloatVector.broadcast(S, in[r + 1]);
            a000 = x.fma(k10, a000);
            a001 = x.fma(k11, a001);
            a010 = x.fma(k00, a010);
            a011 = x.fma(k01, a011);
            x = FloatVector.broadcast(S, in[r + 2]);
            a000 = x.fma(k20, a000);
            a001 = x.fma(k21, a001);
            a010 = x.fma(k10, a010);
            a011 = x.fma(k11, a011);
            a020 = x.fma(k00, a020);
            a021 = x.fma(k01, a021);
            x = FloatVector.broadcast(S, in[r + 3]);
            a010 = x.fma(k20, a010);
            a011 = x.fma(k21, a011);
            a020 = x.fma(k10, a020);
            a021 = x.fma(k11, a021);
            a030 = x.fma(k00, a030);
            a031 = x.fma(k01, a031);
            x = FloatVector.broadcast(S, in[r + 4]);
            a020 = x.fma(k20, a020);
            a021 = x.fma(k21, a021);
            a030 = x.fma(k10, a030);
            a031 = x.fma(k11, a031);
            x = FloatVector.broadcast(S, in[r + 5]);
            a030 = x.fma(k20, a030);
            a031 = x.fma(k21, a031);
            r += w;
            x = FloatVector.broadcast(S, in[r]);
            a100 = x.fma(k00, a100);
            a101 = x.fma(k01, a101);
            x = FloatVector.broadcast(S, in[r + 1]);
            a100 = x.fma(k10, a100);
            a101 = x.fma(k11, a101);
            a110 = x.fma(k00, a110);
            a111 = x.fma(k01, a111);
            x = FloatVector.broadcast(S, in[r + 2]);
            a100 = x.fma(k20, a100);
            a101 = x.fma(k21, a101);
            a110 = x.fma(k10, a110);
            a111 = x.fma(k11, a111);
            a120 = x.fma(k00, a120);
            a121 = x.fma(k01, a121);
            x = FloatVector.broadcast(S, in[r + 3]);
            a110 = x.fma(k20, a110);
            a111 = x.fma(k21, a111);
            a120 = x.fma(k10, a120);
            a121 = x.fma(k11, a121);
            a130 = x.fma(k00, a130);
            a131 = x.fma(k01, a131);
            x = FloatVector.broadcast(S, in[r + 4]);
            a120 = x.fma(k20, a120);
            a121 = x.fma(k21, a121);
            a130 = x.fma(k10, a130);
            a131 = x.fma(k11, a131);
            x = FloatVector.broadcast(S, in[r + 5]);
            a130 = x.fma(k20, a130);
            a131 = x.fma(k21, a131);
        }
        // each window's max in small2's order (pixels row by row), then bias and ReLU as finishVectors
        FloatVector m0 = EXACT.cast(a000).max(EXACT.cast(a010)).max(EXACT.cast(a100).max(EXACT.cast(a110)));
        FloatVector m1 = EXACT.cast(a001).max(EXACT.cast(a011)).max(EXACT.cast(a101).max(EXACT.cast(a111)));
        FloatVector n0 = EXACT.cast(a020).max(EXACT.cast(a030)).max(EXACT.cast(a120).max(EXACT.cast(a130)));
        FloatVector n1 = EXACT.cast(a021).max(EXACT.cast(a031)).max(EXACT.cast(a121).max(EXACT.cast(a131)));
        if (bias != null) {
            FloatVector b0 = FloatVector.fromArray(S, bias, fb);
            FloatVector b1 = FloatVector.fromArray(S, bias, fb + L);
            m0 = EXACT.cast(m0).add(b0);
            m1 = EXACT.cast(m1).add(b1);
            n0 = EXACT.cast(n0).add(b0);
            n1 = EXACT.cast(n1).add(b1);
        }
        if (relu) {
            m0 = EXACT.cast(m0).max(0f);
            m1 = EXACT.cast(m1).max(0f);
            n0 = EXACT.cast(n0).max(0f);
            n1 = EXACT.cast(n1).max(0f);
        }
        EXACT.cast(m0).intoArray(out, o);
        EXACT.cast(m1).intoArray(out, o + L);
        EXACT.cast(n0).intoArray(out, o + f);
        EXACT.cast(n1).intoArray(out, o + f + L);
    }

    /**
     * Stores to {@code out[o..]} the max of the 4 pixels' sums at {@code acc[a0..]} .. {@code acc[a3..]},
     * {@code span} floats each, plus the bias (from {@code bias[f0..]}), through ReLU if asked.
     */
    private static void storeMax(int span, float[] acc, int a0, int a1, int a2, int a3, float[] out, int o,
            float[] bias, int f0, boolean relu) {
        for (int v = 0; v < span; v += L) {
            FloatVector m = FloatVector.fromArray(S, acc, a0 + v).max(FloatVector.fromArray(S, acc, a1 + v))
                    .max(FloatVector.fromArray(S, acc, a2 + v).max(FloatVector.fromArray(S, acc, a3 + v)));
            if (bias != null) {
                m = EXACT.cast(m).add(FloatVector.fromArray(S, bias, f0 + v));
            }
            if (relu) {
                m = EXACT.cast(m).max(0f);
            }
            EXACT.cast(m).intoArray(out, o + v);
        }
    }

    /**
     * A pool of at most 4 windows over a small patch (a first layer on 1 to 3 channels: 9 to 27 taps):
     * there the per-call work of the general path (a call, the sums' round trip through scratch,
     * four divisions for the window's offsets) outweighs the tap loop, so windows, filter blocks and
     * taps all run in this one method, and only the odd last filter vector goes through {@link #group}.
     * Vectors live within one tap loop and the code right after it (no loop above carries one).
     */
    private static void poolSmall(float[] in, int w, int c, float[] k, int kh, int kwc, int f, float[] bias, int sh,
            int sw, int pw, int window, int psh, int psw, float[] out, int poh, int pow, boolean relu,
            float[] scratch) {
        int taps = kh * kwc;
        int vectors = f / L;
        int d1 = windowOffset(1, 0, 0, pw, window, sh, sw, w, c);
        int d2 = windowOffset(2, 0, 0, pw, window, sh, sw, w, c);
        int d3 = windowOffset(3, 0, 0, pw, window, sh, sw, w, c);
        tapOffsets(taps, kwc, w * c, scratch);
        boolean pairs = WIDE && vectors % 2 == 0;
        for (int py = 0; py < poh; py++) {
            int px = 0;
            for (; pairs && px + 1 < pow; px += 2) {
                int i0 = (py * psh * sh * w + px * psw * sw) * c;
                int o = (py * pow + px) * f;
                for (int v = 0; v < vectors; v += 2) {
                    small2x2(in, i0, i0 + d1, i0 + d2, i0 + d3, psw * sw * c, taps, scratch, k, taps * v * L, out,
                            o + v * L, f, bias, v * L, relu);
                }
            }
            for (; px < pow; px++) {
                int i0 = (py * psh * sh * w + px * psw * sw) * c;
                int i1 = i0 + d1;
                int i2 = i0 + d2;
                int i3 = i0 + d3;
                int o = (py * pow + px) * f;
                for (int v = 0; v + 1 < vectors; v += 2) {
                    small2(in, i0, i1, i2, i3, taps, scratch, k, taps * v * L, out, o + v * L);
                }
                if (vectors % 2 != 0) {
                    int f0 = (vectors - 1) * L;
                    pack(in, i0, i1, i2, i3, kh, kwc, w * c, scratch);
                    int ps = patchStride(taps);
                    group(1, scratch, PATCHES, PATCHES + ps, PATCHES + 2 * ps, PATCHES + 3 * ps, taps, k,
                            taps * f0, scratch, out, o + f0, POOL_FIRST);
                    tapOffsets(taps, kwc, w * c, scratch); // pack overwrote them
                }
                finishVectors(out, o, vectors, bias, 0, relu);
            }
        }
    }

    /** The input offset of every tap relative to its patch, in {@code scratch[PATCHES ..]} as int bits. */
    private static void tapOffsets(int taps, int kwc, int rowStride, float[] scratch) {
        for (int t = 0, ij = 0, j = 0; t < taps; t++) {
            scratch[PATCHES + t] = Float.intBitsToFloat(ij);
            ij++;
            if (++j == kwc) {
                j = 0;
                ij += rowStride - kwc;
            }
        }
    }

    /**
     * One pool window of 4 pixels x 2 filter vectors for {@link #poolSmall}: taps at the input offsets
     * {@code i_p + offsets[PATCHES + t]} (int bits), the max of the 4 sums to {@code out[o..]}. A
     * method of its own, called per window: a vector loop nested in long-running loops gets
     * compiled on-stack first, and on JDK 17 that version can keep its vectors boxed.
     */
    private static void small2(float[] in, int i0, int i1, int i2, int i3, int taps, float[] offsets, float[] k,
            int kOff, float[] out, int o) {
        FloatVector c00 = FloatVector.zero(S);
        FloatVector c01 = c00;
        FloatVector c10 = c00;
        FloatVector c11 = c00;
        FloatVector c20 = c00;
        FloatVector c21 = c00;
        FloatVector c30 = c00;
        FloatVector c31 = c00;
        for (int t = 0; t < taps; t++) {
            int kk = kOff + t * (2 * L);
            int ij = Float.floatToRawIntBits(offsets[PATCHES + t]);
            FloatVector k0 = FloatVector.fromArray(S, k, kk);
            FloatVector k1 = FloatVector.fromArray(S, k, kk + L);
            FloatVector x = FloatVector.broadcast(S, in[i0 + ij]);
            c00 = x.fma(k0, c00);
            c01 = x.fma(k1, c01);
            x = FloatVector.broadcast(S, in[i1 + ij]);
            c10 = x.fma(k0, c10);
            c11 = x.fma(k1, c11);
            x = FloatVector.broadcast(S, in[i2 + ij]);
            c20 = x.fma(k0, c20);
            c21 = x.fma(k1, c21);
            x = FloatVector.broadcast(S, in[i3 + ij]);
            c30 = x.fma(k0, c30);
            c31 = x.fma(k1, c31);
        }
        EXACT.cast(c00).max(EXACT.cast(c10)).max(EXACT.cast(c20).max(EXACT.cast(c30))).intoArray(out, o);
        EXACT.cast(c01).max(EXACT.cast(c11)).max(EXACT.cast(c21).max(EXACT.cast(c31))).intoArray(out, o + L);
    }

    /**
     * Two neighbouring pool windows ({@code i_p} and {@code i_p + dx}; outputs {@code out[o..]} and
     * {@code out[o + dOut..]}) of 4 pixels x 2 filter vectors for {@link #poolSmall} on 32 vector
     * registers: 16 accumulators, each tap's 2 weight vectors loaded once for both windows; the max,
     * bias and ReLU applied here. One window's 8 chains of 9 dependent FMAs ({@link #small2}) left the
     * FMA units waiting on their latency: MnistNet's 1-channel conv1 + pool ran at 37% of the peak.
     */
    private static void small2x2(float[] in, int i0, int i1, int i2, int i3, int dx, int taps, float[] offsets,
            float[] k, int kOff, float[] out, int o, int dOut, float[] bias, int fb, boolean relu) {
        FloatVector c00 = FloatVector.zero(S);
        FloatVector c01 = c00;
        FloatVector c10 = c00;
        FloatVector c11 = c00;
        FloatVector c20 = c00;
        FloatVector c21 = c00;
        FloatVector c30 = c00;
        FloatVector c31 = c00;
        FloatVector e00 = c00;
        FloatVector e01 = c00;
        FloatVector e10 = c00;
        FloatVector e11 = c00;
        FloatVector e20 = c00;
        FloatVector e21 = c00;
        FloatVector e30 = c00;
        FloatVector e31 = c00;
        for (int t = 0; t < taps; t++) {
            int kk = kOff + t * (2 * L);
            int ij = Float.floatToRawIntBits(offsets[PATCHES + t]);
            FloatVector k0 = FloatVector.fromArray(S, k, kk);
            FloatVector k1 = FloatVector.fromArray(S, k, kk + L);
            FloatVector x = FloatVector.broadcast(S, in[i0 + ij]);
            c00 = x.fma(k0, c00);
            c01 = x.fma(k1, c01);
            x = FloatVector.broadcast(S, in[i0 + dx + ij]);
            e00 = x.fma(k0, e00);
            e01 = x.fma(k1, e01);
            x = FloatVector.broadcast(S, in[i1 + ij]);
            c10 = x.fma(k0, c10);
            c11 = x.fma(k1, c11);
            x = FloatVector.broadcast(S, in[i1 + dx + ij]);
            e10 = x.fma(k0, e10);
            e11 = x.fma(k1, e11);
            x = FloatVector.broadcast(S, in[i2 + ij]);
            c20 = x.fma(k0, c20);
            c21 = x.fma(k1, c21);
            x = FloatVector.broadcast(S, in[i2 + dx + ij]);
            e20 = x.fma(k0, e20);
            e21 = x.fma(k1, e21);
            x = FloatVector.broadcast(S, in[i3 + ij]);
            c30 = x.fma(k0, c30);
            c31 = x.fma(k1, c31);
            x = FloatVector.broadcast(S, in[i3 + dx + ij]);
            e30 = x.fma(k0, e30);
            e31 = x.fma(k1, e31);
        }
        // the max in the order of small2's, then bias and ReLU as finishVectors: the same bits
        FloatVector m0 = EXACT.cast(c00).max(EXACT.cast(c10)).max(EXACT.cast(c20).max(EXACT.cast(c30)));
        FloatVector m1 = EXACT.cast(c01).max(EXACT.cast(c11)).max(EXACT.cast(c21).max(EXACT.cast(c31)));
        FloatVector n0 = EXACT.cast(e00).max(EXACT.cast(e10)).max(EXACT.cast(e20).max(EXACT.cast(e30)));
        FloatVector n1 = EXACT.cast(e01).max(EXACT.cast(e11)).max(EXACT.cast(e21).max(EXACT.cast(e31)));
        if (bias != null) {
            FloatVector b0 = FloatVector.fromArray(S, bias, fb);
            FloatVector b1 = FloatVector.fromArray(S, bias, fb + L);
            m0 = EXACT.cast(m0).add(b0);
            m1 = EXACT.cast(m1).add(b1);
            n0 = EXACT.cast(n0).add(b0);
            n1 = EXACT.cast(n1).add(b1);
        }
        if (relu) {
            m0 = EXACT.cast(m0).max(0f);
            m1 = EXACT.cast(m1).max(0f);
            n0 = EXACT.cast(n0).max(0f);
            n1 = EXACT.cast(n1).max(0f);
        }
        EXACT.cast(m0).intoArray(out, o);
        EXACT.cast(m1).intoArray(out, o + L);
        EXACT.cast(n0).intoArray(out, o + dOut);
        EXACT.cast(n1).intoArray(out, o + dOut + L);
    }

    /**
     * {@link #small2} for {@link #conv2d}: the 4 pixels stored to {@code out} at {@code o}, {@code o + f},
     * ... (none past {@code last}: a short group repeats its last pixel), as {@link #storePixel} would,
     * without its 4 calls, which took as long as a 3-channel stem's 4 x 2 x 27 FMAs.
     */
    private static void small2Store(float[] in, int i0, int i1, int i2, int i3, int taps, float[] offsets, float[] k,
            int kOff, float[] out, int o, int last, int f, float[] bias, int fb, float[] residual, boolean relu) {
        FloatVector c00 = FloatVector.zero(S);
        FloatVector c01 = c00;
        FloatVector c10 = c00;
        FloatVector c11 = c00;
        FloatVector c20 = c00;
        FloatVector c21 = c00;
        FloatVector c30 = c00;
        FloatVector c31 = c00;
        for (int t = 0; t < taps; t++) {
            int kk = kOff + t * (2 * L);
            int ij = Float.floatToRawIntBits(offsets[PATCHES + t]);
            FloatVector k0 = FloatVector.fromArray(S, k, kk);
            FloatVector k1 = FloatVector.fromArray(S, k, kk + L);
            FloatVector x = FloatVector.broadcast(S, in[i0 + ij]);
            c00 = x.fma(k0, c00);
            c01 = x.fma(k1, c01);
            x = FloatVector.broadcast(S, in[i1 + ij]);
            c10 = x.fma(k0, c10);
            c11 = x.fma(k1, c11);
            x = FloatVector.broadcast(S, in[i2 + ij]);
            c20 = x.fma(k0, c20);
            c21 = x.fma(k1, c21);
            x = FloatVector.broadcast(S, in[i3 + ij]);
            c30 = x.fma(k0, c30);
            c31 = x.fma(k1, c31);
        }
        int o1 = Math.min(o + f, last);
        int o2 = Math.min(o + 2 * f, last);
        int o3 = Math.min(o + 3 * f, last);
        int o0 = o;
        if (bias != null) {
            FloatVector b0 = FloatVector.fromArray(S, bias, fb);
            FloatVector b1 = FloatVector.fromArray(S, bias, fb + L);
            c00 = EXACT.cast(c00).add(b0);
            c01 = EXACT.cast(c01).add(b1);
            c10 = EXACT.cast(c10).add(b0);
            c11 = EXACT.cast(c11).add(b1);
            c20 = EXACT.cast(c20).add(b0);
            c21 = EXACT.cast(c21).add(b1);
            c30 = EXACT.cast(c30).add(b0);
            c31 = EXACT.cast(c31).add(b1);
        }
        if (residual != null) {
            c00 = EXACT.cast(c00).add(FloatVector.fromArray(S, residual, o0));
            c01 = EXACT.cast(c01).add(FloatVector.fromArray(S, residual, o0 + L));
            c10 = EXACT.cast(c10).add(FloatVector.fromArray(S, residual, o1));
            c11 = EXACT.cast(c11).add(FloatVector.fromArray(S, residual, o1 + L));
            c20 = EXACT.cast(c20).add(FloatVector.fromArray(S, residual, o2));
            c21 = EXACT.cast(c21).add(FloatVector.fromArray(S, residual, o2 + L));
            c30 = EXACT.cast(c30).add(FloatVector.fromArray(S, residual, o3));
            c31 = EXACT.cast(c31).add(FloatVector.fromArray(S, residual, o3 + L));
        }
        if (relu) {
            c00 = EXACT.cast(c00).max(0f);
            c01 = EXACT.cast(c01).max(0f);
            c10 = EXACT.cast(c10).max(0f);
            c11 = EXACT.cast(c11).max(0f);
            c20 = EXACT.cast(c20).max(0f);
            c21 = EXACT.cast(c21).max(0f);
            c30 = EXACT.cast(c30).max(0f);
            c31 = EXACT.cast(c31).max(0f);
        }
        EXACT.cast(c00).intoArray(out, o0);
        EXACT.cast(c01).intoArray(out, o0 + L);
        EXACT.cast(c10).intoArray(out, o1);
        EXACT.cast(c11).intoArray(out, o1 + L);
        EXACT.cast(c20).intoArray(out, o2);
        EXACT.cast(c21).intoArray(out, o2 + L);
        EXACT.cast(c30).intoArray(out, o3);
        EXACT.cast(c31).intoArray(out, o3 + L);
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

    /**
     * {@link #convTailVector} for {@link #conv2dMaxPool}: the tail filters of each pool window's pixels
     * on {@link #quad1}, 4 pixels a call, the max of the real lanes kept one by one ({@code Math.max}, so a
     * NaN reaches the pooled value), then the bias and ReLU.
     */
    private static void poolTailVector(float[] in, int w, int c, float[] k, int kh, int kw, int f, float[] bias,
            int sh, int sw, int ph, int pw, int psh, int psw, float[] out, int poh, int pow, boolean relu,
            float[] scratch) {
        int tail = f % L;
        if (tail == 0) {
            return;
        }
        int f0 = f - tail;
        int taps = kh * kw * c;
        int window = ph * pw;
        boolean packs = kh > 1;
        int ps = patchStride(taps);
        for (int py = 0; py < poh; py++) {
            for (int px = 0; px < pow; px++) {
                int o = (py * pow + px) * f + f0;
                for (int e = 0; e < window; e += 4) {
                    int i0 = windowOffset(e, py * psh, px * psw, pw, window, sh, sw, w, c);
                    int i1 = windowOffset(e + 1, py * psh, px * psw, pw, window, sh, sw, w, c);
                    int i2 = windowOffset(e + 2, py * psh, px * psw, pw, window, sh, sw, w, c);
                    int i3 = windowOffset(e + 3, py * psh, px * psw, pw, window, sh, sw, w, c);
                    if (packs) {
                        pack(in, i0, i1, i2, i3, kh, kw * c, w * c, scratch);
                        quad1(scratch, PATCHES, PATCHES + ps, PATCHES + 2 * ps, PATCHES + 3 * ps, taps, k, taps * f0,
                                scratch);
                    } else {
                        quad1(in, i0, i1, i2, i3, taps, k, taps * f0, scratch);
                    }
                    for (int j = 0; j < tail; j++) {
                        float m = Math.max(Math.max(scratch[j], scratch[L + j]),
                                Math.max(scratch[2 * L + j], scratch[3 * L + j]));
                        out[o + j] = e == 0 ? m : Math.max(out[o + j], m);
                    }
                }
                for (int j = 0; j < tail; j++) {
                    float m = out[o + j] + (bias == null ? 0f : bias[f0 + j]);
                    out[o + j] = relu ? Math.max(m, 0f) : m;
                }
            }
        }
    }

    // ----------------------------------------------------------------------------- depthwise

    /**
     * Channels innermost, so a vector holds {@code L} channels of one pixel, and the kernel (taken as
     * Keras stores it) a tap's weights for them. Per 8 output pixels of a row ({@link #depthwise8}) and
     * channel vector: 8 accumulators, each tap's weight vector loaded once for the 8 pixels; a row's
     * last group starts 8 before its end and may store some pixels again. The padding is not copied:
     * a row takes only the kernel rows inside the input, and the columns whose taps are all inside
     * (all but a border as wide as the padding) take {@link #depthwise8} (or {@link #depthwise4} when
     * fewer than 8, {@link #depthwise1} when fewer than 4); the border's pixels take
     * {@link #depthwise1} on the taps inside. 3-wide kernels at stride 1 or 2, undilated, with at most a
     * column of padding each side (MobileNets') take whole rows column by column instead
     * ({@link #depthwiseColumns3}, {@link #depthwiseStride2Columns3} where 3 kernel rows fall inside the input,
     * their twins where 2 do; at stride 1 on 32 registers two rows at once, {@link #depthwiseColumnsPair}).
     * Channels past the last vector, and depth multipliers above 1, take the plain-Java loops. Before,
     * generated loops: MobileNetV2's 17 depthwise layers took 13.3 of its 20.7 ms at 512 bits (1.6 G
     * multiply-adds/s in its first one).
     */
    @Override
    public void depthwiseConv2d(float[] in, int h, int w, int c, float[] kernel, int kh, int kw, int m, int dh,
            int dw, float[] bias, int sh, int sw, int padTop, int padLeft, float[] out, int oh, int ow, float floor,
            float ceiling) {
        if (m != 1) {
            ScalarKernels.depthwise(in, h, w, c, kernel, kh, kw, m, dh, dw, bias, sh, sw, padTop, padLeft, out, oh, ow,
                    floor, ceiling, 0);
            return;
        }
        int vectorChannels = c - c % L;
        int step = sw * c;
        int columnStep = dw * c;
        int rowStep = dh * w * c;
        // the columns whose kw taps are all inside the input: [xa, xb)
        int xa = Math.min(ow, (padLeft + sw - 1) / sw);
        int xb = Math.max(xa, Math.min(ow, Math.floorDiv(w - 1 - (kw - 1) * dw + padLeft, sw) + 1));
        int inner = xb - xa;
        int group = inner >= 8 ? 8 : inner >= 4 ? 4 : 1;
        // 3x3 rows at stride 1 or 2, undilated, with at most one column of padding each side (MobileNets'): column by
        // column, each input column loaded once per kernel row for the pixels it feeds (the kernels take the 3
        // kernel rows, or the 2 that fall inside the input in a padded layer's first and last rows); at stride 2
        // each pixel's last column is the next one's first
        boolean columns = kh == 3 && kw == 3 && dw == 1 && padLeft <= 1 && (sw == 1
                ? ow + 2 - padLeft - w <= 1 && w >= 2 - padLeft
                : sw == 2 && 2 * ow - padLeft <= w && w >= 2);
        // with 32 vector registers, two neighbouring output rows at once where both have their 3 kernel rows
        boolean pairs = WIDE && columns && sw == 1 && sh == 1 && dh == 1;
        for (int y = 0; y < oh; y++) {
            int r0 = y * sh - padTop;
            int iLo = ScalarKernels.firstTapInside(r0, dh);
            int iHi = Math.max(iLo, ScalarKernels.lastTapInside(r0, dh, h, kh));
            int taps = (iHi - iLo) * kw;
            int rowBase = (r0 + iLo * dh) * w; // the first kernel row inside, in pixels
            int kRow = iLo * kw * c;
            if (pairs && iHi - iLo == 3 && y + 1 < oh && ScalarKernels.lastTapInside(r0 + 1, dh, h, kh) == 3) {
                for (int ch = 0; ch < vectorChannels; ch += L) { // this row and the next, both on 3 kernel rows
                    depthwiseColumnsPair(in, rowBase * c + ch, c, kernel, kRow + ch, rowStep, padLeft, w, ow, bias,
                            ch, out, y * ow * c + ch, ow * c, floor, ceiling);
                }
                y++;
                continue;
            }
            if (columns && iHi - iLo >= 2) {
                boolean three = iHi - iLo == 3;
                for (int ch = 0; ch < vectorChannels; ch += L) {
                    int i0 = rowBase * c + ch;
                    int o = y * ow * c + ch;
                    if (sw == 1 && three) {
                        depthwiseColumns3(in, i0, c, kernel, kRow + ch, rowStep, padLeft, w, ow, bias, ch, out, o,
                                floor, ceiling);
                    } else if (sw == 1) {
                        depthwiseColumns2(in, i0, c, kernel, kRow + ch, rowStep, padLeft, w, ow, bias, ch, out, o,
                                floor, ceiling);
                    } else if (three) {
                        depthwiseStride2Columns3(in, i0, c, kernel, kRow + ch, rowStep, padLeft, w, ow, bias, ch, out,
                                o, floor, ceiling);
                    } else {
                        depthwiseStride2Columns2(in, i0, c, kernel, kRow + ch, rowStep, padLeft, w, ow, bias, ch, out,
                                o, floor, ceiling);
                    }
                }
                continue;
            }
            for (int x = xa; x < xb; x += group) {
                int x0 = Math.min(x, xb - group); // the last group may overlap the one before
                int i0 = (rowBase + x0 * sw - padLeft) * c;
                int o = (y * ow + x0) * c;
                for (int ch = 0; ch < vectorChannels; ch += L) {
                    if (group == 8) {
                        depthwise8(in, i0 + ch, step, kernel, kRow + ch, c, taps, kw, columnStep, rowStep, bias, ch,
                                out, o + ch, floor, ceiling);
                    } else if (group == 4) {
                        depthwise4(in, i0 + ch, step, kernel, kRow + ch, c, taps, kw, columnStep, rowStep, bias, ch,
                                out, o + ch, floor, ceiling);
                    } else {
                        depthwise1(in, i0 + ch, kernel, kRow + ch, c, taps, kw, 0, columnStep, rowStep, bias, ch,
                                out, o + ch, floor, ceiling);
                    }
                }
            }
            for (int x = 0; x < ow; x++) { // the border columns
                if (x >= xa && x < xb) {
                    x = xb - 1;
                    continue;
                }
                int c0 = x * sw - padLeft;
                int jLo = ScalarKernels.firstTapInside(c0, dw);
                int jHi = Math.max(jLo, ScalarKernels.lastTapInside(c0, dw, w, kw));
                int i0 = (rowBase + c0 + jLo * dw) * c;
                int o = (y * ow + x) * c;
                for (int ch = 0; ch < vectorChannels; ch += L) {
                    depthwise1(in, i0 + ch, kernel, kRow + jLo * c + ch, c, (iHi - iLo) * (jHi - jLo), jHi - jLo,
                            (kw - (jHi - jLo)) * c, columnStep, rowStep, bias, ch, out, o + ch, floor, ceiling);
                }
            }
        }
        if (vectorChannels < c) {
            ScalarKernels.depthwise(in, h, w, c, kernel, kh, kw, 1, dh, dw, bias, sh, sw, padTop, padLeft, out, oh, ow,
                    floor, ceiling, vectorChannels);
        }
    }

    /**
     * A whole output row of a 3x3 depthwise convolution at stride 1, undilated, with at most one column of
     * padding each side (every MobileNet's stride-1 layers), one channel vector, column by column: each input
     * column's 3 vectors (one per kernel row) are loaded once and feed the 3 pixels that read them (pixel
     * {@code s + padLeft - j} by tap column {@code j}), so a pixel costs 3 loads and 9 multiply-adds and the 9
     * weight vectors stay in registers. A pixel's taps are added column by column. The left padding's column is
     * read from {@link #ZEROS}, as Keras pads with zeros; a right padding column is left out. Replaced 8-pixel
     * tiles that loaded the 10 columns 8 pixels read per kernel row ({@code depthwise8x3}, with twins for a
     * row's first and last 8 pixels and for rows of 7): alone, same JVM, 'same' with ReLU6, 512-bit, 14x14x384
     * 20-22 -> 14-15 us, 56x56x144 127-129 -> 88-90 us, 28x28x192 44 -> 31-32 us (7x7x960 the same).
     *
     * @param i0 channel {@code ch} of the row's first input pixel (its first kernel row's)
     * @param kOff channel {@code ch} of the kernel's first row inside the input
     */
    private static void depthwiseColumns3(float[] in, int i0, int c, float[] k, int kOff, int rowStep, int padLeft,
            int w, int ow, float[] bias, int ch, float[] out, int o, float floor, float ceiling) {
        FloatVector w00 = FloatVector.fromArray(S, k, kOff);
        FloatVector w01 = FloatVector.fromArray(S, k, kOff + 1 * c);
        FloatVector w02 = FloatVector.fromArray(S, k, kOff + 2 * c);
        FloatVector w10 = FloatVector.fromArray(S, k, kOff + 3 * c);
        FloatVector w11 = FloatVector.fromArray(S, k, kOff + 4 * c);
        FloatVector w12 = FloatVector.fromArray(S, k, kOff + 5 * c);
        FloatVector w20 = FloatVector.fromArray(S, k, kOff + 6 * c);
        FloatVector w21 = FloatVector.fromArray(S, k, kOff + 7 * c);
        FloatVector w22 = FloatVector.fromArray(S, k, kOff + 8 * c);
        // live across the loop, b goes into add() cast to its class: else the add's check() on it was a virtual
        // call for C2 once other Vector API code filled its profile, and b was boxed (one vector a call)
        FloatVector b = FloatVector.fromArray(S, bias == null ? ZEROS : bias, bias == null ? 0 : ch);
        // the column before column 1 - padLeft: the padding (zeros) or the row's first; then column 1 - padLeft
        float[] first = padLeft == 0 ? in : ZEROS;
        int f0 = padLeft == 0 ? i0 : 0;
        int fStep = padLeft == 0 ? rowStep : 0;
        FloatVector x0 = FloatVector.fromArray(S, first, f0);
        FloatVector x1 = FloatVector.fromArray(S, first, f0 + fStep);
        FloatVector x2 = FloatVector.fromArray(S, first, f0 + 2 * fStep);
        FloatVector next = x2.fma(w20, x1.fma(w10, x0.mul(w00))); // pixel 0: tap column 0
        int i = i0 + (1 - padLeft) * c;
        x0 = FloatVector.fromArray(S, in, i);
        x1 = FloatVector.fromArray(S, in, i + rowStep);
        x2 = FloatVector.fromArray(S, in, i + 2 * rowStep);
        FloatVector cur = x2.fma(w21, x1.fma(w11, x0.fma(w01, next))); // pixel 0: tap columns 0-1
        next = x2.fma(w20, x1.fma(w10, x0.mul(w00))); // pixel 1: tap column 0
        int end = i0 + Math.min(w, ow + 2 - padLeft) * c;
        int oo = o;
        for (i += c; i < end; i += c, oo += c) {
            x0 = FloatVector.fromArray(S, in, i);
            x1 = FloatVector.fromArray(S, in, i + rowStep);
            x2 = FloatVector.fromArray(S, in, i + 2 * rowStep);
            FloatVector done = x2.fma(w22, x1.fma(w12, x0.fma(w02, cur)));
            cur = x2.fma(w21, x1.fma(w11, x0.fma(w01, next)));
            next = x2.fma(w20, x1.fma(w10, x0.mul(w00)));
            FloatVector y = EXACT.cast(EXACT.cast(done).add(EXACT.cast(b))).max(floor);
            EXACT.cast(EXACT.cast(y).min(ceiling)).intoArray(out, oo);
        }
        if (ow + 1 - padLeft == w) { // one column of right padding: the last pixel has no third tap column
            FloatVector y = EXACT.cast(EXACT.cast(cur).add(EXACT.cast(b))).max(floor);
            EXACT.cast(EXACT.cast(y).min(ceiling)).intoArray(out, oo);
        }
    }

    /**
     * {@link #depthwiseColumns3} on two neighbouring output rows at once (row stride 1, undilated, 32 vector
     * registers): each column's 4 input vectors feed both rows' sums (4 loads and 18 multiply-adds a column,
     * against 6 and 18 for the rows one by one). Each row's sums in {@link #depthwiseColumns3}'s order: the same
     * bits. Alone, same JVM, 512-bit, 'valid', in a harness: 112x112x32 89-94 -> 72-79 us, 14x14x576 25-26 ->
     * 19-24 us, 56x56x144 88-90 -> 74-90 us (two modes from one JVM to the next).
     *
     * @param outRow the distance between the two output rows ({@code ow * c})
     */
    private static void depthwiseColumnsPair(float[] in, int i0, int c, float[] k, int kOff, int rowStep,
            int padLeft, int w, int ow, float[] bias, int ch, float[] out, int o, int outRow, float floor,
            float ceiling) {
        FloatVector w00 = FloatVector.fromArray(S, k, kOff);
        FloatVector w01 = FloatVector.fromArray(S, k, kOff + 1 * c);
        FloatVector w02 = FloatVector.fromArray(S, k, kOff + 2 * c);
        FloatVector w10 = FloatVector.fromArray(S, k, kOff + 3 * c);
        FloatVector w11 = FloatVector.fromArray(S, k, kOff + 4 * c);
        FloatVector w12 = FloatVector.fromArray(S, k, kOff + 5 * c);
        FloatVector w20 = FloatVector.fromArray(S, k, kOff + 6 * c);
        FloatVector w21 = FloatVector.fromArray(S, k, kOff + 7 * c);
        FloatVector w22 = FloatVector.fromArray(S, k, kOff + 8 * c);
        // cast in add(), as in depthwiseColumns3
        FloatVector b = FloatVector.fromArray(S, bias == null ? ZEROS : bias, bias == null ? 0 : ch);
        float[] first = padLeft == 0 ? in : ZEROS;
        int f0 = padLeft == 0 ? i0 : 0;
        int fStep = padLeft == 0 ? rowStep : 0;
        FloatVector x0 = FloatVector.fromArray(S, first, f0);
        FloatVector x1 = FloatVector.fromArray(S, first, f0 + fStep);
        FloatVector x2 = FloatVector.fromArray(S, first, f0 + 2 * fStep);
        FloatVector x3 = FloatVector.fromArray(S, first, f0 + 3 * fStep);
        // row A reads input rows 0-2, row B rows 1-3
        FloatVector nextA = x2.fma(w20, x1.fma(w10, x0.mul(w00)));
        FloatVector nextB = x3.fma(w20, x2.fma(w10, x1.mul(w00)));
        int i = i0 + (1 - padLeft) * c;
        x0 = FloatVector.fromArray(S, in, i);
        x1 = FloatVector.fromArray(S, in, i + rowStep);
        x2 = FloatVector.fromArray(S, in, i + 2 * rowStep);
        x3 = FloatVector.fromArray(S, in, i + 3 * rowStep);
        FloatVector curA = x2.fma(w21, x1.fma(w11, x0.fma(w01, nextA)));
        FloatVector curB = x3.fma(w21, x2.fma(w11, x1.fma(w01, nextB)));
        nextA = x2.fma(w20, x1.fma(w10, x0.mul(w00)));
        nextB = x3.fma(w20, x2.fma(w10, x1.mul(w00)));
        int end = i0 + Math.min(w, ow + 2 - padLeft) * c;
        int oo = o;
        for (i += c; i < end; i += c, oo += c) {
            x0 = FloatVector.fromArray(S, in, i);
            x1 = FloatVector.fromArray(S, in, i + rowStep);
            x2 = FloatVector.fromArray(S, in, i + 2 * rowStep);
            x3 = FloatVector.fromArray(S, in, i + 3 * rowStep);
            FloatVector doneA = x2.fma(w22, x1.fma(w12, x0.fma(w02, curA)));
            FloatVector doneB = x3.fma(w22, x2.fma(w12, x1.fma(w02, curB)));
            curA = x2.fma(w21, x1.fma(w11, x0.fma(w01, nextA)));
            curB = x3.fma(w21, x2.fma(w11, x1.fma(w01, nextB)));
            nextA = x2.fma(w20, x1.fma(w10, x0.mul(w00)));
            nextB = x3.fma(w20, x2.fma(w10, x1.mul(w00)));
            FloatVector y = EXACT.cast(EXACT.cast(doneA).add(EXACT.cast(b))).max(floor);
            EXACT.cast(EXACT.cast(y).min(ceiling)).intoArray(out, oo);
            y = EXACT.cast(EXACT.cast(doneB).add(EXACT.cast(b))).max(floor);
            EXACT.cast(EXACT.cast(y).min(ceiling)).intoArray(out, oo + outRow);
        }
        if (ow + 1 - padLeft == w) { // one column of right padding: the last pixels have no third tap column
            FloatVector y = EXACT.cast(EXACT.cast(curA).add(EXACT.cast(b))).max(floor);
            EXACT.cast(EXACT.cast(y).min(ceiling)).intoArray(out, oo);
            y = EXACT.cast(EXACT.cast(curB).add(EXACT.cast(b))).max(floor);
            EXACT.cast(EXACT.cast(y).min(ceiling)).intoArray(out, oo + outRow);
        }
    }

    /**
     * {@link #depthwiseColumns3} for a row of which only 2 kernel rows fall inside the input (a 'same' layer's
     * first and last rows): 2 loads and 6 multiply-adds a pixel. A twin, not a flag: a flag would merge the
     * sums of two branches, and C2 boxes such vectors.
     */
    private static void depthwiseColumns2(float[] in, int i0, int c, float[] k, int kOff, int rowStep, int padLeft,
            int w, int ow, float[] bias, int ch, float[] out, int o, float floor, float ceiling) {
        FloatVector w00 = FloatVector.fromArray(S, k, kOff);
        FloatVector w01 = FloatVector.fromArray(S, k, kOff + 1 * c);
        FloatVector w02 = FloatVector.fromArray(S, k, kOff + 2 * c);
        FloatVector w10 = FloatVector.fromArray(S, k, kOff + 3 * c);
        FloatVector w11 = FloatVector.fromArray(S, k, kOff + 4 * c);
        FloatVector w12 = FloatVector.fromArray(S, k, kOff + 5 * c);
        FloatVector b = FloatVector.fromArray(S, bias == null ? ZEROS : bias, bias == null ? 0 : ch);
        // the column before column 1 - padLeft: the padding (zeros) or the row's first; then column 1 - padLeft
        float[] first = padLeft == 0 ? in : ZEROS;
        int f0 = padLeft == 0 ? i0 : 0;
        int fStep = padLeft == 0 ? rowStep : 0;
        FloatVector x0 = FloatVector.fromArray(S, first, f0);
        FloatVector x1 = FloatVector.fromArray(S, first, f0 + fStep);
        FloatVector next = x1.fma(w10, x0.mul(w00)); // pixel 0: tap column 0
        int i = i0 + (1 - padLeft) * c;
        x0 = FloatVector.fromArray(S, in, i);
        x1 = FloatVector.fromArray(S, in, i + rowStep);
        FloatVector cur = x1.fma(w11, x0.fma(w01, next)); // pixel 0: tap columns 0-1
        next = x1.fma(w10, x0.mul(w00)); // pixel 1: tap column 0
        int end = i0 + Math.min(w, ow + 2 - padLeft) * c;
        int oo = o;
        for (i += c; i < end; i += c, oo += c) {
            x0 = FloatVector.fromArray(S, in, i);
            x1 = FloatVector.fromArray(S, in, i + rowStep);
            FloatVector done = x1.fma(w12, x0.fma(w02, cur));
            cur = x1.fma(w11, x0.fma(w01, next));
            next = x1.fma(w10, x0.mul(w00));
            FloatVector y = EXACT.cast(EXACT.cast(done).add(EXACT.cast(b))).max(floor);
            EXACT.cast(EXACT.cast(y).min(ceiling)).intoArray(out, oo);
        }
        if (ow + 1 - padLeft == w) { // one column of right padding: the last pixel has no third tap column
            FloatVector y = EXACT.cast(EXACT.cast(cur).add(EXACT.cast(b))).max(floor);
            EXACT.cast(EXACT.cast(y).min(ceiling)).intoArray(out, oo);
        }
    }

    /**
     * {@link #depthwiseColumns3} at stride 2 (MobileNets' strided layers): pixel {@code p} reads columns
     * {@code 2p - padLeft} to {@code 2p - padLeft + 2}, so each pixel loads 2 new columns and its last one is the
     * next pixel's first: 6 loads and 9 multiply-adds a pixel, where the 8-pixel tiles of {@link #depthwise8}
     * loaded a vector per multiply-add. At most one padding column each side.
     */
    private static void depthwiseStride2Columns3(float[] in, int i0, int c, float[] k, int kOff, int rowStep,
            int padLeft, int w, int ow, float[] bias, int ch, float[] out, int o, float floor, float ceiling) {
        FloatVector w00 = FloatVector.fromArray(S, k, kOff);
        FloatVector w01 = FloatVector.fromArray(S, k, kOff + 1 * c);
        FloatVector w02 = FloatVector.fromArray(S, k, kOff + 2 * c);
        FloatVector w10 = FloatVector.fromArray(S, k, kOff + 3 * c);
        FloatVector w11 = FloatVector.fromArray(S, k, kOff + 4 * c);
        FloatVector w12 = FloatVector.fromArray(S, k, kOff + 5 * c);
        FloatVector w20 = FloatVector.fromArray(S, k, kOff + 6 * c);
        FloatVector w21 = FloatVector.fromArray(S, k, kOff + 7 * c);
        FloatVector w22 = FloatVector.fromArray(S, k, kOff + 8 * c);
        // cast in add(), as in depthwiseColumns3
        FloatVector b = FloatVector.fromArray(S, bias == null ? ZEROS : bias, bias == null ? 0 : ch);
        float[] first = padLeft == 0 ? in : ZEROS; // pixel 0's first column: the row's first, or the padding
        int f0 = padLeft == 0 ? i0 : 0;
        int fStep = padLeft == 0 ? rowStep : 0;
        FloatVector x0 = FloatVector.fromArray(S, first, f0);
        FloatVector x1 = FloatVector.fromArray(S, first, f0 + fStep);
        FloatVector x2 = FloatVector.fromArray(S, first, f0 + 2 * fStep);
        FloatVector cur = x2.fma(w20, x1.fma(w10, x0.mul(w00)));
        int i = i0 + (1 - padLeft) * c; // pixel 0's second column
        int end = i0 + (w - 1) * c; // a pixel whose third column is the last inside the input ends the loop
        int oo = o;
        int oEnd = o + ow * c;
        for (; i < end && oo < oEnd; i += 2 * c, oo += c) {
            x0 = FloatVector.fromArray(S, in, i);
            x1 = FloatVector.fromArray(S, in, i + rowStep);
            x2 = FloatVector.fromArray(S, in, i + 2 * rowStep);
            FloatVector y0 = FloatVector.fromArray(S, in, i + c);
            FloatVector y1 = FloatVector.fromArray(S, in, i + c + rowStep);
            FloatVector y2 = FloatVector.fromArray(S, in, i + c + 2 * rowStep);
            FloatVector done = x2.fma(w21, x1.fma(w11, x0.fma(w01, cur)));
            done = y2.fma(w22, y1.fma(w12, y0.fma(w02, done)));
            cur = y2.fma(w20, y1.fma(w10, y0.mul(w00)));
            FloatVector y = EXACT.cast(EXACT.cast(done).add(EXACT.cast(b))).max(floor);
            EXACT.cast(EXACT.cast(y).min(ceiling)).intoArray(out, oo);
        }
        if (oo < oEnd) { // the last pixel's third column is the right padding
            x0 = FloatVector.fromArray(S, in, i);
            x1 = FloatVector.fromArray(S, in, i + rowStep);
            x2 = FloatVector.fromArray(S, in, i + 2 * rowStep);
            FloatVector last = x2.fma(w21, x1.fma(w11, x0.fma(w01, cur)));
            FloatVector y = EXACT.cast(EXACT.cast(last).add(EXACT.cast(b))).max(floor);
            EXACT.cast(EXACT.cast(y).min(ceiling)).intoArray(out, oo);
        }
    }

    /**
     * {@link #depthwiseStride2Columns3} on 2 kernel rows (a 'same' layer's first or last row): a twin, as
     * {@link #depthwiseColumns2}.
     */
    private static void depthwiseStride2Columns2(float[] in, int i0, int c, float[] k, int kOff, int rowStep,
            int padLeft, int w, int ow, float[] bias, int ch, float[] out, int o, float floor, float ceiling) {
        FloatVector w00 = FloatVector.fromArray(S, k, kOff);
        FloatVector w01 = FloatVector.fromArray(S, k, kOff + 1 * c);
        FloatVector w02 = FloatVector.fromArray(S, k, kOff + 2 * c);
        FloatVector w10 = FloatVector.fromArray(S, k, kOff + 3 * c);
        FloatVector w11 = FloatVector.fromArray(S, k, kOff + 4 * c);
        FloatVector w12 = FloatVector.fromArray(S, k, kOff + 5 * c);
        // cast in add(), as in depthwiseColumns3
        FloatVector b = FloatVector.fromArray(S, bias == null ? ZEROS : bias, bias == null ? 0 : ch);
        float[] first = padLeft == 0 ? in : ZEROS; // pixel 0's first column: the row's first, or the padding
        int f0 = padLeft == 0 ? i0 : 0;
        int fStep = padLeft == 0 ? rowStep : 0;
        FloatVector x0 = FloatVector.fromArray(S, first, f0);
        FloatVector x1 = FloatVector.fromArray(S, first, f0 + fStep);
        FloatVector cur = x1.fma(w10, x0.mul(w00));
        int i = i0 + (1 - padLeft) * c; // pixel 0's second column
        int end = i0 + (w - 1) * c; // a pixel whose third column is the last inside the input ends the loop
        int oo = o;
        int oEnd = o + ow * c;
        for (; i < end && oo < oEnd; i += 2 * c, oo += c) {
            x0 = FloatVector.fromArray(S, in, i);
            x1 = FloatVector.fromArray(S, in, i + rowStep);
            FloatVector y0 = FloatVector.fromArray(S, in, i + c);
            FloatVector y1 = FloatVector.fromArray(S, in, i + c + rowStep);
            FloatVector done = x1.fma(w11, x0.fma(w01, cur));
            done = y1.fma(w12, y0.fma(w02, done));
            cur = y1.fma(w10, y0.mul(w00));
            FloatVector y = EXACT.cast(EXACT.cast(done).add(EXACT.cast(b))).max(floor);
            EXACT.cast(EXACT.cast(y).min(ceiling)).intoArray(out, oo);
        }
        if (oo < oEnd) { // the last pixel's third column is the right padding
            x0 = FloatVector.fromArray(S, in, i);
            x1 = FloatVector.fromArray(S, in, i + rowStep);
            FloatVector last = x1.fma(w11, x0.fma(w01, cur));
            FloatVector y = EXACT.cast(EXACT.cast(last).add(EXACT.cast(b))).max(floor);
            EXACT.cast(EXACT.cast(y).min(ceiling)).intoArray(out, oo);
        }
    }

    /**
     * 8 pixels ({@code step} apart in the input, {@code c} in the output) x one channel vector: the
     * taps in one loop (kernel row by kernel row: {@code kw} taps {@code columnStep} apart, then the
     * next row {@code rowStep} below), then bias, clamp and store.
     */
    private static void depthwise8(float[] in, int i0, int step, float[] k, int kOff, int c, int taps, int kw,
            int columnStep, int rowStep, float[] bias, int ch, float[] out, int o, float floor, float ceiling) {
        FloatVector a0 = FloatVector.zero(S);
        FloatVector a1 = a0;
        FloatVector a2 = a0;
        FloatVector a3 = a0;
        FloatVector a4 = a0;
        FloatVector a5 = a0;
        FloatVector a6 = a0;
        FloatVector a7 = a0;
        for (int t = 0, j = 0, i = i0, kt = kOff; t < taps; t++, kt += c) {
            FloatVector wt = FloatVector.fromArray(S, k, kt);
            a0 = FloatVector.fromArray(S, in, i).fma(wt, a0);
            a1 = FloatVector.fromArray(S, in, i + step).fma(wt, a1);
            a2 = FloatVector.fromArray(S, in, i + 2 * step).fma(wt, a2);
            a3 = FloatVector.fromArray(S, in, i + 3 * step).fma(wt, a3);
            a4 = FloatVector.fromArray(S, in, i + 4 * step).fma(wt, a4);
            a5 = FloatVector.fromArray(S, in, i + 5 * step).fma(wt, a5);
            a6 = FloatVector.fromArray(S, in, i + 6 * step).fma(wt, a6);
            a7 = FloatVector.fromArray(S, in, i + 7 * step).fma(wt, a7);
            i += columnStep;
            if (++j == kw) {
                j = 0;
                i += rowStep - kw * columnStep;
            }
        }
        // one load, not a choice between two vectors: a vector merged from two branches is boxed; and
        // every result cast to its exact class before the next call on it (see EXACT): min() boxed
        // without, once other Vector API code had filled its profiles
        FloatVector b = FloatVector.fromArray(S, bias == null ? ZEROS : bias, bias == null ? 0 : ch);
        FloatVector y0 = EXACT.cast(EXACT.cast(a0).add(b)).max(floor);
        EXACT.cast(EXACT.cast(y0).min(ceiling)).intoArray(out, o);
        FloatVector y1 = EXACT.cast(EXACT.cast(a1).add(b)).max(floor);
        EXACT.cast(EXACT.cast(y1).min(ceiling)).intoArray(out, o + c);
        FloatVector y2 = EXACT.cast(EXACT.cast(a2).add(b)).max(floor);
        EXACT.cast(EXACT.cast(y2).min(ceiling)).intoArray(out, o + 2 * c);
        FloatVector y3 = EXACT.cast(EXACT.cast(a3).add(b)).max(floor);
        EXACT.cast(EXACT.cast(y3).min(ceiling)).intoArray(out, o + 3 * c);
        FloatVector y4 = EXACT.cast(EXACT.cast(a4).add(b)).max(floor);
        EXACT.cast(EXACT.cast(y4).min(ceiling)).intoArray(out, o + 4 * c);
        FloatVector y5 = EXACT.cast(EXACT.cast(a5).add(b)).max(floor);
        EXACT.cast(EXACT.cast(y5).min(ceiling)).intoArray(out, o + 5 * c);
        FloatVector y6 = EXACT.cast(EXACT.cast(a6).add(b)).max(floor);
        EXACT.cast(EXACT.cast(y6).min(ceiling)).intoArray(out, o + 6 * c);
        FloatVector y7 = EXACT.cast(EXACT.cast(a7).add(b)).max(floor);
        EXACT.cast(EXACT.cast(y7).min(ceiling)).intoArray(out, o + 7 * c);
    }

    /** {@link #depthwise8} for 4 pixels (rows of 4 to 7 output pixels). */
    private static void depthwise4(float[] in, int i0, int step, float[] k, int kOff, int c, int taps, int kw,
            int columnStep, int rowStep, float[] bias, int ch, float[] out, int o, float floor, float ceiling) {
        FloatVector a0 = FloatVector.zero(S);
        FloatVector a1 = a0;
        FloatVector a2 = a0;
        FloatVector a3 = a0;
        for (int t = 0, j = 0, i = i0, kt = kOff; t < taps; t++, kt += c) {
            FloatVector wt = FloatVector.fromArray(S, k, kt);
            a0 = FloatVector.fromArray(S, in, i).fma(wt, a0);
            a1 = FloatVector.fromArray(S, in, i + step).fma(wt, a1);
            a2 = FloatVector.fromArray(S, in, i + 2 * step).fma(wt, a2);
            a3 = FloatVector.fromArray(S, in, i + 3 * step).fma(wt, a3);
            i += columnStep;
            if (++j == kw) {
                j = 0;
                i += rowStep - kw * columnStep;
            }
        }
        // one load, not a choice between two vectors: a vector merged from two branches is boxed
        FloatVector b = FloatVector.fromArray(S, bias == null ? ZEROS : bias, bias == null ? 0 : ch);
        FloatVector y0 = EXACT.cast(EXACT.cast(a0).add(b)).max(floor);
        EXACT.cast(EXACT.cast(y0).min(ceiling)).intoArray(out, o);
        FloatVector y1 = EXACT.cast(EXACT.cast(a1).add(b)).max(floor);
        EXACT.cast(EXACT.cast(y1).min(ceiling)).intoArray(out, o + c);
        FloatVector y2 = EXACT.cast(EXACT.cast(a2).add(b)).max(floor);
        EXACT.cast(EXACT.cast(y2).min(ceiling)).intoArray(out, o + 2 * c);
        FloatVector y3 = EXACT.cast(EXACT.cast(a3).add(b)).max(floor);
        EXACT.cast(EXACT.cast(y3).min(ceiling)).intoArray(out, o + 3 * c);
    }

    /**
     * {@link #depthwise8} for one pixel (rows of fewer than 4 output pixels, and the border columns):
     * {@code taps} taps, {@code kw} a kernel row, and past each row {@code kSkip} more weights skipped
     * (the taps of that row outside the input).
     */
    private static void depthwise1(float[] in, int i0, float[] k, int kOff, int c, int taps, int kw, int kSkip,
            int columnStep, int rowStep, float[] bias, int ch, float[] out, int o, float floor, float ceiling) {
        FloatVector a0 = FloatVector.zero(S);
        for (int t = 0, j = 0, i = i0, kt = kOff; t < taps; t++, kt += c) {
            a0 = FloatVector.fromArray(S, in, i).fma(FloatVector.fromArray(S, k, kt), a0);
            i += columnStep;
            if (++j == kw) {
                j = 0;
                i += rowStep - kw * columnStep;
                kt += kSkip;
            }
        }
        FloatVector b = FloatVector.fromArray(S, bias == null ? ZEROS : bias, bias == null ? 0 : ch);
        FloatVector y0 = EXACT.cast(EXACT.cast(a0).add(b)).max(floor);
        EXACT.cast(EXACT.cast(y0).min(ceiling)).intoArray(out, o);
    }

    // ------------------------------------------------------------------------------------- dense

    @Override
    public void dense(float[] in, int n, float[] kernel, int units, float[] bias, float[] out, boolean relu) {
        denseRow(in, 0, n, kernel, units, bias, out, 0, relu, 0);
    }

    /**
     * Inputs of a {@value #DENSE_BLOCK}-vector kernel block that {@link #denseBatch} takes at a time:
     * a slice of 32 KB, which stays in the L1 cache while every group of four rows uses it.
     */
    private static final int BATCH_INPUTS = 32 * 1024 / (DENSE_BLOCK * L * Float.BYTES);

    /**
     * Four rows at a time through the blocks of {@value #DENSE_BLOCK} vectors, two vectors by four
     * rows in eight accumulators (each weight vector loaded once for the four rows), a slice of
     * {@link #BATCH_INPUTS} inputs at a time for all the groups of four (so the slice is read from
     * memory once per batch, not once per group); the rest of each row, and the last rows, as
     * {@link #dense}. Every sum is accumulated in the order {@link #dense8} uses (the partial sums
     * stored between slices are exact), so each row's result is bit for bit {@link #dense}'s.
     */
    @Override
    public void denseBatch(float[] in, int n, int count, float[] kernel, int units, float[] bias, float[] out,
            boolean relu) {
        int blocks = units / L / DENSE_BLOCK;
        int grouped = count / 4 * 4;
        for (int b = 0; b < blocks; b++) {
            int kOff = n * b * DENSE_BLOCK * L;
            for (int from = 0; from < n; from += BATCH_INPUTS) {
                int to = Math.min(n, from + BATCH_INPUTS);
                for (int m = 0; m < grouped; m += 4) {
                    if (WIDE) { // 32 registers: four vectors by four rows
                        for (int v = 0; v < DENSE_BLOCK; v += 4) {
                            dense4x4(in, m * n, n, from, to, kernel, kOff + v * L, out,
                                    m * units + (b * DENSE_BLOCK + v) * L, units);
                        }
                    } else {
                        for (int v = 0; v < DENSE_BLOCK; v += 2) {
                            dense2x4(in, m * n, n, from, to, kernel, kOff + v * L, out,
                                    m * units + (b * DENSE_BLOCK + v) * L, units);
                        }
                    }
                }
            }
        }
        for (int m = 0; m < grouped; m++) {
            denseRow(in, m * n, n, kernel, units, bias, out, m * units, relu, blocks * DENSE_BLOCK);
        }
        for (int m = grouped; m < count; m++) {
            denseRow(in, m * n, n, kernel, units, bias, out, m * units, relu, 0);
        }
    }

    /**
     * One row, {@code in[io .. io + n)} to {@code out[oo .. oo + units)}; the first {@code done}
     * vectors of units hold their sums already (without bias).
     */
    private static void denseRow(float[] in, int io, int n, float[] kernel, int units, float[] bias, float[] out,
            int oo, boolean relu, int done) {
        int vectors = units / L;
        int v = done;
        for (; v + DENSE_BLOCK <= vectors; v += DENSE_BLOCK) {
            dense8(in, io, n, kernel, n * v * L, out, oo + v * L);
        }
        for (; v < vectors; v++) {
            dense1(in, io, n, kernel, n * v * L, out, oo + v * L);
        }
        finishVectors(out, oo, vectors, bias, 0, relu);
        if (units > vectors * L) {
            denseTail(in, io, n, kernel, vectors * L, units, bias, out, oo, relu);
        }
    }

    /**
     * Units {@code head .. units} (fewer than a vector), from the tail block, stored unit by unit
     * ({@link PackedLayout}): one dot product along the inputs each ({@link #dot}). The former loop
     * along the units, one dependent add after another, took 2.3 us of a 784-512-256-10 MLP's 19 us
     * at 512 bits; now 0.15-0.2 us. One vector across the tail units cannot be stored whole (JDK 17
     * does not compile a masked store), its units cannot be taken from its lanes ({@code lane(i)}
     * with a variable index compiles to calls that box the vector: 96 bytes a call, caught by the
     * processor's fuzzer), and shorter species in the same compiled code boxed at 256 bits.
     */
    private static void denseTail(float[] in, int io, int n, float[] k, int head, int units, float[] bias,
            float[] out, int oo, boolean relu) {
        for (int u = head; u < units; u++) {
            float s = dot(in, io, n, k, n * u) + (bias == null ? 0f : bias[u]);
            out[oo + u] = relu ? Math.max(s, 0f) : s;
        }
    }

    /**
     * {@code in[io .. io + n)} times {@code k[ko .. ko + n)}: four vector sums, added lane by lane, then
     * across the lanes, then the last {@code n % L} products. A method of its own, so the vector loop
     * is not nested in the units' loop.
     */
    private static float dot(float[] in, int io, int n, float[] k, int ko) {
        FloatVector a0 = FloatVector.zero(S);
        FloatVector a1 = a0;
        FloatVector a2 = a0;
        FloatVector a3 = a0;
        int i = 0;
        for (; i + 4 * L <= n; i += 4 * L) {
            a0 = FloatVector.fromArray(S, in, io + i).fma(FloatVector.fromArray(S, k, ko + i), a0);
            a1 = FloatVector.fromArray(S, in, io + i + L).fma(FloatVector.fromArray(S, k, ko + i + L), a1);
            a2 = FloatVector.fromArray(S, in, io + i + 2 * L).fma(FloatVector.fromArray(S, k, ko + i + 2 * L), a2);
            a3 = FloatVector.fromArray(S, in, io + i + 3 * L).fma(FloatVector.fromArray(S, k, ko + i + 3 * L), a3);
        }
        for (; i + L <= n; i += L) {
            a0 = FloatVector.fromArray(S, in, io + i).fma(FloatVector.fromArray(S, k, ko + i), a0);
        }
        float s = EXACT.cast(a0).add(EXACT.cast(a1)).add(EXACT.cast(a2).add(EXACT.cast(a3)))
                .reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            s += in[io + i] * k[ko + i];
        }
        return s;
    }

    /**
     * As {@link #dense2x4}, four vectors by four rows: 16 accumulators, 4 weight loads and 4
     * broadcasts per input, 21 registers (AVX-512 has 32).
     */
    private static void dense4x4(float[] in, int io, int n, int from, int to, float[] k, int kOff, float[] out,
            int oo, int units) {
        FloatVector a00 = FloatVector.zero(S);
        FloatVector a01 = a00;
        FloatVector a02 = a00;
        FloatVector a03 = a00;
        FloatVector a10 = a00;
        FloatVector a11 = a00;
        FloatVector a12 = a00;
        FloatVector a13 = a00;
        FloatVector a20 = a00;
        FloatVector a21 = a00;
        FloatVector a22 = a00;
        FloatVector a23 = a00;
        FloatVector a30 = a00;
        FloatVector a31 = a00;
        FloatVector a32 = a00;
        FloatVector a33 = a00;
        int o1 = oo + units;
        int o2 = oo + 2 * units;
        int o3 = oo + 3 * units;
        if (from > 0) { // the sums of the inputs before this slice
            a00 = FloatVector.fromArray(S, out, oo);
            a01 = FloatVector.fromArray(S, out, oo + L);
            a02 = FloatVector.fromArray(S, out, oo + 2 * L);
            a03 = FloatVector.fromArray(S, out, oo + 3 * L);
            a10 = FloatVector.fromArray(S, out, o1);
            a11 = FloatVector.fromArray(S, out, o1 + L);
            a12 = FloatVector.fromArray(S, out, o1 + 2 * L);
            a13 = FloatVector.fromArray(S, out, o1 + 3 * L);
            a20 = FloatVector.fromArray(S, out, o2);
            a21 = FloatVector.fromArray(S, out, o2 + L);
            a22 = FloatVector.fromArray(S, out, o2 + 2 * L);
            a23 = FloatVector.fromArray(S, out, o2 + 3 * L);
            a30 = FloatVector.fromArray(S, out, o3);
            a31 = FloatVector.fromArray(S, out, o3 + L);
            a32 = FloatVector.fromArray(S, out, o3 + 2 * L);
            a33 = FloatVector.fromArray(S, out, o3 + 3 * L);
        }
        for (int i = from; i < to; i++) {
            int row = kOff + i * (DENSE_BLOCK * L);
            FloatVector w0 = FloatVector.fromArray(S, k, row);
            FloatVector w1 = FloatVector.fromArray(S, k, row + L);
            FloatVector w2 = FloatVector.fromArray(S, k, row + 2 * L);
            FloatVector w3 = FloatVector.fromArray(S, k, row + 3 * L);
            FloatVector x = FloatVector.broadcast(S, in[io + i]);
            a00 = x.fma(w0, a00);
            a01 = x.fma(w1, a01);
            a02 = x.fma(w2, a02);
            a03 = x.fma(w3, a03);
            x = FloatVector.broadcast(S, in[io + n + i]);
            a10 = x.fma(w0, a10);
            a11 = x.fma(w1, a11);
            a12 = x.fma(w2, a12);
            a13 = x.fma(w3, a13);
            x = FloatVector.broadcast(S, in[io + 2 * n + i]);
            a20 = x.fma(w0, a20);
            a21 = x.fma(w1, a21);
            a22 = x.fma(w2, a22);
            a23 = x.fma(w3, a23);
            x = FloatVector.broadcast(S, in[io + 3 * n + i]);
            a30 = x.fma(w0, a30);
            a31 = x.fma(w1, a31);
            a32 = x.fma(w2, a32);
            a33 = x.fma(w3, a33);
        }
        EXACT.cast(a00).intoArray(out, oo);
        EXACT.cast(a01).intoArray(out, oo + L);
        EXACT.cast(a02).intoArray(out, oo + 2 * L);
        EXACT.cast(a03).intoArray(out, oo + 3 * L);
        EXACT.cast(a10).intoArray(out, o1);
        EXACT.cast(a11).intoArray(out, o1 + L);
        EXACT.cast(a12).intoArray(out, o1 + 2 * L);
        EXACT.cast(a13).intoArray(out, o1 + 3 * L);
        EXACT.cast(a20).intoArray(out, o2);
        EXACT.cast(a21).intoArray(out, o2 + L);
        EXACT.cast(a22).intoArray(out, o2 + 2 * L);
        EXACT.cast(a23).intoArray(out, o2 + 3 * L);
        EXACT.cast(a30).intoArray(out, o3);
        EXACT.cast(a31).intoArray(out, o3 + L);
        EXACT.cast(a32).intoArray(out, o3 + 2 * L);
        EXACT.cast(a33).intoArray(out, o3 + 3 * L);
    }

    /**
     * Vectors {@code kOff} and {@code kOff + L} of each kernel row of a {@value #DENSE_BLOCK}-vector
     * block, for rows {@code io / n .. + 4} of the input and its inputs {@code from .. to} (adding to
     * the sums in {@code out} when {@code from > 0}): 8 accumulators, 2 weight loads and 4
     * broadcasts per input, 11 registers (AVX2 has 16).
     */
    private static void dense2x4(float[] in, int io, int n, int from, int to, float[] k, int kOff, float[] out,
            int oo, int units) {
        FloatVector a00;
        FloatVector a01;
        FloatVector a10;
        FloatVector a11;
        FloatVector a20;
        FloatVector a21;
        FloatVector a30;
        FloatVector a31;
        if (from == 0) {
            a00 = FloatVector.zero(S);
            a01 = a00;
            a10 = a00;
            a11 = a00;
            a20 = a00;
            a21 = a00;
            a30 = a00;
            a31 = a00;
        } else { // the sums of the inputs before this slice
            a00 = FloatVector.fromArray(S, out, oo);
            a01 = FloatVector.fromArray(S, out, oo + L);
            a10 = FloatVector.fromArray(S, out, oo + units);
            a11 = FloatVector.fromArray(S, out, oo + units + L);
            a20 = FloatVector.fromArray(S, out, oo + 2 * units);
            a21 = FloatVector.fromArray(S, out, oo + 2 * units + L);
            a30 = FloatVector.fromArray(S, out, oo + 3 * units);
            a31 = FloatVector.fromArray(S, out, oo + 3 * units + L);
        }
        for (int i = from; i < to; i++) {
            int row = kOff + i * (DENSE_BLOCK * L);
            FloatVector w0 = FloatVector.fromArray(S, k, row);
            FloatVector w1 = FloatVector.fromArray(S, k, row + L);
            FloatVector x0 = FloatVector.broadcast(S, in[io + i]);
            a00 = x0.fma(w0, a00);
            a01 = x0.fma(w1, a01);
            FloatVector x1 = FloatVector.broadcast(S, in[io + n + i]);
            a10 = x1.fma(w0, a10);
            a11 = x1.fma(w1, a11);
            FloatVector x2 = FloatVector.broadcast(S, in[io + 2 * n + i]);
            a20 = x2.fma(w0, a20);
            a21 = x2.fma(w1, a21);
            FloatVector x3 = FloatVector.broadcast(S, in[io + 3 * n + i]);
            a30 = x3.fma(w0, a30);
            a31 = x3.fma(w1, a31);
        }
        EXACT.cast(a00).intoArray(out, oo);
        EXACT.cast(a01).intoArray(out, oo + L);
        EXACT.cast(a10).intoArray(out, oo + units);
        EXACT.cast(a11).intoArray(out, oo + units + L);
        EXACT.cast(a20).intoArray(out, oo + 2 * units);
        EXACT.cast(a21).intoArray(out, oo + 2 * units + L);
        EXACT.cast(a30).intoArray(out, oo + 3 * units);
        EXACT.cast(a31).intoArray(out, oo + 3 * units + L);
    }

    /** Units {@code u0 .. u0 + 8L}: 8 accumulators, one broadcast input per row of the (repacked) kernel. */
    private static void dense8(float[] in, int io, int n, float[] k, int kOff, float[] out, int u0) {
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
            FloatVector x = FloatVector.broadcast(S, in[io + i]);
            a0 = x.fma(FloatVector.fromArray(S, k, row), a0);
            a1 = x.fma(FloatVector.fromArray(S, k, row + L), a1);
            a2 = x.fma(FloatVector.fromArray(S, k, row + 2 * L), a2);
            a3 = x.fma(FloatVector.fromArray(S, k, row + 3 * L), a3);
            a4 = x.fma(FloatVector.fromArray(S, k, row + 4 * L), a4);
            a5 = x.fma(FloatVector.fromArray(S, k, row + 5 * L), a5);
            a6 = x.fma(FloatVector.fromArray(S, k, row + 6 * L), a6);
            a7 = x.fma(FloatVector.fromArray(S, k, row + 7 * L), a7);
        }
        EXACT.cast(a0).intoArray(out, u0);
        EXACT.cast(a1).intoArray(out, u0 + L);
        EXACT.cast(a2).intoArray(out, u0 + 2 * L);
        EXACT.cast(a3).intoArray(out, u0 + 3 * L);
        EXACT.cast(a4).intoArray(out, u0 + 4 * L);
        EXACT.cast(a5).intoArray(out, u0 + 5 * L);
        EXACT.cast(a6).intoArray(out, u0 + 6 * L);
        EXACT.cast(a7).intoArray(out, u0 + 7 * L);
    }

    /** Units {@code u0 .. u0 + L}: rows taken four at a time into four accumulators, summed at the end. */
    private static void dense1(float[] in, int io, int n, float[] k, int kOff, float[] out, int u0) {
        FloatVector a0 = FloatVector.zero(S);
        FloatVector a1 = a0;
        FloatVector a2 = a0;
        FloatVector a3 = a0;
        int i = 0;
        for (; i + 3 < n; i += 4) {
            int row = kOff + i * L;
            a0 = FloatVector.broadcast(S, in[io + i]).fma(FloatVector.fromArray(S, k, row), a0);
            a1 = FloatVector.broadcast(S, in[io + i + 1]).fma(FloatVector.fromArray(S, k, row + L), a1);
            a2 = FloatVector.broadcast(S, in[io + i + 2]).fma(FloatVector.fromArray(S, k, row + 2 * L), a2);
            a3 = FloatVector.broadcast(S, in[io + i + 3]).fma(FloatVector.fromArray(S, k, row + 3 * L), a3);
        }
        for (; i < n; i++) {
            a0 = FloatVector.broadcast(S, in[io + i]).fma(FloatVector.fromArray(S, k, kOff + i * L), a0);
        }
        EXACT.cast(a0).add(EXACT.cast(a1)).add(EXACT.cast(a2).add(EXACT.cast(a3))).intoArray(out, u0);
    }
}
