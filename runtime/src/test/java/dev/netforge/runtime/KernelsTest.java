package dev.netforge.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every kernel of both implementations against the naive loops below, on many shapes. Surefire runs
 * this class twice: with {@code --add-modules jdk.incubator.vector} (system property
 * {@code netforge.test.vector=required}: the vector implementation must be there) and without it
 * ({@code absent}: the lookup must fall back to scalar). Run alone from an IDE, the vector cases are
 * skipped when the module is missing.
 */
class KernelsTest {
    private static final float TOLERANCE = 1e-5f;
    private static final float SENTINEL = -12345f;

    static Stream<Kernels> implementations() {
        List<Kernels> all = new ArrayList<>();
        all.add(new ScalarKernels());
        // the serve-while-warming-up kernels, on the layouts of 128-, 256- and 512-bit vectors
        all.add(new PackedScalarKernels(4));
        all.add(new PackedScalarKernels(8));
        all.add(new PackedScalarKernels(16));
        if (KernelsLookup.whyNoVectorApi() == null) {
            Kernels vector = KernelsLookup.lookup("vector");
            // the run that asks for a width (-XX:UseAVX=2 on an AVX-512 CPU) must get it
            String bits = System.getProperty("netforge.test.vectorBits");
            if (bits != null) {
                assertEquals("vector (" + bits + "-bit)", vector.name());
            }
            all.add(vector);
        } else if ("required".equals(System.getProperty("netforge.test.vector"))) {
            fail("the vector kernels are required in this run, but " + KernelsLookup.whyNoVectorApi());
        }
        return all.stream();
    }

    // ---------------------------------------------------------------- lookup

