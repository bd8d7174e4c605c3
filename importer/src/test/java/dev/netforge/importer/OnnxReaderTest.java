package dev.netforge.importer;

import static dev.netforge.importer.OnnxBuilder.floatAttr;
import static dev.netforge.importer.OnnxBuilder.intAttr;
import static dev.netforge.importer.OnnxBuilder.ints;
import static dev.netforge.importer.OnnxBuilder.names;
import static dev.netforge.importer.OnnxBuilder.stringAttr;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class OnnxReaderTest {

    // ------------------------------------------------------------------ the real PyTorch export

    @Test
    void pytorchMnistNetMatchesTheHandConvertedParametersExactly() throws Exception {
        ImportedModel m = OnnxReader.read(TestFiles.path(TestFiles.ONNX));
        float[] expected = TestFiles.f32(TestFiles.path(TestFiles.ONNX_PARAMETERS));
        assertNull(TestFiles.firstDifference(expected, m.parameters()), "parameters differ from netforge-parameters.f32");
        assertEquals(225_034, m.parameterCount());
    }

    @Test
    void pytorchMnistNetLayers() throws Exception {
        ImportedModel m = OnnxReader.read(TestFiles.path(TestFiles.ONNX));
        assertEquals("onnx", m.format());
        assertTrue(m.producer().startsWith("pytorch 1.13"), m.producer());
        assertArrayEquals(new int[] {28, 28, 1}, m.inputShape());
        List<String> summary = m.layers().stream().map(l -> l.kind()
                + (l.has("activation") ? "(" + l.string("activation") + ")" : "")).toList();
        assertEquals(List.of("Conv2D(relu)", "MaxPool", "Conv2D(relu)", "MaxPool", "Flatten", "Dense(relu)",
                "Dense(softmax)"), summary);
        assertEquals(List.of("conv2d", "max_pooling2d", "conv2d_1", "max_pooling2d_1", "flatten", "dense", "dense_1"),
                m.layers().stream().map(ImportedLayer::name).toList());
        ImportedLayer conv = m.layers().get(0);
        assertEquals(32, conv.integer("filters"));
        assertArrayEquals(new int[] {3, 3}, conv.ints("kernel"));
        assertEquals("valid", conv.string("padding"));
        assertArrayEquals(new int[] {2, 2}, m.layers().get(1).ints("pool"));
        assertArrayEquals(new int[] {2, 2}, m.layers().get(1).ints("strides"));
        assertArrayEquals(new int[] {1600, 128}, m.layers().get(5).weights().get(0).shape());
        assertArrayEquals(new int[] {10}, m.outputShapes().get(6));
        assertEquals(OnnxReader.read(TestFiles.path(TestFiles.ONNX)), Importer.read(TestFiles.path(TestFiles.ONNX)));
    }

    // ------------------------------------------------------------------ layouts checked by their results

    /** Deterministic values in [-0.5, 0.5], small enough that softmax and sigmoid do not saturate. */
    static float[] data(int n, int seed) {
        float[] d = SyntheticKeras.data(n, seed);
        for (int i = 0; i < n; i++) {
            d[i] /= 2 * (1 + seed);
        }
        return d;
    }

    @Test
    void convSamePaddingFlattenAndGemmGiveTheSameNumbersAsTheOnnxGraph() throws Exception {
        // input 2x5x4 (C, H, W: rectangular to catch axis mix-ups); Conv 3 filters 3x2 with TF 'same' pads;
        // ReLU; Flatten (the C,H,W -> H,W,C permutation); Gemm transB=1; Softmax.
        float[] w = data(3 * 2 * 3 * 2, 1);
        float[] b = data(3, 2);
        float[] fc = data(4 * 60, 3);
        float[] fcb = data(4, 4);
        byte[] file = new OnnxBuilder()
                .initializer("conv.weight", w, 3, 2, 3, 2).initializer("conv.bias", b, 3)
                .initializer("fc.weight", fc, 4, 60).initializer("fc.bias", fcb, 4)
                .input("x", 1, 2, 5, 4).output("y", 1, 4)
                .node("Conv", names("x", "conv.weight", "conv.bias"), names("c"), ints("kernel_shape", 3, 2),
                        ints("pads", 1, 0, 1, 1), ints("strides", 1, 1), ints("dilations", 1, 1), intAttr("group", 1))
                .node("Relu", names("c"), names("r"))
                .node("Flatten", names("r"), names("f"), intAttr("axis", 1))
                .node("Gemm", names("f", "fc.weight", "fc.bias"), names("g"), floatAttr("alpha", 1f),
                        floatAttr("beta", 1f), intAttr("transB", 1))
                .node("Softmax", names("g"), names("y"), intAttr("axis", 1))
                .build();
        ImportedModel m = OnnxReader.read(file, "t.onnx");
        assertEquals(List.of("Conv2D", "Flatten", "Dense"), m.layers().stream().map(ImportedLayer::kind).toList());
        assertEquals("same", m.layers().get(0).string("padding"));
        assertEquals("relu", m.layers().get(0).string("activation"));
        assertEquals("softmax", m.layers().get(2).string("activation"));
        assertEquals(List.of("conv", "flatten", "fc"), m.layers().stream().map(ImportedLayer::name).toList());

        float[] x = data(2 * 5 * 4, 5);
        Object[] conv = Reference.onnxConv(x, new int[] {2, 5, 4}, w, new int[] {3, 2, 3, 2}, b, 1, new int[] {1, 1},
                new int[] {1, 0, 1, 1});
        float[] expected = Reference.apply("softmax",
                Reference.gemmTransB(Reference.apply("relu", (float[]) conv[0]), fc, 4, fcb));
        float[] actual = Reference.netforge(m, Reference.nchwToNhwc(x, new int[] {2, 5, 4}));
        assertArrayEquals(expected, actual, 1e-6f);
        for (float p : expected) {
            assertTrue(p > 1e-3 && p < 0.99, "the softmax must not saturate, or it would hide wrong weights: " + p);
        }
    }

    @Test
    void depthwiseBatchNormPoolingAndMatMulGiveTheSameNumbers() throws Exception {
        // input 2x6x6; depthwise conv (group=2, multiplier 2) 3x3 stride 2 with TF 'same' pads (0,0,1,1);
        // BatchNormalization; MaxPool 2 (no activation to fuse: Relu becomes a layer of its own);
        // Reshape (batch, -1) of a 4x1x1 tensor; MatMul + Add; Sigmoid.
        float[] dw = data(4 * 9, 11);
        float[] dwb = data(4, 12);
        float[] g = data(4, 13), be = data(4, 14), mean = data(4, 15);
        float[] var = {0.5f, 1.5f, 2f, 1e-3f};
        float[] mm = data(4 * 3, 16);
        float[] mb = data(3, 17);
        byte[] file = new OnnxBuilder()
                .initializer("dw.weight", dw, 4, 1, 3, 3).initializer("dw.bias", dwb, 4)
                .initializerFloatData("bn.weight", g, 4).initializer("bn.bias", be, 4)
                .initializer("bn.running_mean", mean, 4).initializer("bn.running_var", var, 4)
                .initializerInt64("shape", new long[] {1, -1}, 2)
                .initializer("fc.weight", mm, 4, 3).initializer("fc.bias", mb, 3)
                .input("x", 1, 2, 6, 6).output("y", 1, 3)
                .node("Conv", names("x", "dw.weight", "dw.bias"), names("c"), ints("kernel_shape", 3, 3),
                        ints("pads", 0, 0, 1, 1), ints("strides", 2, 2), intAttr("group", 2))
                .node("BatchNormalization", names("c", "bn.weight", "bn.bias", "bn.running_mean", "bn.running_var"),
                        names("n"), floatAttr("epsilon", 1e-5f))
                .node("MaxPool", names("n"), names("p"), ints("kernel_shape", 2, 2), ints("strides", 2, 2))
                .node("Relu", names("p"), names("r"))
                .node("GlobalAveragePool", names("r"), names("gap"))
                .node("Reshape", names("gap", "shape"), names("flat"))
                .node("MatMul", names("flat", "fc.weight"), names("mmo"))
                .node("Add", names("mmo", "fc.bias"), names("a"))
                .node("Dropout", names("a"), names("d"), floatAttr("ratio", 0.3f))
                .node("Sigmoid", names("d"), names("y"))
                .build();
        ImportedModel m = OnnxReader.read(file, "t.onnx");
        assertEquals(List.of("DepthwiseConv2D", "BatchNormalization", "MaxPool", "Activation", "GlobalAvgPool",
                "Flatten", "Dense", "Dropout", "Activation"), m.layers().stream().map(ImportedLayer::kind).toList());
        assertEquals(2, m.layers().get(0).integer("depthMultiplier"));
        assertEquals(1e-5, m.layers().get(1).real("epsilon"));
        assertEquals(0.3, m.layers().get(7).real("rate"));

        int[] chw = {2, 6, 6};
        float[] x = data(72, 18);
        Object[] c = Reference.onnxConv(x, chw, dw, new int[] {4, 1, 3, 3}, dwb, 2, new int[] {2, 2}, new int[] {0, 0, 1, 1});
        int[] cs = (int[]) c[1];
        float[] n = Reference.onnxBatchNorm((float[]) c[0], cs, g, be, mean, var, 1e-5f);
        Object[] p = Reference.onnxMaxPool(n, cs, 2, 2);
        float[] r = Reference.apply("relu", (float[]) p[0]);
        float[] gap = Reference.onnxGlobalAvg(r, (int[]) p[1]);
        float[] expected = Reference.apply("sigmoid", Reference.matMul(gap, mm, 3, mb));
        float[] actual = Reference.netforge(m, Reference.nchwToNhwc(x, chw));
        assertArrayEquals(expected, actual, 1e-6f);
    }

    @Test
    void batchNormOnFlattenedFeaturesIsPermutedLikeTheDenseRows() throws Exception {
        // Flatten of 2x2x3, BatchNorm1d over the 12 features, then Gemm (transB=0): both must be permuted.
        float[] g = data(12, 21), be = data(12, 22), mean = data(12, 23), var = new float[12];
        java.util.Arrays.fill(var, 2f);
        float[] fc = data(12 * 2, 24);
        byte[] file = new OnnxBuilder()
                .initializer("g", g, 12).initializer("b", be, 12).initializer("m", mean, 12).initializer("v", var, 12)
                .initializer("fc", fc, 12, 2)
                .input("x", 1, 2, 2, 3).output("y", 1, 2)
                .node("Flatten", names("x"), names("f"))
                .node("BatchNormalization", names("f", "g", "b", "m", "v"), names("n"))
                .node("Gemm", names("n", "fc"), names("y"))
                .build();
        ImportedModel m = OnnxReader.read(file, "t.onnx");
        int[] chw = {2, 2, 3};
        float[] x = data(12, 25);
        float[] expected = Reference.matMul(Reference.onnxBatchNorm(x, new int[] {12}, g, be, mean, var, 1e-5f), fc, 2, null);
        float[] actual = Reference.netforge(m, Reference.nchwToNhwc(x, chw));
        assertArrayEquals(expected, actual, 1e-6f);
        assertEquals(false, m.layers().get(2).bool("useBias"));
    }

    @Test
    void computedReshapeAsPyTorchViewIsAFlatten() throws Exception {
        // x.view(x.size(0), -1) exported without constant folding: Shape, Gather, Unsqueeze, Concat, Reshape.
        float[] fc = data(4 * 3, 31);
        OnnxBuilder.Pb idx = new OnnxBuilder.Pb().varint(2, 7).packed(7, 0).string(8, "idx");
        OnnxBuilder.Pb minus1 = new OnnxBuilder.Pb().packed(1, 1).varint(2, 7).packed(7, -1).string(8, "m1");
        byte[] file = new OnnxBuilder()
                .initializer("fc.weight", fc, 3, 4)
                .input("x", 1, 1, 2, 2).output("y", 1, 3)
                .node("Constant", names(), names("i0"), OnnxBuilder.tensorAttr("value", idx))
                .node("Constant", names(), names("neg"), OnnxBuilder.tensorAttr("value", minus1))
                .node("Shape", names("x"), names("s"))
                .node("Gather", names("s", "i0"), names("n"), intAttr("axis", 0))
                .node("Unsqueeze", names("n"), names("nu"), ints("axes", 0))
                .node("Concat", names("nu", "neg"), names("shape"), intAttr("axis", 0))
                .node("Reshape", names("x", "shape"), names("f"))
                .node("Gemm", names("f", "fc.weight"), names("y"), intAttr("transB", 1))
                .opset(11)
                .build();
        ImportedModel m = OnnxReader.read(file, "t.onnx");
        assertEquals(List.of("Flatten", "Dense"), m.layers().stream().map(ImportedLayer::kind).toList());
        float[] x = data(4, 32);
        assertArrayEquals(Reference.gemmTransB(x, fc, 3, null), Reference.netforge(m, x), 1e-6f);
    }

    // ------------------------------------------------------------------ what cannot be imported

    private static void rejects(String expectedPart, Consumer<OnnxBuilder> graph) {
        OnnxBuilder b = new OnnxBuilder();
        graph.accept(b);
        byte[] file = b.build();
        WeightFormatException e = assertThrows(WeightFormatException.class, () -> OnnxReader.read(file, "bad.onnx"));
        assertTrue(e.getMessage().startsWith("bad.onnx: "), e.getMessage());
        assertTrue(e.getMessage().contains(expectedPart), e.getMessage());
    }

    private static OnnxBuilder conv(OnnxBuilder b, int in, long[] pads, long stride) {
        return b.initializer("w", data(2 * 1 * 9, 1), 2, 1, 3, 3).input("x", 1, 1, in, in).output("y")
                .node("Conv", names("x", "w"), names("y"), ints("kernel_shape", 3, 3), ints("pads", pads),
                        ints("strides", stride, stride));
    }

    @Test
    void paddingThatIsNeitherValidNorTensorFlowSameBecomesAZeroPadding2DLayer() throws Exception {
        // PyTorch padding=1 with stride 2 on an even input pads both sides; TF 'same' pads only bottom/right:
        // the importer writes the pads as a ZeroPadding2D (named after the convolution) and the Conv2D 'valid'.
        ImportedModel even = OnnxReader.read(conv(new OnnxBuilder(), 6, new long[] {1, 1, 1, 1}, 2).build(), "e.onnx");
        assertEquals(List.of("ZeroPadding2D", "Conv2D"), even.layers().stream().map(ImportedLayer::kind).toList());
        assertEquals(List.of("conv2d_pad", "conv2d"), even.layers().stream().map(ImportedLayer::name).toList());
        assertArrayEquals(new int[] {1, 1, 1, 1}, even.layers().get(0).ints("paddingValues"));
        assertEquals("valid", even.layers().get(1).string("padding"));
        assertArrayEquals(new int[] {2, 2}, even.layers().get(1).ints("strides"));
        assertArrayEquals(new int[] {8, 8, 1}, even.outputShapes().get(0));
        assertArrayEquals(new int[] {3, 3, 2}, even.outputShapes().get(1));
        assertEquals(List.of(List.of(-1), List.of(0)), even.inputs());
        float[] x = data(36, 3);
        Object[] expected = Reference.onnxConv(x, new int[] {1, 6, 6}, data(18, 1), new int[] {2, 1, 3, 3}, null, 1,
                new int[] {2, 2}, new int[] {1, 1, 1, 1});
        assertArrayEquals(Reference.nchwToNhwc((float[]) expected[0], (int[]) expected[1]), Reference.netforge(even, x), 1e-6f);
        assertTrue(ModelScaffold.javaSource(even, "Padded").contains("    @ZeroPadding2D Layer conv2d_pad;\n"
                + "    @Conv2D(filters = 2, kernel = 3, strides = 2, useBias = false) Layer conv2d;\n"),
                ModelScaffold.javaSource(even, "Padded"));
        // one-sided pads: {top, bottom, left, right} = {0, 0, 1, 0}
        ImportedModel left = OnnxReader.read(conv(new OnnxBuilder(), 6, new long[] {0, 1, 0, 0}, 1).build(), "l.onnx");
        assertArrayEquals(new int[] {0, 0, 1, 0}, left.layers().get(0).ints("paddingValues"));
        Object[] leftExpected = Reference.onnxConv(x, new int[] {1, 6, 6}, data(18, 1), new int[] {2, 1, 3, 3}, null, 1,
                new int[] {1, 1}, new int[] {0, 1, 0, 0});
        assertArrayEquals(Reference.nchwToNhwc((float[]) leftExpected[0], (int[]) leftExpected[1]),
                Reference.netforge(left, x), 1e-6f);
        // ... on an odd input PyTorch's pads are TF's 'same': one layer
        ImportedModel ok = OnnxReader.read(conv(new OnnxBuilder(), 7, new long[] {1, 1, 1, 1}, 2).build(), "ok.onnx");
        assertEquals(1, ok.layers().size());
        assertEquals("same", ok.layers().get(0).string("padding"));
        // SAME_UPPER is TF's same
        ImportedModel upper = OnnxReader.read(new OnnxBuilder().initializer("w", data(18, 1), 2, 1, 3, 3)
                .input("x", 1, 1, 6, 6).output("y").node("Conv", names("x", "w"), names("y"),
                        ints("kernel_shape", 3, 3), ints("strides", 2, 2), stringAttr("auto_pad", "SAME_UPPER")).build(), "u.onnx");
        assertEquals(1, upper.layers().size());
        assertEquals("same", upper.layers().get(0).string("padding"));
    }

    @Test
    void poolingSemanticsThatNetForgeCannotReproduceAreRejected() {
        rejects("ceil_mode", b -> b.input("x", 1, 1, 5, 5).output("y")
                .node("MaxPool", names("x"), names("y"), ints("kernel_shape", 2, 2), ints("strides", 2, 2), intAttr("ceil_mode", 1)));
        rejects("count_include_pad=1", b -> b.input("x", 1, 1, 5, 5).output("y")
                .node("AveragePool", names("x"), names("y"), ints("kernel_shape", 3, 3), ints("pads", 1, 1, 1, 1),
                        intAttr("count_include_pad", 1)));
    }

    @Test
    void nonSequentialGraphsAndUnknownOperatorsAreRejected() {
        rejects("Sigmoid node '/Sigmoid_1' computes 'b', which no node uses and which is not the graph output",
                b -> b.input("x", 1, 4).output("y")
                .node("Relu", names("x"), names("y")).node("Sigmoid", names("x"), names("b")));
        rejects("unsupported ONNX operator: ThresholdedRelu node '/ThresholdedRelu_0'", b -> b.input("x", 1, 4)
                .output("y").node("ThresholdedRelu", names("x"), names("y")));
        rejects("the graph has 2 data inputs, 'x' (read by Relu node '/Relu_0'), 'z' (read by Add node '/Add_1'):"
                + " a NetForge model has one input", b -> b.input("x", 1, 4).input("z", 1, 4).output("y")
                .node("Relu", names("x"), names("r")).node("Add", names("r", "z"), names("y")));
        rejects("only a softmax over the channels or features", b -> b.input("x", 1, 2, 3, 3).output("y")
                .node("Softmax", names("x"), names("y"), intAttr("axis", -1)));
        rejects("initializer 'unused' is not used by any node", b -> b.initializer("unused", new float[] {1}, 1)
                .input("x", 1, 4).output("y").node("Relu", names("x"), names("y")));
        rejects("flattened C x H x W tensor", b -> b.input("x", 1, 2, 3, 3).output("y")
                .node("Flatten", names("x"), names("y")));
        rejects("the graph has a cycle", b -> b.input("x", 1, 4).output("y")
                .node("Relu", names("x"), names("a")).node("Identity", names("a"), names("x")));
    }

    @Test
    void externalDataAndBadTensorsAreRejected() {
        OnnxBuilder.Pb external = new OnnxBuilder.Pb().packed(1, 2, 4).varint(2, 1).string(8, "w")
                .msg(13, new OnnxBuilder.Pb().string(1, "location").string(2, "weights.bin")).varint(14, 1);
        rejects("stored in an external file", b -> b.rawInitializer(external).input("x", 1, 4).output("y")
                .node("Gemm", names("x", "w"), names("y")));
        OnnxBuilder.Pb shortRaw = new OnnxBuilder.Pb().packed(1, 4, 2).varint(2, 1).string(8, "w").bytes(9, new byte[12]);
        rejects("(8 values) but 12 bytes of raw data", b -> b.rawInitializer(shortRaw).input("x", 1, 4).output("y")
                .node("Gemm", names("x", "w"), names("y")));
        OnnxBuilder.Pb huge = new OnnxBuilder.Pb().packed(1, 1L << 40, 1L << 40).varint(2, 1).string(8, "w").bytes(9, new byte[4]);
        rejects("invalid dimension", b -> b.rawInitializer(huge).input("x", 1, 4).output("y")
                .node("Gemm", names("x", "w"), names("y")));
        OnnxBuilder.Pb big = new OnnxBuilder.Pb().packed(1, 100000, 100000).varint(2, 1).string(8, "w").bytes(9, new byte[4]);
        rejects("is too large", b -> b.rawInitializer(big).input("x", 1, 4).output("y")
                .node("Gemm", names("x", "w"), names("y")));
    }

    @Test
    void wrongFormatsAndGarbageAreRejectedClearly() throws Exception {
        WeightFormatException e = assertThrows(WeightFormatException.class,
                () -> OnnxReader.read(TestFiles.keras("kilj4eden_mnist", "mnist.h5")));
        assertEquals("mnist.h5: not an ONNX model: this is an HDF5 file (a Keras .h5 file?); use KerasReader", e.getMessage());
        e = assertThrows(WeightFormatException.class,
                () -> OnnxReader.read(TestFiles.keras("moonflower_mnist_keras", "mnist_model.keras")));
        assertTrue(e.getMessage().contains("a zip archive"), e.getMessage());
        e = assertThrows(WeightFormatException.class, () -> OnnxReader.read(TestFiles.keras("kilj4eden_mnist", "arch.json")));
        assertTrue(e.getMessage().startsWith("arch.json: not a valid ONNX model: "), e.getMessage());
        e = assertThrows(WeightFormatException.class, () -> OnnxReader.read(new byte[0], "e.onnx"));
        assertEquals("e.onnx: empty file", e.getMessage());
        // a huge declared length is checked against the bytes that remain, nothing is allocated
        byte[] lie = {0x08, 0x07, 0x3a, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x07, 0x0a};
        e = assertThrows(WeightFormatException.class, () -> OnnxReader.read(lie, "lie.onnx"));
        assertTrue(e.getMessage().contains("graph declares 2147483647 bytes but only 1 remain"), e.getMessage());
        java.util.Random r = new java.util.Random(7);
        for (int i = 0; i < 2000; i++) {
            byte[] junk = new byte[r.nextInt(200) + 1];
            r.nextBytes(junk);
            assertThrows(WeightFormatException.class, () -> OnnxReader.read(junk, "junk.onnx"));
        }
    }

    @Test
    void halfToFloat() {
        assertEquals(1.0f, OnnxReader.halfToFloat((short) 0x3c00));
        assertEquals(-2.0f, OnnxReader.halfToFloat((short) 0xc000));
        assertEquals(65504f, OnnxReader.halfToFloat((short) 0x7bff));
        assertEquals(0x1p-24f, OnnxReader.halfToFloat((short) 0x0001));
        assertEquals(Float.POSITIVE_INFINITY, OnnxReader.halfToFloat((short) 0x7c00));
        assertTrue(Float.isNaN(OnnxReader.halfToFloat((short) 0x7e00)));
    }
}