    @Test
    void lookupFollowsTheModuleAndTheProperty() {
        String expected = System.getProperty("netforge.test.vector", "");
        boolean vectorUsable = KernelsLookup.whyNoVectorApi() == null;
        if (expected.equals("required")) {
            assertTrue(vectorUsable, KernelsLookup.whyNoVectorApi());
        } else if (expected.equals("absent")) {
            assertTrue(!vectorUsable, "jdk.incubator.vector should not be in this run");
            assertTrue(KernelsLookup.whyNoVectorApi().contains("--add-modules jdk.incubator.vector"));
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> KernelsLookup.lookup("vector"));
            assertTrue(e.getMessage().contains("--add-modules jdk.incubator.vector"), e.getMessage());
        }
        String auto = KernelsLookup.lookup("").name();
        assertEquals(vectorUsable, auto.startsWith("vector"), auto);
        assertEquals(vectorUsable, auto.endsWith(KernelsText.warmingUp()), auto);
        assertEquals(auto, KernelsLookup.lookup(" AUTO ").name());
        assertEquals("scalar", KernelsLookup.lookup("scalar").name());
        if (System.getProperty(Kernels.PROPERTY) == null) {
            assertEquals(auto.replace(KernelsText.warmingUp(), ""), Kernels.get().name().replace(KernelsText.warmingUp(), ""));
        }
        assertSame(Kernels.get(), Kernels.get());
        assertThrows(IllegalStateException.class, () -> KernelsLookup.lookup("fast"));
    }

    /**
     * Without the module: nothing at the lookup, then one line on standard error at the first kernel
     * call (the first forward), naming the flag and the speed-up, without a timestamp; never again,
     * from any thread; and nothing with {@code -Dnetforge.kernels=scalar}.
     */
    @Test
    void withoutTheModuleTheHintIsOneLineOnStandardErrorAtTheFirstCall() throws InterruptedException {
        if (KernelsLookup.whyNoVectorApi() == null) {
            return; // checked by the run without the module (netforge.test.vector=absent)
        }
        java.io.PrintStream old = System.err;
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            Kernels hinting = KernelsLookup.lookup("");
            float[] kernel = hinting.prepareDense(new float[4 * 8], 4, 8);
            assertEquals("", err.toString(java.nio.charset.StandardCharsets.UTF_8), "nothing before the first call");
            Thread[] threads = new Thread[4];
            for (int t = 0; t < threads.length; t++) {
                threads[t] = new Thread(() -> {
                    for (int i = 0; i < 100; i++) {
                        hinting.dense(new float[4], 4, kernel, 8, null, new float[8], false);
                    }
                });
                threads[t].start();
            }
            for (Thread t : threads) {
                t.join();
            }
            KernelsLookup.lookup("scalar").dense(new float[4], 4, kernel, 8, null, new float[8], false);
        } finally {
            System.setErr(old);
        }
        String printed = err.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertEquals("NetForge uses its plain-Java kernels: start the JVM with --add-modules jdk.incubator.vector for"
                + " the Vector API kernels, ~8x faster on MnistNet (-Dnetforge.kernels=scalar silences this line)"
                + System.lineSeparator(), printed);
    }

    /**
     * The default with the module: calls are served by the plain-Java kernels on the packed weights
     * until the warm-up thread has seen the vector kernels win, then by the vector kernels; both
     * results match the naive loops.
     */
    @Test
    void tieredKernelsServeColdThenSwitchToTheVectorKernels() throws InterruptedException {
        if (KernelsLookup.whyNoVectorApi() != null) {
            return; // checked by the run with the module (netforge.test.vector=required)
        }
        Kernels vector = KernelsLookup.lookup("vector");
        TieredKernels tiered = new TieredKernels(KernelsLookup.preferredLanes());
        assertEquals(vector.packingLanes(), tiered.packingLanes());
        assertTrue(!tiered.vectorReady());
        assertEquals(vector.name() + KernelsText.warmingUp(), tiered.name());
        Conv t = new Conv(13, 13, 32, 3, 3, 64, 1, 1, 2, 2, 2, 2, true, true);
        SplittableRandom random = new SplittableRandom(11);
        float[] in = uniform(random, t.h * t.w * t.c, 1f);
        float[] kernel = uniform(random, t.kh * t.kw * t.c * t.f, 0.2f);
        float[] bias = uniform(random, t.f, 0.5f);
        float[] expected = naiveMaxPool(naiveConv(in, t.h, t.w, t.c, kernel, t.kh, t.kw, t.f, bias, t.sh, t.sw,
                t.relu), t.oh(), t.ow(), t.f, t.ph, t.pw, t.psh, t.psw);
        float[] prepared = tiered.prepareConv2d(kernel, t.kh, t.kw, t.c, t.f);
        float[] scratch = new float[Kernels.convScratch(t.kh, t.kw, t.c, t.f)];
        float[] cold = new float[expected.length];
        tiered.conv2dMaxPool(in, t.h, t.w, t.c, prepared, t.kh, t.kw, t.f, bias, 1, 1, 2, 2, 2, 2, cold, t.poh(),
                t.pow(), true, scratch);
        assertClose(expected, cold, "before the switch");
        Conv r = new Conv(10, 9, 16, 3, 3, 32, 1, 1, 0, 0, 0, 0, true, true);
        float[] rIn = uniform(random, r.h * r.w * r.c, 1f);
        float[] rKernel = uniform(random, r.kh * r.kw * r.c * r.f, 0.2f);
        float[] rResidual = uniform(random, r.oh() * r.ow() * r.f, 1f);
        float[] rExpected = naiveConvAdd(rIn, r.h, r.w, r.c, rKernel, r.kh, r.kw, r.f, bias, 1, 1, rResidual, true);
        float[] rPrepared = tiered.prepareConv2d(rKernel, r.kh, r.kw, r.c, r.f);
        float[] rOut = new float[rExpected.length];
        tiered.conv2d(rIn, r.h, r.w, r.c, rPrepared, r.kh, r.kw, r.f, bias, 1, 1, rOut, r.oh(), r.ow(), rResidual, true,
                scratch);
        assertClose(rExpected, rOut, "a residual, before the switch");
        long deadline = System.nanoTime() + TieredKernels.PATIENCE_NANOS;
        while (!tiered.vectorReady() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(tiered.vectorReady(), "the vector kernels never beat the plain-Java ones in the warm-up");
        assertEquals(vector.name(), tiered.name());
        float[] warm = new float[expected.length];
        tiered.conv2dMaxPool(in, t.h, t.w, t.c, prepared, t.kh, t.kw, t.f, bias, 1, 1, 2, 2, 2, 2, warm, t.poh(),
                t.pow(), true, scratch);
        assertClose(expected, warm, "after the switch");
        java.util.Arrays.fill(rOut, 0f);
        tiered.conv2d(rIn, r.h, r.w, r.c, rPrepared, r.kh, r.kw, r.f, bias, 1, 1, rOut, r.oh(), r.ow(), rResidual, true,
                scratch);
        assertClose(rExpected, rOut, "a residual, after the switch");
        float[] direct = new float[expected.length];
        vector.conv2dMaxPool(in, t.h, t.w, t.c, prepared, t.kh, t.kw, t.f, bias, 1, 1, 2, 2, 2, 2, direct, t.poh(),
                t.pow(), true, scratch);
        assertTrue(Arrays.equals(direct, warm), "after the switch, calls must take the vector kernels");
    }

    /**
     * A dense tail run in batches whose last layer has fewer units than a vector (a 10-class output):
     * that layer runs scalar loops in both implementations, so it must not keep the switch from
     * happening (it did, at random, before such shapes counted as won), and the batches before and
     * after the switch are bit for bit the single calls'.
     */
    @Test
    void aBatchedDenseTailWithATenUnitOutputSwitchesToTheVectorKernels() throws InterruptedException {
        if (KernelsLookup.whyNoVectorApi() != null) {
            return; // checked by the run with the module (netforge.test.vector=required)
        }
        TieredKernels tiered = new TieredKernels(KernelsLookup.preferredLanes());
        SplittableRandom random = new SplittableRandom(12);
        int[][] layers = {{784, 512}, {512, 256}, {256, 10}};
        int rows = 8;
        float[][] prepared = new float[layers.length][];
        float[][] biases = new float[layers.length][];
        for (int l = 0; l < layers.length; l++) {
            prepared[l] = tiered.prepareDense(uniform(random, layers[l][0] * layers[l][1], 0.05f), layers[l][0],
                    layers[l][1]);
            biases[l] = uniform(random, layers[l][1], 0.1f);
        }
        float[] in = uniform(random, rows * 784, 1f);
        float[] before = runTail(tiered, layers, prepared, biases, in, rows);
        long deadline = System.nanoTime() + TieredKernels.PATIENCE_NANOS;
        while (!tiered.vectorReady() && System.nanoTime() < deadline) {
            runTail(tiered, layers, prepared, biases, in, rows);
            Thread.sleep(5);
        }
        assertTrue(tiered.vectorReady(), "a 10-unit dense layer kept the vector kernels from serving");
        float[] after = runTail(tiered, layers, prepared, biases, in, rows);
        float[] single = new float[10];
        for (int r = 0; r < rows; r++) {
            float[] x = Arrays.copyOfRange(in, r * 784, (r + 1) * 784);
            for (int l = 0; l < layers.length; l++) {
                float[] y = new float[layers[l][1]];
                tiered.dense(x, layers[l][0], prepared[l], layers[l][1], biases[l], y, l + 1 < layers.length);
                x = y;
            }
            System.arraycopy(x, 0, single, 0, 10);
            assertArrayEquals(single, Arrays.copyOfRange(after, r * 10, (r + 1) * 10), "row " + r);
            assertClose(Arrays.copyOfRange(before, r * 10, (r + 1) * 10), single, "row " + r + " before the switch");
        }
    }

    private static float[] runTail(Kernels kernels, int[][] layers, float[][] prepared, float[][] biases, float[] in,
                                   int rows) {
        float[] x = in;
        for (int l = 0; l < layers.length; l++) {
            float[] y = new float[rows * layers[l][1]];
            kernels.denseBatch(x, layers[l][0], rows, prepared[l], layers[l][1], biases[l], y, l + 1 < layers.length);
            x = y;
        }
        return x;
    }

    @Test
    void fmaFlagIsReadFromCpuinfo() {
        String head = "processor\t: 0\nvendor_id\t: AuthenticAMD\n";
        assertTrue(KernelsLookup.listsFma(head + "flags\t\t: fpu sse2 fma cx16 avx2\nbogomips\t: 1\n"));
        assertTrue(KernelsLookup.listsFma(head + "flags\t\t: fpu avx2 fma\n"));
        assertTrue(KernelsLookup.listsFma(head + "flags\t\t: fpu avx2 fma"));
        assertTrue(!KernelsLookup.listsFma(head + "flags\t\t: fpu sse2 fma4 avx\nbugs\t: fma\n"));
        assertTrue(!KernelsLookup.listsFma(head + "flags\t\t: fpu sse2\n"));
        assertTrue(KernelsLookup.listsFma(head), "no flags line: assume FMA");
    }

    // ---------------------------------------------------------------- conv2d

    /** A convolution case: input h x w x c, kernel kh x kw, f filters, strides, pool (0 = none). */
    record Conv(int h, int w, int c, int kh, int kw, int f, int sh, int sw, int ph, int pw, int psh, int psw,
            boolean bias, boolean relu) {
        int oh() {
            return (h - kh) / sh + 1;
        }

        int ow() {
            return (w - kw) / sw + 1;
        }

        int poh() {
            return (oh() - ph) / psh + 1;
        }

        int pow() {
            return (ow() - pw) / psw + 1;
        }

        @Override
        public String toString() {
            return h + "x" + w + "x" + c + " k" + kh + "x" + kw + " f" + f + " s" + sh + "," + sw
                    + (ph > 0 ? " pool" + ph + "x" + pw + "/" + psh + "," + psw : "") + (bias ? " bias" : "")
                    + (relu ? " relu" : "");
        }
    }

    static List<Conv> convCases(boolean pooled) {
        List<Conv> cases = new ArrayList<>();
        // MnistNet's two layers, and the VGG-style ones
        cases.add(new Conv(28, 28, 1, 3, 3, 32, 1, 1, 2, 2, 2, 2, true, true));
        cases.add(new Conv(13, 13, 32, 3, 3, 64, 1, 1, 2, 2, 2, 2, true, true));
        cases.add(new Conv(34, 34, 3, 3, 3, 16, 1, 1, 2, 2, 2, 2, true, true));
        if (pooled) {
            // 3-row kernels at row stride 1 then a 2x2 pool at stride 2 (the row tiles): VGG-style's second
            // layer, odd pooled rows and columns with one filter vector and with two, a tail of filters, a
            // column stride, the fewest pooled rows and columns (2)
            cases.add(new Conv(34, 34, 16, 3, 3, 16, 1, 1, 2, 2, 2, 2, true, true));
            cases.add(new Conv(17, 13, 8, 3, 3, 16, 1, 1, 2, 2, 2, 2, true, false));
            cases.add(new Conv(13, 12, 16, 3, 3, 32, 1, 1, 2, 2, 2, 2, false, true));
            cases.add(new Conv(9, 11, 12, 3, 3, 40, 1, 1, 2, 2, 2, 2, true, true));
            cases.add(new Conv(9, 19, 6, 3, 3, 32, 1, 2, 2, 2, 2, 2, true, true));
            cases.add(new Conv(6, 6, 16, 3, 3, 64, 1, 1, 2, 2, 2, 2, true, true));
            // pixels 16 floats apart, one filter vector (4 conv rows x 4 pixels, 2 x 2 pooled, with 512-bit
            // vectors): odd pooled rows and columns, the fewest (2 x 2), 8 channels at column stride 2, a
            // tail of filters
            cases.add(new Conv(13, 17, 16, 3, 3, 16, 1, 1, 2, 2, 2, 2, true, true));
            cases.add(new Conv(6, 6, 16, 3, 3, 16, 1, 1, 2, 2, 2, 2, false, true));
            cases.add(new Conv(10, 21, 8, 3, 3, 16, 1, 2, 2, 2, 2, 2, true, false));
            cases.add(new Conv(11, 10, 16, 3, 3, 20, 1, 1, 2, 2, 2, 2, true, true));
            // 1-3 channels, two pool windows at a time (512-bit vectors, an even number of filter vectors):
            // an even number of pooled columns, the odd last column, a single column, 4 filter vectors, a
            // 2x1 window (its pixels repeated), strides, no bias and no ReLU
            cases.add(new Conv(26, 26, 1, 3, 3, 32, 1, 1, 2, 2, 2, 2, true, true));
            cases.add(new Conv(12, 11, 2, 3, 3, 64, 1, 1, 2, 2, 2, 2, false, true));
            cases.add(new Conv(9, 4, 3, 3, 3, 32, 1, 1, 2, 2, 2, 2, true, false));
            cases.add(new Conv(10, 15, 1, 3, 3, 32, 1, 1, 2, 1, 2, 1, true, true));
            cases.add(new Conv(17, 19, 3, 3, 3, 32, 2, 2, 2, 2, 2, 2, false, false));
            cases.add(new Conv(11, 14, 1, 2, 3, 48, 1, 2, 2, 2, 1, 2, true, true));
            // one channel, 3x3 at stride 1, a 2x2 pool at stride 2 (a grayscale first layer, MnistNet's conv1: the
            // one-channel windows with 512-bit vectors): the fewest pooled columns (2), an odd number (3) with a
            // filter tail, 4 filter vectors, an odd number of pooled rows, no bias, no ReLU
            cases.add(new Conv(9, 6, 1, 3, 3, 64, 1, 1, 2, 2, 2, 2, true, true));
            cases.add(new Conv(12, 9, 1, 3, 3, 40, 1, 1, 2, 2, 2, 2, false, true));
            cases.add(new Conv(8, 11, 1, 3, 3, 32, 1, 1, 2, 2, 2, 2, true, false));
        }
        if (!pooled) {
            // 3-row kernels whose filters fill one vector (the rows path): a ResNet stem and first stage, an
            // odd number of output rows, a column stride, a row stride, filters past the vector, short rows
            cases.add(new Conv(34, 34, 3, 3, 3, 16, 1, 1, 0, 0, 0, 0, false, true));
            cases.add(new Conv(34, 34, 16, 3, 3, 16, 1, 1, 0, 0, 0, 0, true, false));
            cases.add(new Conv(11, 12, 5, 3, 3, 16, 1, 1, 0, 0, 0, 0, true, true));
            cases.add(new Conv(9, 21, 4, 3, 3, 8, 1, 2, 0, 0, 0, 0, true, true));
            cases.add(new Conv(13, 19, 4, 3, 3, 16, 2, 1, 0, 0, 0, 0, true, true));
            cases.add(new Conv(10, 13, 6, 3, 2, 20, 1, 1, 0, 0, 0, 0, true, true));
            cases.add(new Conv(12, 10, 7, 3, 3, 12, 1, 1, 0, 0, 0, 0, false, false));
            // 3-row kernels at row stride 1 with an even number of filter vectors (2 rows x 2 pixels with
            // 512-bit vectors): a ResNet's second and third stages, odd output rows and columns, a tail of
            // filters, a column stride, the smallest outputs
            cases.add(new Conv(18, 18, 32, 3, 3, 32, 1, 1, 0, 0, 0, 0, true, true));
            cases.add(new Conv(10, 11, 64, 3, 3, 64, 1, 1, 0, 0, 0, 0, true, false));
            cases.add(new Conv(9, 12, 8, 3, 3, 40, 1, 2, 0, 0, 0, 0, true, true));
            cases.add(new Conv(7, 7, 12, 3, 3, 32, 1, 1, 0, 0, 0, 0, false, true));
            cases.add(new Conv(4, 4, 12, 3, 3, 32, 1, 1, 0, 0, 0, 0, true, true));
            cases.add(new Conv(3, 5, 12, 3, 3, 32, 1, 1, 0, 0, 0, 0, true, true));
            // the same at row stride 2 (4 rows x 2 pixels with 512-bit vectors): a ResNet's strided
            // convolutions, odd output rows and columns, a column stride of 1, a tail of filters, the
            // fewest rows (4) and one fewer (the other paths)
            cases.add(new Conv(33, 33, 16, 3, 3, 32, 2, 2, 0, 0, 0, 0, false, true));
            cases.add(new Conv(17, 17, 32, 3, 3, 64, 2, 2, 0, 0, 0, 0, true, false));
            cases.add(new Conv(19, 15, 8, 3, 3, 32, 2, 1, 0, 0, 0, 0, true, true));
            cases.add(new Conv(11, 9, 8, 3, 3, 40, 2, 2, 0, 0, 0, 0, true, true));
            cases.add(new Conv(9, 6, 12, 3, 3, 32, 2, 2, 0, 0, 0, 0, true, true));
            cases.add(new Conv(8, 6, 12, 3, 3, 32, 2, 2, 0, 0, 0, 0, true, true));
            // 4 rows x 3 pixels of one filter vector: output widths not a multiple of 3, 4 rows exactly
            cases.add(new Conv(6, 10, 16, 3, 3, 16, 1, 1, 0, 0, 0, 0, true, true));
            cases.add(new Conv(7, 12, 3, 3, 3, 16, 1, 2, 0, 0, 0, 0, false, true));
            // 4 rows x 4 pixels 16 floats apart (16 channels, or 8 at column stride 2): output rows and
            // columns not a multiple of 4, exactly 4, a tail of filters
            cases.add(new Conv(13, 11, 16, 3, 3, 16, 1, 1, 0, 0, 0, 0, true, true));
            cases.add(new Conv(6, 6, 16, 3, 3, 16, 1, 1, 0, 0, 0, 0, false, false));
            cases.add(new Conv(9, 19, 8, 3, 3, 16, 1, 2, 0, 0, 0, 0, true, true));
            cases.add(new Conv(8, 9, 16, 3, 3, 24, 1, 1, 0, 0, 0, 0, true, true));
            // an RGB stem at stride 2 (2 rows x 4 pixels x 2 filter vectors with 512-bit vectors): output columns
            // not a multiple of 4, odd output rows, exactly 2 rows and 4 columns, 4 filter vectors, filters
            // past the last pair (the other paths)
            cases.add(new Conv(17, 21, 3, 3, 3, 32, 2, 2, 0, 0, 0, 0, true, true));
            cases.add(new Conv(11, 13, 3, 3, 3, 32, 2, 2, 0, 0, 0, 0, false, true));
            cases.add(new Conv(6, 9, 3, 3, 3, 64, 2, 2, 0, 0, 0, 0, true, false));
            cases.add(new Conv(9, 11, 3, 3, 3, 48, 2, 2, 0, 0, 0, 0, true, true));
            // filters past the last vector (one more vector, padded): MobileNetV2's 1x1 projections to 24,
            // a residual-sized 3x3 to 24 at stride 2, fewer filters than a vector on many channels
            cases.add(new Conv(9, 7, 96, 1, 1, 24, 1, 1, 0, 0, 0, 0, false, false));
            cases.add(new Conv(11, 11, 24, 3, 3, 24, 2, 2, 0, 0, 0, 0, true, true));
            cases.add(new Conv(5, 6, 144, 1, 1, 10, 1, 1, 0, 0, 0, 0, true, false));
            // 1x1 at stride 1 (the pointwise tiles at 512 bits: 8 pixels, 4, 2 or 1 filter vectors and the
            // padded one past them): every mix of 4-vector blocks, a 2-vector block, a single vector and a
            // tail; exactly 8 pixels, 9, and a last group that overlaps the one before
            int[] pointwiseFilters = {16, 24, 40, 48, 80, 96, 112, 120, 160};
            for (int i = 0; i < pointwiseFilters.length; i++) {
                int[][] sizes = {{2, 4}, {3, 3}, {7, 9}, {5, 5}};
                int[] size = sizes[i % sizes.length];
                cases.add(new Conv(size[0], size[1], 5 + 7 * i, 1, 1, pointwiseFilters[i], 1, 1, 0, 0, 0, 0, i % 3 != 0,
                        i % 2 == 0));
            }
            // 1x1 kernels of more than POINTWISE_WEIGHTS_BY_BLOCK weights (filter blocks over all the pixels, 4
            // at a time): MobileNetV2's 7x7 stage, then a 2-vector block and a tail after the blocks on 9
            // pixels, a single vector after them on exactly 8
            cases.add(new Conv(7, 7, 160, 1, 1, 448, 1, 1, 0, 0, 0, 0, true, true));
            cases.add(new Conv(3, 3, 100, 1, 1, 680, 1, 1, 0, 0, 0, 0, false, true));
            cases.add(new Conv(2, 4, 96, 1, 1, 720, 1, 1, 0, 0, 0, 0, true, false));
        }
        int[] filters = {1, 3, 8, 17, 32, 64};
        int[][] kernels = {{1, 1}, {1, 4}, {2, 3}, {3, 1}, {3, 3}, {4, 2}, {5, 5}};
        int[][] strides = {{1, 1}, {2, 2}, {3, 1}, {1, 3}, {2, 3}, {3, 3}};
        int[][] pools = {{2, 2, 2, 2}, {3, 3, 2, 2}, {2, 3, 2, 3}, {1, 1, 1, 1}, {2, 2, 1, 1}, {3, 2, 3, 1}};
        int[] channels = {1, 2, 3, 5, 16, 32};
        SplittableRandom random = new SplittableRandom(pooled ? 7 : 3);
        for (int f : filters) {
            for (int[] k : kernels) {
                for (int[] s : strides) {
                    int c = channels[random.nextInt(channels.length)];
                    int[] p = pools[random.nextInt(pools.length)];
                    int minH = k[0] + (pooled ? (p[0] - 1) * s[0] : 0);
                    int minW = k[1] + (pooled ? (p[1] - 1) * s[1] : 0);
                    int h = minH + random.nextInt(9);
                    int w = minW + random.nextInt(9);
                    boolean tiny = random.nextInt(8) == 0;
                    cases.add(new Conv(tiny ? minH : h, tiny ? minW : w, c, k[0], k[1], f, s[0], s[1], p[0], p[1],
                            p[2], p[3], random.nextInt(4) != 0, random.nextBoolean()));
                }
            }
        }
        return cases;
    }

    static Stream<Object[]> convArguments() {
        return implementations().flatMap(k -> convCases(false).stream().map(c -> new Object[] {k, c}));
    }

    static Stream<Object[]> poolArguments() {
        return implementations().flatMap(k -> convCases(true).stream().map(c -> new Object[] {k, c}));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("convArguments")
    void conv2dMatchesTheNaiveLoops(Kernels kernels, Conv t) {
        SplittableRandom random = new SplittableRandom(t.hashCode());
        float[] in = uniform(random, t.h * t.w * t.c, 1f);
        float[] kernel = uniform(random, t.kh * t.kw * t.c * t.f, (float) (1 / Math.sqrt(t.kh * t.kw * t.c)));
        float[] bias = t.bias ? uniform(random, t.f, 0.5f) : null;
        float[] expected = naiveConv(in, t.h, t.w, t.c, kernel, t.kh, t.kw, t.f, bias, t.sh, t.sw, t.relu);
        float[] kernelCopy = kernel.clone();
        float[] inCopy = in.clone();
        float[] prepared = kernels.prepareConv2d(kernel, t.kh, t.kw, t.c, t.f);
        float[] out = sentinels(expected.length + 40);
        float[] scratch = sentinels(Kernels.convScratch(t.kh, t.kw, t.c, t.f));
        kernels.conv2d(in, t.h, t.w, t.c, prepared, t.kh, t.kw, t.f, bias, t.sh, t.sw, out, t.oh(), t.ow(), t.relu,
                scratch);
        assertClose(expected, out, t.toString());
        assertTrue(Arrays.equals(kernelCopy, kernel) && Arrays.equals(inCopy, in), "inputs modified");
    }

    /**
     * The residual variant ({@code conv + bias + residual}, then ReLU, as a ResNet block ends) on every
     * convolution case, against the naive loops with the residual added in double before the ReLU;
     * the residual is read, never written.
     */
    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("convArguments")
    void conv2dWithAResidualMatchesTheNaiveLoops(Kernels kernels, Conv t) {
        SplittableRandom random = new SplittableRandom(t.hashCode() * 31L + 1);
        float[] in = uniform(random, t.h * t.w * t.c, 1f);
        float[] kernel = uniform(random, t.kh * t.kw * t.c * t.f, (float) (1 / Math.sqrt(t.kh * t.kw * t.c)));
        float[] bias = t.bias ? uniform(random, t.f, 0.5f) : null;
        float[] residual = uniform(random, t.oh() * t.ow() * t.f, 1f);
        float[] expected = naiveConvAdd(in, t.h, t.w, t.c, kernel, t.kh, t.kw, t.f, bias, t.sh, t.sw, residual,
                t.relu);
        float[] residualCopy = residual.clone();
        float[] prepared = kernels.prepareConv2d(kernel, t.kh, t.kw, t.c, t.f);
        float[] out = sentinels(expected.length + 40);
        float[] scratch = sentinels(Kernels.convScratch(t.kh, t.kw, t.c, t.f));
        kernels.conv2d(in, t.h, t.w, t.c, prepared, t.kh, t.kw, t.f, bias, t.sh, t.sw, out, t.oh(), t.ow(), residual,
                t.relu, scratch);
        assertClose(expected, out, t + " + residual");
        assertTrue(Arrays.equals(residualCopy, residual), "residual modified");
        // null is no residual: the plain convolution
        float[] plain = sentinels(expected.length + 40);
        kernels.conv2d(in, t.h, t.w, t.c, prepared, t.kh, t.kw, t.f, bias, t.sh, t.sw, plain, t.oh(), t.ow(), null,
                t.relu, scratch);
        assertClose(naiveConv(in, t.h, t.w, t.c, kernel, t.kh, t.kw, t.f, bias, t.sh, t.sw, t.relu), plain,
                t + " with a null residual");
    }

    static Stream<Object[]> reluConvArguments() {
        return implementations().flatMap(k -> convCases(false).stream().filter(Conv::relu).map(c -> new Object[] {k, c}));
    }

    /**
     * ReLU with a ceiling (ReLU6's 6; here 0.25, which the outputs, about 1 in size, cross often): {@code min(max(conv
     * + bias + residual, 0), ceiling)}, with a residual and without, on every convolution case with ReLU.
     */
    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("reluConvArguments")
    void conv2dWithACeilingMatchesTheNaiveLoops(Kernels kernels, Conv t) {
        SplittableRandom random = new SplittableRandom(t.hashCode() * 17L + 5);
        float[] in = uniform(random, t.h * t.w * t.c, 1f);
        float[] kernel = uniform(random, t.kh * t.kw * t.c * t.f, (float) (1 / Math.sqrt(t.kh * t.kw * t.c)));
        float[] bias = t.bias ? uniform(random, t.f, 0.5f) : null;
        float[] residual = uniform(random, t.oh() * t.ow() * t.f, 1f);
        float[] prepared = kernels.prepareConv2d(kernel, t.kh, t.kw, t.c, t.f);
        float[] scratch = sentinels(Kernels.convScratch(t.kh, t.kw, t.c, t.f));
        for (float[] r : new float[][] {null, residual}) {
            float[] expected = naiveConvAdd(in, t.h, t.w, t.c, kernel, t.kh, t.kw, t.f, bias, t.sh, t.sw, r, true);
            for (int i = 0; i < expected.length; i++) {
                expected[i] = Math.min(expected[i], 0.25f);
            }
            float[] out = sentinels(expected.length + 40);
            kernels.conv2d(in, t.h, t.w, t.c, prepared, t.kh, t.kw, t.f, bias, t.sh, t.sw, out, t.oh(), t.ow(), r, true,
                    0.25f, scratch);
            assertClose(expected, out, t + " ceiling 0.25" + (r == null ? "" : " + residual"));
        }
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("poolArguments")
    void conv2dMaxPoolMatchesConvThenPool(Kernels kernels, Conv t) {
        SplittableRandom random = new SplittableRandom(t.hashCode());
        float[] in = uniform(random, t.h * t.w * t.c, 1f);
        float[] kernel = uniform(random, t.kh * t.kw * t.c * t.f, (float) (1 / Math.sqrt(t.kh * t.kw * t.c)));
        float[] bias = t.bias ? uniform(random, t.f, 0.5f) : null;
        float[] conv = naiveConv(in, t.h, t.w, t.c, kernel, t.kh, t.kw, t.f, bias, t.sh, t.sw, t.relu);
        float[] expected = naiveMaxPool(conv, t.oh(), t.ow(), t.f, t.ph, t.pw, t.psh, t.psw);
        float[] prepared = kernels.prepareConv2d(kernel, t.kh, t.kw, t.c, t.f);
        float[] out = sentinels(expected.length + 40);
        float[] scratch = sentinels(Kernels.convScratch(t.kh, t.kw, t.c, t.f));
        kernels.conv2dMaxPool(in, t.h, t.w, t.c, prepared, t.kh, t.kw, t.f, bias, t.sh, t.sw, t.ph, t.pw, t.psh,
                t.psw, out, t.poh(), t.pow(), t.relu, scratch);
        assertClose(expected, out, t.toString());
    }

    // ---------------------------------------------------------------- depthwise

    /**
     * A depthwise case: input h x w x c, kernel kh x kw, depth multiplier m, dilations, strides, zero
     * padding (top, bottom, left, right), and the clamp: 0 linear, 1 ReLU, 2 ReLU6.
     */
    record Depthwise(int h, int w, int c, int kh, int kw, int m, int dh, int dw, int sh, int sw, boolean bias,
            int clamp, int pt, int pb, int pl, int pr) {
        Depthwise(int h, int w, int c, int kh, int kw, int m, int dh, int dw, int sh, int sw, boolean bias, int clamp) {
            this(h, w, c, kh, kw, m, dh, dw, sh, sw, bias, clamp, 0, 0, 0, 0);
        }

        /** The same case with Keras's 'same' padding (TensorFlow's: the odd one at the bottom and right). */
        Depthwise same() {
            int oh = (h + sh - 1) / sh;
            int ow = (w + sw - 1) / sw;
            int th = Math.max((oh - 1) * sh + dh * (kh - 1) + 1 - h, 0);
            int tw = Math.max((ow - 1) * sw + dw * (kw - 1) + 1 - w, 0);
            return new Depthwise(h, w, c, kh, kw, m, dh, dw, sh, sw, bias, clamp, th / 2, th - th / 2, tw / 2, tw - tw / 2);
        }

        int oh() {
            return (h + pt + pb - dh * (kh - 1) - 1) / sh + 1;
        }

        int ow() {
            return (w + pl + pr - dw * (kw - 1) - 1) / sw + 1;
        }

        float floor() {
            return clamp == 0 ? Float.NEGATIVE_INFINITY : 0f;
        }

        float ceiling() {
            return clamp == 2 ? 6f : Float.POSITIVE_INFINITY;
        }

        @Override
        public String toString() {
            return h + "x" + w + "x" + c + " k" + kh + "x" + kw + " m" + m + " d" + dh + "," + dw + " s" + sh + "," + sw
                    + (pt + pb + pl + pr > 0 ? " pad" + pt + "," + pb + "," + pl + "," + pr : "")
                    + (bias ? " bias" : "") + (clamp == 0 ? "" : clamp == 1 ? " relu" : " relu6");
        }
    }

    static Stream<Object[]> depthwiseArguments() {
        List<Depthwise> cases = new ArrayList<>();
        // MobileNetV2's: 'same' 3x3 at stride 1 (padded input), the strided ones after a ((0, 1), (0, 1))
        // pad, the 7x7 stage; then rows of 8+, 4-7 and 1-3 output pixels, channels past the last vector,
        // fewer channels than a vector, multipliers, dilations, taller and wider kernels, column strides
        cases.add(new Depthwise(18, 18, 32, 3, 3, 1, 1, 1, 1, 1, true, 2));
        cases.add(new Depthwise(17, 17, 96, 3, 3, 1, 1, 1, 2, 2, true, 2));
        cases.add(new Depthwise(9, 9, 160, 3, 3, 1, 1, 1, 1, 1, false, 2));
        cases.add(new Depthwise(12, 21, 48, 3, 3, 1, 1, 1, 1, 1, true, 1));
        cases.add(new Depthwise(8, 8, 16, 3, 3, 1, 1, 1, 1, 1, true, 0));
        cases.add(new Depthwise(7, 5, 32, 3, 3, 1, 1, 1, 1, 1, true, 1));
        cases.add(new Depthwise(5, 4, 64, 3, 3, 1, 1, 1, 1, 1, false, 0));
        cases.add(new Depthwise(3, 3, 16, 3, 3, 1, 1, 1, 1, 1, true, 2));
        cases.add(new Depthwise(10, 11, 20, 3, 3, 1, 1, 1, 1, 1, true, 1));
        cases.add(new Depthwise(10, 11, 3, 3, 3, 1, 1, 1, 1, 1, true, 0));
        cases.add(new Depthwise(10, 11, 7, 3, 3, 1, 1, 1, 2, 1, false, 1));
        cases.add(new Depthwise(9, 13, 8, 3, 3, 2, 1, 1, 1, 1, true, 0));
        cases.add(new Depthwise(9, 13, 17, 3, 3, 3, 1, 1, 1, 2, true, 2));
        cases.add(new Depthwise(13, 14, 32, 3, 3, 1, 2, 2, 1, 1, true, 1));
        cases.add(new Depthwise(15, 12, 16, 3, 2, 1, 3, 2, 1, 1, false, 0));
        cases.add(new Depthwise(14, 19, 32, 5, 5, 1, 1, 1, 2, 2, true, 2));
        cases.add(new Depthwise(9, 20, 16, 1, 7, 1, 1, 1, 1, 1, true, 0));
        cases.add(new Depthwise(20, 9, 24, 7, 1, 1, 1, 1, 1, 1, false, 1));
        cases.add(new Depthwise(6, 30, 16, 1, 1, 1, 1, 1, 1, 3, true, 0));
        cases.add(new Depthwise(1, 1, 40, 1, 1, 2, 1, 1, 1, 1, true, 0));
        // 3-wide rows (column by column at stride 1: depthwiseColumns3/2): rows of 8, 9-15 and 16+ inner pixels
        // at strides 1 and 2, channels past the vector, only a row's stride 2 (sh 1), and the strides apart
        // (sh 2, sw 1)
        cases.add(new Depthwise(12, 30, 24, 3, 3, 1, 1, 1, 1, 1, true, 2));
        cases.add(new Depthwise(9, 10, 16, 3, 3, 1, 1, 1, 1, 1, false, 0));
        cases.add(new Depthwise(20, 40, 48, 3, 3, 1, 1, 1, 2, 2, true, 2));
        cases.add(new Depthwise(11, 19, 40, 3, 3, 1, 1, 1, 2, 2, true, 1));
        cases.add(new Depthwise(7, 37, 16, 3, 3, 1, 1, 1, 1, 2, false, 2));
        cases.add(new Depthwise(13, 21, 32, 3, 3, 1, 1, 1, 2, 1, true, 0));
        // 3-wide but not 3-tall (rows of 5 and 2 kernel rows), at strides 1 and 2, and 3-tall dilated rows
        cases.add(new Depthwise(9, 11, 16, 5, 3, 1, 1, 1, 1, 1, true, 2));
        cases.add(new Depthwise(12, 13, 32, 5, 3, 1, 1, 1, 2, 2, false, 1));
        cases.add(new Depthwise(10, 12, 16, 2, 3, 1, 1, 1, 1, 1, true, 0));
        cases.add(new Depthwise(11, 10, 16, 3, 3, 1, 2, 1, 1, 1, true, 2));
        // rows of exactly 7 (a 224-pixel MobileNet's last stage once 'same'): channels past the vector, a taller one
        cases.add(new Depthwise(7, 7, 40, 3, 3, 1, 1, 1, 1, 1, true, 2));
        cases.add(new Depthwise(10, 7, 32, 3, 3, 1, 1, 1, 1, 1, false, 0));
        // zero padding read in place: 'same' at strides 1 and 2 (MobileNetV2's, an odd and an even input),
        // rows with no inner pixel, 4 to 7 of them, 8 or more, dilated, taller kernels, multipliers and
        // channels past the vector on the plain-Java loops; a ZeroPadding2D((0, 1), (0, 1)) then 'valid'
        // at stride 2, padding larger than the kernel's reach (whole output rows and columns of bias)
        int size = cases.size();
        for (int i = 0; i < size; i++) {
            Depthwise t = cases.get(i);
            if (t.kh > 1 || t.kw > 1) {
                cases.add(t.same());
            }
        }
        cases.add(new Depthwise(16, 16, 32, 3, 3, 1, 1, 1, 2, 2, true, 2, 0, 1, 0, 1));
        cases.add(new Depthwise(7, 7, 16, 3, 3, 1, 1, 1, 2, 2, false, 0, 0, 1, 0, 1));
        cases.add(new Depthwise(3, 4, 16, 3, 3, 1, 1, 1, 1, 1, true, 1, 3, 2, 4, 3));
        cases.add(new Depthwise(5, 13, 20, 2, 3, 1, 1, 2, 1, 1, true, 0, 1, 0, 2, 2));
        // 3-wide rows at stride 1 with one padding column on one side only, or rows padded but not columns (the
        // column-by-column rows' two starts and two ends, on 3 and 2 kernel rows); rows of 1 and 2 pixels
        cases.add(new Depthwise(9, 12, 32, 3, 3, 1, 1, 1, 1, 1, true, 2, 1, 1, 0, 0));
        cases.add(new Depthwise(8, 11, 16, 3, 3, 1, 1, 1, 1, 1, false, 1, 0, 1, 1, 0));
        cases.add(new Depthwise(6, 10, 48, 3, 3, 1, 1, 1, 1, 1, true, 0, 1, 0, 0, 1));
        cases.add(new Depthwise(5, 1, 16, 3, 3, 1, 1, 1, 1, 1, true, 2, 1, 1, 1, 1));
        cases.add(new Depthwise(4, 2, 32, 3, 3, 1, 1, 1, 1, 1, false, 0, 1, 1, 1, 1));
        cases.add(new Depthwise(17, 34, 32, 3, 3, 1, 1, 1, 2, 2, true, 2, 0, 1, 0, 1));
        cases.add(new Depthwise(6, 20, 24, 3, 3, 1, 1, 1, 1, 1, true, 2, 2, 1, 0, 3));
        // a seeded sweep, so that a kernel's dispatch cannot miss a shape the cases above do not name (a 5x3
        // kernel once took the 3x3 rows): every kernel size x stride x dilation, with random channels,
        // multiplier, padding (0-2 each side), size and clamp
        int[][] kernels = {{1, 1}, {1, 3}, {3, 1}, {2, 3}, {3, 3}, {4, 3}, {5, 3}, {3, 5}, {5, 5}};
        int[][] strides = {{1, 1}, {2, 2}, {1, 2}, {2, 1}};
        int[][] dilations = {{1, 1}, {2, 1}, {1, 2}};
        int[] channels = {3, 16, 24, 40};
        int[] multipliers = {1, 1, 1, 2};
        SplittableRandom random = new SplittableRandom(11);
        for (int[] k : kernels) {
            for (int[] s : strides) {
                for (int[] d : dilations) {
                    int pt = random.nextInt(3);
                    int pb = random.nextInt(3);
                    int pl = random.nextInt(3);
                    int pr = random.nextInt(3);
                    int h = Math.max(1, d[0] * (k[0] - 1) + 1 - pt - pb) + random.nextInt(12);
                    int w = Math.max(1, d[1] * (k[1] - 1) + 1 - pl - pr) + random.nextInt(20);
                    cases.add(new Depthwise(h, w, channels[random.nextInt(channels.length)], k[0], k[1],
                            multipliers[random.nextInt(multipliers.length)], d[0], d[1], s[0], s[1],
                            random.nextBoolean(), random.nextInt(3), pt, pb, pl, pr));
                }
            }
        }
        return implementations().flatMap(k -> cases.stream().map(c -> new Object[] {k, c}));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("depthwiseArguments")
    void depthwiseMatchesTheNaiveLoops(Kernels kernels, Depthwise t) {
        SplittableRandom random = new SplittableRandom(t.hashCode());
        float[] in = uniform(random, t.h * t.w * t.c, 1f); // ReLU6 clamping: depthwiseKeepsANaN
        float[] kernel = uniform(random, t.kh * t.kw * t.c * t.m, 1f);
        float[] bias = t.bias ? uniform(random, t.c * t.m, 0.5f) : null;
        float[] expected = naiveDepthwise(in, t, kernel, bias);
        float[] kernelCopy = kernel.clone();
        float[] inCopy = in.clone();
        float[] out = sentinels(expected.length + 40);
        kernels.depthwiseConv2d(in, t.h, t.w, t.c, kernel, t.kh, t.kw, t.m, t.dh, t.dw, bias, t.sh, t.sw, t.pt, t.pl,
                out, t.oh(), t.ow(), t.floor(), t.ceiling());
        assertClose(expected, out, t.toString());
        assertTrue(Arrays.equals(kernelCopy, kernel) && Arrays.equals(inCopy, in), "inputs modified");
    }

    /** A NaN input reaches its outputs through the clamp, as Keras's ReLU6 passes it. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("implementations")
    void depthwiseKeepsANaN(Kernels kernels) {
        Depthwise t = new Depthwise(6, 12, 32, 3, 3, 1, 1, 1, 1, 1, true, 2);
        float[] in = new float[t.h * t.w * t.c];
        Arrays.fill(in, 1f);
        in[(2 * t.w + 5) * t.c + 17] = Float.NaN;
        float[] kernel = new float[9 * t.c];
        Arrays.fill(kernel, 1f);
        float[] out = new float[t.oh() * t.ow() * t.c];
        kernels.depthwiseConv2d(in, t.h, t.w, t.c, kernel, 3, 3, 1, 1, 1, new float[t.c], 1, 1, 0, 0, out, t.oh(),
                t.ow(), 0f, 6f);
        assertTrue(Float.isNaN(out[(1 * t.ow() + 4) * t.c + 17]), "the NaN's window");
        assertEquals(6f, out[(3 * t.ow() + 9) * t.c + 17], "a window without it, clamped to 6");
        assertEquals(6f, out[(1 * t.ow() + 4) * t.c + 16], "its neighbouring channel");
    }

    /** Depthwise convolution, the textbook loops, accumulated in double. */
    static float[] naiveDepthwise(float[] in, Depthwise t, float[] kernel, float[] bias) {
        int oc = t.c * t.m;
        float[] out = new float[t.oh() * t.ow() * oc];
        for (int y = 0; y < t.oh(); y++) {
            for (int x = 0; x < t.ow(); x++) {
                for (int ci = 0; ci < t.c; ci++) {
                    for (int j = 0; j < t.m; j++) {
                        int u = ci * t.m + j;
                        double s = bias == null ? 0 : bias[u];
                        for (int i = 0; i < t.kh; i++) {
                            for (int k = 0; k < t.kw; k++) {
                                int r = y * t.sh + i * t.dh - t.pt;
                                int col = x * t.sw + k * t.dw - t.pl;
                                if (r >= 0 && r < t.h && col >= 0 && col < t.w) { // the padding is zeros
                                    s += (double) in[(r * t.w + col) * t.c + ci] * kernel[(i * t.kw + k) * oc + u];
                                }
                            }
                        }
                        out[(y * t.ow() + x) * oc + u] = (float) Math.min(Math.max(s, t.floor()), t.ceiling());
                    }
                }
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- dense

    static Stream<Object[]> denseArguments() {
        int[] inputs = {1, 3, 4, 7, 64, 100, 1600};
        int[] units = {1, 3, 8, 10, 17, 64, 65, 128, 200};
        List<Object[]> cases = new ArrayList<>();
        implementations().forEach(k -> {
            for (int n : inputs) {
                for (int u : units) {
                    cases.add(new Object[] {k, n, u, (n + u) % 3 != 0, (n * u) % 2 == 0});
                }
            }
        });
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}: {1} -> {2}, bias {3}, relu {4}")
    @MethodSource("denseArguments")
    void denseMatchesTheNaiveLoops(Kernels kernels, int n, int units, boolean withBias, boolean relu) {
        SplittableRandom random = new SplittableRandom(n * 1000L + units);
        float[] in = uniform(random, n, 1f);
        for (int i = 0; i < n; i += 3) {
            in[i] = 0f; // as after a ReLU
        }
        float[] kernel = uniform(random, n * units, (float) (1 / Math.sqrt(n)));
        float[] bias = withBias ? uniform(random, units, 0.5f) : null;
        float[] expected = new float[units];
        for (int u = 0; u < units; u++) {
            double s = bias == null ? 0 : bias[u];
            for (int i = 0; i < n; i++) {
                s += (double) in[i] * kernel[i * units + u];
            }
            expected[u] = relu ? (float) Math.max(s, 0) : (float) s;
        }
        float[] out = sentinels(units + 20);
        kernels.dense(in, n, kernels.prepareDense(kernel, n, units), units, bias, out, relu);
        assertClose(expected, out, n + " -> " + units);
    }

    static Stream<Object[]> denseBatchArguments() {
        int[] counts = {1, 3, 4, 5, 8, 11};
        int[][] sizes = {{1, 3}, {7, 10}, {64, 128}, {100, 200}, {1600, 128}, {33, 65}, {16, 512}};
        List<Object[]> cases = new ArrayList<>();
        implementations().forEach(k -> {
            for (int count : counts) {
                for (int[] size : sizes) {
                    cases.add(new Object[] {k, count, size[0], size[1], (count + size[0]) % 3 != 0, size[1] % 2 == 0});
                }
            }
        });
        return cases.stream();
    }

    /**
     * A batch: each row within the dense tolerance of the double-precision loops, and bit for bit what
     * {@code dense} gives for that row alone (so a batched forward pass equals the single one exactly).
     */
    @ParameterizedTest(name = "{0}: {1} rows, {2} -> {3}, bias {4}, relu {5}")
    @MethodSource("denseBatchArguments")
    void denseBatchIsDenseRowByRow(Kernels kernels, int count, int n, int units, boolean withBias, boolean relu) {
        SplittableRandom random = new SplittableRandom(count * 100_000L + n * 1000L + units);
        float[] in = uniform(random, count * n, 1f);
        float[] kernel = uniform(random, n * units, (float) (1 / Math.sqrt(n)));
        float[] bias = withBias ? uniform(random, units, 0.5f) : null;
        float[] prepared = kernels.prepareDense(kernel, n, units);
        float[] out = sentinels(count * units + 20);
        kernels.denseBatch(in, n, count, prepared, units, bias, out, relu);
        for (int m = 0; m < count; m++) {
            float[] row = java.util.Arrays.copyOfRange(in, m * n, (m + 1) * n);
            float[] single = new float[units];
            kernels.dense(row, n, prepared, units, bias, single, relu);
            float[] batched = java.util.Arrays.copyOfRange(out, m * units, (m + 1) * units);
            assertArrayEquals(single, batched, "row " + m + " of " + count);
            float[] expected = new float[units];
            for (int u = 0; u < units; u++) {
                double s = bias == null ? 0 : bias[u];
                for (int i = 0; i < n; i++) {
                    s += (double) row[i] * kernel[i * units + u];
                }
                expected[u] = relu ? (float) Math.max(s, 0) : (float) s;
            }
            assertClose(expected, batched, "row " + m);
        }
        for (int i = count * units; i < out.length; i++) {
            assertEquals(SENTINEL, out[i], "written past the batch at " + i);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("implementations")
    void prepareRejectsAKernelOfTheWrongLength(Kernels kernels) {
        assertThrows(IllegalArgumentException.class, () -> kernels.prepareConv2d(new float[26], 3, 3, 1, 3));
        assertThrows(IllegalArgumentException.class, () -> kernels.prepareDense(new float[26], 3, 9));
    }

    // ---------------------------------------------------------------- references

    /** Valid convolution, the textbook loops, accumulated in double. */
    static float[] naiveConv(float[] in, int h, int w, int c, float[] kernel, int kh, int kw, int f, float[] bias,
            int sh, int sw, boolean relu) {
        return naiveConvAdd(in, h, w, c, kernel, kh, kw, f, bias, sh, sw, null, relu);
    }

    /** {@link #naiveConv}, plus {@code residual} (same layout as the output; null for none) before the ReLU. */
    static float[] naiveConvAdd(float[] in, int h, int w, int c, float[] kernel, int kh, int kw, int f, float[] bias,
            int sh, int sw, float[] residual, boolean relu) {
        int oh = (h - kh) / sh + 1;
        int ow = (w - kw) / sw + 1;
        float[] out = new float[oh * ow * f];
        for (int y = 0; y < oh; y++) {
            for (int x = 0; x < ow; x++) {
                for (int q = 0; q < f; q++) {
                    double s = bias == null ? 0 : bias[q];
                    for (int i = 0; i < kh; i++) {
                        for (int j = 0; j < kw; j++) {
                            for (int ci = 0; ci < c; ci++) {
                                s += (double) in[((y * sh + i) * w + x * sw + j) * c + ci]
                                        * kernel[((i * kw + j) * c + ci) * f + q];
                            }
                        }
                    }
                    int o = (y * ow + x) * f + q;
                    s += residual == null ? 0 : residual[o];
                    out[o] = relu ? (float) Math.max(s, 0) : (float) s;
                }
            }
        }
        return out;
    }

    static float[] naiveMaxPool(float[] in, int h, int w, int c, int ph, int pw, int psh, int psw) {
        int oh = (h - ph) / psh + 1;
        int ow = (w - pw) / psw + 1;
        float[] out = new float[oh * ow * c];
        for (int y = 0; y < oh; y++) {
            for (int x = 0; x < ow; x++) {
                for (int q = 0; q < c; q++) {
                    float m = Float.NEGATIVE_INFINITY;
                    for (int i = 0; i < ph; i++) {
                        for (int j = 0; j < pw; j++) {
                            m = Math.max(m, in[((y * psh + i) * w + x * psw + j) * c + q]);
                        }
                    }
                    out[(y * ow + x) * c + q] = m;
                }
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- helpers

    static float[] uniform(SplittableRandom random, int n, float scale) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (random.nextDouble(-1, 1) * scale);
        }
        return a;
    }

    static float[] sentinels(int n) {
        float[] a = new float[n];
        Arrays.fill(a, SENTINEL);
        return a;
    }

    /** {@code actual} starts with {@code expected} (within the tolerance) and is untouched after it. */
    static void assertClose(float[] expected, float[] actual, String what) {
        for (int i = 0; i < expected.length; i++) {
            float error = Math.abs(expected[i] - actual[i]);
            if (!(error <= TOLERANCE)) {
                fail(what + ": element " + i + " of " + expected.length + " is " + actual[i] + ", expected "
                        + expected[i] + " (error " + error + ")");
            }
        }
        for (int i = expected.length; i < actual.length; i++) {
            if (actual[i] != SENTINEL) {
                fail(what + ": wrote element " + i + ", past the " + expected.length + " of the output");
            }
        }
    }
}
