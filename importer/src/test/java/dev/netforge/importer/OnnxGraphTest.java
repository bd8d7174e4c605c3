package dev.netforge.importer;

import static dev.netforge.importer.OnnxBuilder.floatAttr;
import static dev.netforge.importer.OnnxBuilder.floatsAttr;
import static dev.netforge.importer.OnnxBuilder.intAttr;
import static dev.netforge.importer.OnnxBuilder.ints;
import static dev.netforge.importer.OnnxBuilder.names;
import static dev.netforge.importer.OnnxBuilder.stringAttr;
import static dev.netforge.importer.OnnxReaderTest.data;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * ONNX graphs as PyTorch (torch.onnx) and tf2onnx write them: residual blocks, U-Nets, upsampling,
 * transposed convolutions, element-wise merges, NHWC inputs. Each test checks the imported layers,
 * their attributes, connections and weights element by element against the ONNX tensors (the
 * layouts); the processor's OnnxGraphImportTest compiles the same graphs and compares their outputs.
 */
class OnnxGraphTest {

    // ------------------------------------------------------------------ helpers

    static List<String> kinds(ImportedModel m) {
        return m.layers().stream().map(l -> l.kind() + (l.has("activation") && !"linear".equals(l.string("activation"))
                ? "(" + l.string("activation") + ")" : "")).toList();
    }

    static List<String> layerNames(ImportedModel m) {
        return m.layers().stream().map(ImportedLayer::name).toList();
    }

    /** The Conv2D kernel is HWIO: element (kh, kw, ci, f) is ONNX's (f, ci, kh, kw), for every element. */
    static void assertHwio(ImportedLayer l, float[] oihw, int o, int i, int kh, int kw) {
        Tensor k = l.weights().get(0);
        assertEquals("kernel", k.name());
        assertArrayEquals(new int[] {kh, kw, i, o}, k.shape(), l.name());
        for (int f = 0; f < o; f++) {
            for (int ci = 0; ci < i; ci++) {
                for (int y = 0; y < kh; y++) {
                    for (int x = 0; x < kw; x++) {
                        assertEquals(oihw[((f * i + ci) * kh + y) * kw + x], k.data()[((y * kw + x) * i + ci) * o + f],
                                l.name() + " kernel (" + y + ", " + x + ", " + ci + ", " + f + ")");
                    }
                }
            }
        }
    }

    static void assertBias(ImportedLayer l, float[] bias) {
        Tensor b = l.weights().get(1);
        assertEquals("bias", b.name());
        assertArrayEquals(bias, b.data(), l.name());
    }

    private static WeightFormatException refused(Consumer<OnnxBuilder> graph) {
        OnnxBuilder b = new OnnxBuilder();
        graph.accept(b);
        byte[] file = b.build();
        return assertThrows(WeightFormatException.class, () -> OnnxReader.read(file, "bad.onnx"));
    }

    private static void refused(String expected, Consumer<OnnxBuilder> graph) {
        assertEquals("bad.onnx: " + expected, refused(graph).getMessage());
    }

    // ------------------------------------------------------------------ a ResNet as PyTorch exports it

    @Test
    void aResNetWithIdentityAndProjectionShortcutsImportsLayerByLayer() throws Exception {
        float[][] w = OnnxGraphs.resnetWeights();
        ImportedModel m = OnnxReader.read(OnnxGraphs.resnet(w).build(), "resnet.onnx");
        assertEquals("pytorch 2.1.0", m.producer());
        assertArrayEquals(new int[] {7, 9, 4}, m.inputShape());
        assertEquals(List.of("Conv2D(relu)", "Conv2D(relu)", "Conv2D", "Add", "Activation(relu)", "Conv2D(relu)", "Conv2D",
                "Conv2D", "Add", "Activation(relu)", "GlobalAvgPool", "Flatten", "Dense"), kinds(m));
        assertEquals(List.of("conv1", "layer1.0.conv1", "layer1.0.conv2", "layer1.0.add", "layer1.0.relu_1",
                "layer2.0.conv1", "layer2.0.conv2", "layer2.0.downsample.0", "layer2.0.add", "layer2.0.relu_1", "avgpool",
                "flatten", "fc"), layerNames(m));
        assertEquals(List.of(List.of(-1), List.of(0), List.of(1), List.of(2, 0), List.of(3), List.of(4), List.of(5),
                List.of(4), List.of(6, 7), List.of(8), List.of(9), List.of(10), List.of(11)), m.inputs());
        assertTrue(!m.isChain());

        List<ImportedLayer> l = m.layers();
        assertHwio(l.get(0), w[0], 4, 4, 3, 3);
        assertBias(l.get(0), w[1]);
        assertHwio(l.get(1), w[2], 4, 4, 3, 3);
        assertHwio(l.get(2), w[4], 4, 4, 3, 3);
        assertBias(l.get(2), w[5]);
        assertHwio(l.get(5), w[6], 8, 4, 3, 3);
        assertHwio(l.get(6), w[8], 8, 8, 3, 3);
        assertHwio(l.get(7), w[10], 8, 4, 1, 1);
        assertBias(l.get(7), w[11]);
        for (int i : new int[] {0, 1, 2, 6}) {
            assertEquals("same", l.get(i).string("padding"), l.get(i).name());
            assertArrayEquals(new int[] {1, 1}, l.get(i).ints("strides"));
        }
        assertEquals("same", l.get(5).string("padding"));
        assertArrayEquals(new int[] {2, 2}, l.get(5).ints("strides"));
        assertEquals("valid", l.get(7).string("padding"));
        assertArrayEquals(new int[] {2, 2}, l.get(7).ints("strides"));
        // Gemm transB=1 (3, 8) -> (8, 3); after global pooling the flattened order is NetForge's: no permutation
        Tensor fc = l.get(12).weights().get(0);
        assertArrayEquals(new int[] {8, 3}, fc.shape());
        for (int i = 0; i < 8; i++) {
            for (int u = 0; u < 3; u++) {
                assertEquals(w[12][u * 8 + i], fc.data()[i * 3 + u]);
            }
        }
        List<int[]> shapes = m.outputShapes();
        assertArrayEquals(new int[] {7, 9, 4}, shapes.get(3));
        assertArrayEquals(new int[] {4, 5, 8}, shapes.get(8));
        assertArrayEquals(new int[] {3}, shapes.get(12));

        String source = ModelScaffold.javaSource(m, "TinyResNet");
        assertTrue(source.contains("    @Add @From({\"layer1_0_conv2\", \"conv1\"}) Layer layer1_0_add;\n"), source);
        assertTrue(source.contains("    @Conv2D(filters = 8, kernel = 1, strides = 2) @From(\"layer1_0_relu_1\") Layer"
                + " layer2_0_downsample_0;\n"), source);
        assertTrue(source.contains("    @Add @From({\"layer2_0_conv2\", \"layer2_0_downsample_0\"}) Layer layer2_0_add;\n"), source);
        assertEquals(OnnxReader.read(OnnxGraphs.resnet(w).build(), "resnet.onnx"), Importer.read(OnnxGraphs.resnet(w).build(), "resnet.onnx"));
    }

    // ------------------------------------------------------------------ a U-Net

    @Test
    void aUNetWithConvTransposeAndConcatImports() throws Exception {
        float[][] w = OnnxGraphs.unetWeights();
        ImportedModel m = OnnxReader.read(OnnxGraphs.unet(w).build(), "unet.onnx");
        assertEquals(List.of("Conv2D(relu)", "MaxPool", "Conv2D(relu)", "Conv2DTranspose", "Concatenate", "Conv2D(sigmoid)"),
                kinds(m));
        assertEquals(List.of("enc", "pool", "mid", "up", "concatenate", "out"), layerNames(m));
        assertEquals(List.of(List.of(-1), List.of(0), List.of(1), List.of(2), List.of(3, 0), List.of(4)), m.inputs());
        ImportedLayer up = m.layers().get(3);
        assertEquals(4, up.integer("filters"));
        assertArrayEquals(new int[] {2, 2}, up.ints("kernel"));
        assertArrayEquals(new int[] {2, 2}, up.ints("strides"));
        assertArrayEquals(new int[] {1, 1}, up.ints("dilation"));
        assertEquals("valid", up.string("padding"));
        assertEquals("linear", up.string("activation"));
        assertEquals(true, up.bool("useBias"));
        assertEquals(List.of("filters", "kernel", "strides", "dilation", "padding", "activation", "useBias"),
                List.copyOf(up.attributes().keySet()));
        // (CIN, F, KH, KW) = (8, 4, 2, 2) -> (KH, KW, F, CIN) = (2, 2, 4, 8), element by element
        Tensor k = up.weights().get(0);
        assertArrayEquals(new int[] {2, 2, 4, 8}, k.shape());
        for (int ci = 0; ci < 8; ci++) {
            for (int f = 0; f < 4; f++) {
                for (int y = 0; y < 2; y++) {
                    for (int x = 0; x < 2; x++) {
                        assertEquals(w[4][((ci * 4 + f) * 2 + y) * 2 + x], k.data()[((y * 2 + x) * 4 + f) * 8 + ci]);
                    }
                }
            }
        }
        assertBias(up, w[5]);
        assertHwio(m.layers().get(5), w[6], 3, 8, 1, 1);
        List<int[]> shapes = m.outputShapes();
        assertArrayEquals(new int[] {8, 6, 4}, shapes.get(3));
        assertArrayEquals(new int[] {8, 6, 8}, shapes.get(4));
        assertArrayEquals(new int[] {8, 6, 3}, shapes.get(5));
        assertTrue(ModelScaffold.javaSource(m, "UNet").contains(
                "    @Conv2DTranspose(filters = 4, kernel = 2, strides = 2) Layer up;\n"
                + "    @Concatenate @From({\"up\", \"enc\"}) Layer concatenate;\n"), ModelScaffold.javaSource(m, "UNet"));
    }

    @Test
    void convTransposePaddingIsValidOrSameExactlyOrRefused() throws Exception {
        // kernel 3 stride 2 on 5: full output 11. Keras 'valid': [0, 11); 'same': [0, 10).
        assertEquals("valid", convTranspose(3, 2, new long[] {0, 0, 0, 0}, null).string("padding"));
        assertEquals("same", convTranspose(3, 2, new long[] {0, 0, 1, 1}, null).string("padding"));
        // kernel 4 stride 2: full 12; 'same' cuts [1, 11): pads 1 and 1, as PyTorch's padding=1
        assertEquals("same", convTranspose(4, 2, new long[] {1, 1, 1, 1}, null).string("padding"));
        // kernel 1 stride 2: full 9, Keras gives 10 (a zero row after): output_padding 1
        assertEquals("valid", convTranspose(1, 2, new long[] {0, 0, 0, 0}, new long[] {1, 1}).string("padding"));
        // PyTorch's ConvTranspose2d(k=3, s=2, padding=1, output_padding=1): [1, 11), one off Keras's 'same':
        // 'valid' ([0, 11)) then Cropping2D of the first row and column
        ImportedModel pytorch = OnnxReader.read(convTransposeFile(3, 2, new long[] {1, 1, 1, 1}, new long[] {1, 1}),
                "t.onnx");
        assertEquals(List.of("Conv2DTranspose", "Cropping2D"), kinds(pytorch));
        assertEquals("valid", pytorch.layers().get(0).string("padding"));
        assertArrayEquals(new int[] {1, 0, 1, 0}, pytorch.layers().get(1).ints("cropping"));
        assertEquals(List.of(List.of(-1), List.of(0)), pytorch.inputs());
        assertArrayEquals(new int[] {10, 10, 1}, pytorch.outputShapes().get(1));
        // pads [0, 0] with output_padding 1 on kernel 3 stride 2: 12 rows, one past Keras's 'valid' 11
        WeightFormatException e = assertThrows(WeightFormatException.class,
                () -> convTranspose(3, 2, new long[] {0, 0, 0, 0}, new long[] {1, 1}));
        assertEquals("t.onnx: ConvTranspose node '/ConvTranspose_0' pads [0, 0, 0, 0] (top, left, bottom, right) with"
                + " output_padding [1, 1] on input 5x5 with kernel 3x3 and stride 2x2: its output reaches beyond Keras's"
                + " 'valid' transposed convolution, so NetForge cannot reproduce it", e.getMessage());
        refused("ConvTranspose node '/ConvTranspose_0' is grouped (group=2); NetForge's Conv2DTranspose has no groups",
                b -> b.initializer("w", new float[16], 2, 2, 2, 2).input("x", 1, 2, 3, 3).output("y")
                        .node("ConvTranspose", names("x", "w"), names("y"), intAttr("group", 2)));
        refused("ConvTranspose node '/ConvTranspose_0' leaves an odd padding (1) to split by its auto_pad SAME_UPPER, which"
                + " ONNX versions and runtimes split differently; export with explicit pads",
                b -> b.initializer("w", new float[9], 1, 1, 3, 3).input("x", 1, 1, 3, 3).output("y")
                        .node("ConvTranspose", names("x", "w"), names("y"), ints("strides", 2, 2),
                                stringAttr("auto_pad", "SAME_UPPER")));
    }

    private static ImportedLayer convTranspose(int k, int s, long[] pads, long[] outputPadding) throws WeightFormatException {
        return OnnxReader.read(convTransposeFile(k, s, pads, outputPadding), "t.onnx").layers().get(0);
    }

    private static byte[] convTransposeFile(int k, int s, long[] pads, long[] outputPadding) {
        OnnxBuilder b = new OnnxBuilder().initializer("w", data(k * k, 3), 1, 1, k, k).input("x", 1, 1, 5, 5).output("y");
        if (outputPadding == null) {
            b.node("ConvTranspose", names("x", "w"), names("y"), ints("strides", s, s), ints("pads", pads));
        } else {
            b.node("ConvTranspose", names("x", "w"), names("y"), ints("strides", s, s), ints("pads", pads),
                    ints("output_padding", outputPadding));
        }
        return b.build();
    }

    // ------------------------------------------------------------------ Resize / Upsample

    private static ImportedModel resize(long opset, OnnxBuilder.Pb... attrs) throws WeightFormatException {
        OnnxBuilder b = new OnnxBuilder().opset(opset).input("x", 1, 2, 3, 4).output("y", 1, 2, 6, 8);
        if (opset >= 13) {
            b.initializer("scales", new float[] {1, 1, 2, 2}, 4)
                    .node("Resize", names("x", "", "scales"), names("y"), attrs);
        } else {
            b.initializer("roi", new float[0], 0).initializer("scales", new float[] {1, 1, 2, 2}, 4)
                    .node("Resize", names("x", "roi", "scales"), names("y"), attrs);
        }
        return OnnxReader.read(b.build(), "r.onnx");
    }

    @Test
    void nearestResizeByWholeFactorsIsUpSampling2D() throws Exception {
        // PyTorch's nn.Upsample(scale_factor=2): asymmetric, floor
        ImportedModel m = resize(17, stringAttr("coordinate_transformation_mode", "asymmetric"),
                stringAttr("mode", "nearest"), stringAttr("nearest_mode", "floor"), floatAttr("cubic_coeff_a", -0.75f));
        assertEquals(List.of("UpSampling2D"), kinds(m));
        assertEquals("up_sampling2d", m.layers().get(0).name());
        assertArrayEquals(new int[] {2, 2}, m.layers().get(0).ints("size"));
        assertEquals(List.of("size"), List.copyOf(m.layers().get(0).attributes().keySet()));
        assertArrayEquals(new int[] {6, 8, 2}, m.outputShapes().get(0));
        // ONNX's defaults (half_pixel, round_prefer_floor) and opset 11's empty roi: the same rows
        assertEquals(List.of("UpSampling2D"), kinds(resize(11, stringAttr("mode", "nearest"))));
        assertEquals(List.of("UpSampling2D"), kinds(resize(13, stringAttr("coordinate_transformation_mode",
                "tf_half_pixel_for_nn"), stringAttr("nearest_mode", "floor"))));
        // sizes instead of scales, and a rectangular factor
        ImportedModel sized = OnnxReader.read(new OnnxBuilder().input("x", 1, 2, 3, 4).output("y")
                .initializerInt64("sizes", new long[] {1, 2, 9, 4}, 4)
                .node("Resize", names("x", "", "", "sizes"), names("y"), stringAttr("coordinate_transformation_mode",
                        "asymmetric"), stringAttr("nearest_mode", "floor")).build(), "s.onnx");
        assertArrayEquals(new int[] {3, 1}, sized.layers().get(0).ints("size"));
        // Upsample (opset 9), as older exporters wrote it
        ImportedModel up = OnnxReader.read(new OnnxBuilder().opset(9).input("x", 1, 2, 3, 4).output("y")
                .initializer("scales", new float[] {1, 1, 2, 3}, 4)
                .node("Upsample", names("x", "scales"), names("y"), stringAttr("mode", "nearest")).build(), "u.onnx");
        assertArrayEquals(new int[] {2, 3}, up.layers().get(0).ints("size"));
        ImportedModel up7 = OnnxReader.read(new OnnxBuilder().opset(7).input("x", 1, 2, 3, 4).output("y")
                .node("Upsample", names("x"), names("y"), floatsAttr("scales", 1, 1, 2, 2)).build(), "u.onnx");
        assertArrayEquals(new int[] {2, 2}, up7.layers().get(0).ints("size"));
    }

    @Test
    void resizesThatAreNotARepeatAreRefused() throws Exception {
        WeightFormatException e = assertThrows(WeightFormatException.class, () -> resize(13, stringAttr("mode", "linear")));
        assertEquals("r.onnx: Resize node '/Resize_0' interpolates with mode 'linear'; only 'nearest' (UpSampling2D) can be"
                + " imported", e.getMessage());
        e = assertThrows(WeightFormatException.class, () -> resize(13, stringAttr("coordinate_transformation_mode",
                "align_corners"), stringAttr("nearest_mode", "floor")));
        assertEquals("r.onnx: Resize node '/Resize_0' with coordinate_transformation_mode 'align_corners' and nearest_mode"
                + " 'floor' does not repeat each input row and column 2 times, as UpSampling2D does", e.getMessage());
        // with round_prefer_floor, align_corners happens to repeat rows for a factor of 2
        assertEquals(List.of("UpSampling2D"), kinds(resize(13, stringAttr("coordinate_transformation_mode", "align_corners"))));
        refused("Resize node '/Resize_0' scales its N x C x H x W input [1, 2, 3, 4] by [1.0, 1.0, 1.5, 2.0]; only whole"
                + " factors on the height and width can be imported", b -> b.input("x", 1, 2, 3, 4).output("y")
                .initializer("scales", new float[] {1, 1, 1.5f, 2}, 4).node("Resize", names("x", "", "scales"), names("y")));
        refused("Resize node '/Resize_0' scales its N x C x H x W input [1, 2, 3, 4] by [1.0, 2.0, 2.0, 2.0]; only whole"
                + " factors on the height and width can be imported", b -> b.input("x", 1, 2, 3, 4).output("y")
                .initializer("scales", new float[] {1, 2, 2, 2}, 4).node("Resize", names("x", "", "scales"), names("y")));
    }

    // ------------------------------------------------------------------ flattening followed through the graph

    @Test
    void aFlattenedTensorKeepsItsOrderThroughMergesToTheDenseLayer() throws Exception {
        // two Conv branches of a 1 x 3 x 4 input, each flattened (C, H, W order), added, then a Gemm
        float[] wa = data(2 * 1 * 2 * 2, 70);
        float[] wb = data(2 * 1 * 2 * 2, 71);
        float[] fc = data(5 * 24, 72);
        byte[] file = new OnnxBuilder()
                .initializer("a.weight", wa, 2, 1, 2, 2).initializer("b.weight", wb, 2, 1, 2, 2).initializer("fc.weight", fc, 5, 24)
                .input("x", 1, 1, 3, 4).output("y", 1, 5)
                .node("Conv", names("x", "a.weight"), names("ca"), ints("kernel_shape", 2, 2), ints("pads", 0, 0, 1, 1))
                .node("Conv", names("x", "b.weight"), names("cb"), ints("kernel_shape", 2, 2), ints("pads", 0, 0, 1, 1))
                .node("Flatten", names("ca"), names("fa"), intAttr("axis", 1))
                .node("Flatten", names("cb"), names("fb"), intAttr("axis", 1))
                .node("Mul", names("fa", "fb"), names("prod"))
                .node("Relu", names("prod"), names("r"))
                .node("Gemm", names("r", "fc.weight"), names("y"), intAttr("transB", 1))
                .build();
        ImportedModel m = OnnxReader.read(file, "f.onnx");
        assertEquals(List.of("Conv2D", "Conv2D", "Flatten", "Flatten", "Multiply", "Activation(relu)", "Dense"), kinds(m));
        assertEquals(List.of(List.of(-1), List.of(-1), List.of(0), List.of(1), List.of(2, 3), List.of(4), List.of(5)), m.inputs());
        // the flattened tensors are 2 x 3 x 4 (C, H, W): NetForge row (h * 4 + w) * 2 + c is ONNX column (c * 3 + h) * 4 + w
        Tensor k = m.layers().get(6).weights().get(0);
        assertArrayEquals(new int[] {24, 5}, k.shape());
        for (int c = 0; c < 2; c++) {
            for (int h = 0; h < 3; h++) {
                for (int w = 0; w < 4; w++) {
                    for (int u = 0; u < 5; u++) {
                        assertEquals(fc[u * 24 + (c * 3 + h) * 4 + w], k.data()[((h * 4 + w) * 2 + c) * 5 + u]);
                    }
                }
            }
        }
        refused("Concat node '/Concat_1' concatenates a flattened C x H x W tensor, whose element order differs in NetForge"
                + " (H, W, C)", b -> b.input("x", 1, 2, 2, 2).output("y")
                .node("Flatten", names("x"), names("f"))
                .node("Concat", names("f", "f"), names("c"), intAttr("axis", 1))
                .node("Add", names("c", "c"), names("y")));
    }

    @Test
    void aDenseLayerReshapedToAnImageWritesItsUnitsInNetForgeOrder() throws Exception {
        float[][] w = OnnxGraphs.generatorWeights();
        ImportedModel m = OnnxReader.read(OnnxGraphs.generator(w).build(), "g.onnx");
        assertEquals(List.of("Dense", "BatchNormalization", "Activation(relu)", "Reshape", "Conv2DTranspose(tanh)"), kinds(m));
        assertArrayEquals(new int[] {2, 2, 3}, m.layers().get(3).ints("shape"));
        // NetForge unit (h * 2 + w) * 3 + c is ONNX unit (c * 2 + h) * 2 + w: the kernel's columns, the bias and
        // the batch normalization's vectors
        Tensor k = m.layers().get(0).weights().get(0);
        assertArrayEquals(new int[] {5, 12}, k.shape());
        for (int c = 0; c < 3; c++) {
            for (int h = 0; h < 2; h++) {
                for (int x = 0; x < 2; x++) {
                    int nf = (h * 2 + x) * 3 + c;
                    int onnx = (c * 2 + h) * 2 + x;
                    for (int i = 0; i < 5; i++) {
                        assertEquals(w[0][onnx * 5 + i], k.data()[i * 12 + nf]);
                    }
                    assertEquals(w[1][onnx], m.layers().get(0).weights().get(1).data()[nf]);
                    for (int v = 0; v < 4; v++) {
                        assertEquals(w[2 + (v == 3 ? 3 : v)][onnx] /* gamma, beta, mean, var */,
                                m.layers().get(1).weights().get(v).data()[nf]);
                    }
                }
            }
        }
        assertArrayEquals(new int[] {5, 5, 2}, m.outputShapes().get(4));
        refused("Reshape node '/Reshape_0' reshapes a vector to 3 x 2 x 2 (C, H, W), whose element order differs in NetForge"
                + " (H, W, C); the importer converts it only when a dense layer computes that vector for this Reshape alone",
                b -> b.initializerInt64("shape", new long[] {1, 3, 2, 2}, 4).input("x", 1, 12).output("y")
                        .node("Reshape", names("x", "shape"), names("y")));
    }

    @Test
    void aComputedViewShapeIsEvaluated() throws Exception {
        // x.view(x.size(0), 3, 2, 2) with a dynamic batch: Shape -> Gather -> Unsqueeze -> Concat
        float[] fc = data(12 * 4, 90);
        OnnxBuilder.Pb zero = new OnnxBuilder.Pb().varint(2, 7).packed(7, 0).string(8, "zero");
        byte[] file = new OnnxBuilder().initializer("fc.weight", fc, 12, 4).initializerInt64("rest", new long[] {3, 2, 2}, 3)
                .input("x", -1, 4).output("y", -1, 3, 2, 2)
                .node("Gemm", names("x", "fc.weight"), names("g"), intAttr("transB", 1))
                .node("Constant", names(), names("i0"), OnnxBuilder.tensorAttr("value", zero))
                .node("Shape", names("g"), names("s"))
                .node("Gather", names("s", "i0"), names("n"), intAttr("axis", 0))
                .node("Unsqueeze", names("n", "axes0"), names("nu"))
                .node("Concat", names("nu", "rest"), names("shape"), intAttr("axis", 0))
                .node("Reshape", names("g", "shape"), names("y"))
                .initializerInt64("axes0", new long[] {0}, 1)
                .build();
        ImportedModel m = OnnxReader.read(file, "v.onnx");
        assertEquals(List.of("Dense", "Reshape"), kinds(m));
        assertArrayEquals(new int[] {2, 2, 3}, m.layers().get(1).ints("shape"));
    }

    // ------------------------------------------------------------------ tf2onnx: NHWC input and Transposes

    @Test
    void aTf2onnxModelWithAnNhwcInputImportsWithoutPermutations() throws Exception {
        float[][] w = OnnxGraphs.tf2onnxWeights();
        ImportedModel m = OnnxReader.read(OnnxGraphs.tf2onnx(w).build(), "tf.onnx");
        assertEquals("tf2onnx 1.16.1", m.producer());
        assertArrayEquals(new int[] {4, 5, 2}, m.inputShape());
        assertEquals(List.of("Conv2D(relu)", "Flatten", "Dense(softmax)"), kinds(m));
        assertEquals(List.of("conv2d", "flatten", "dense"), layerNames(m));
        assertHwio(m.layers().get(0), w[0], 3, 2, 3, 3);
        // Keras flattened H, W, C itself: the MatMul weight is taken as it is
        assertArrayEquals(w[2], m.layers().get(2).weights().get(0).data());
        assertArrayEquals(w[3], m.layers().get(2).weights().get(1).data());
        refused("Conv node '/Conv_1' needs an N x C x H x W input but gets N x H x W x C [4, 5, 2]",
                b -> b.initializer("w", new float[4], 1, 2, 2, 2).input("x", 1, 4, 5, 2).output("y")
                        .node("Transpose", names("x"), names("t"), ints("perm", 0, 3, 1, 2)).node("Conv", names("x", "w"), names("c"))
                        .node("Add", names("c", "t"), names("y")));
    }

    @Test
    void transposesBetweenLayoutsMoveNothing() throws Exception {
        // NCHW -> NHWC -> Concat on the last axis -> back to NCHW -> Conv
        float[] w = data(2 * 4, 95);
        ImportedModel m = OnnxReader.read(new OnnxBuilder().initializer("w", w, 2, 4, 1, 1).input("x", 1, 2, 3, 3).output("y")
                .node("Transpose", names("x"), names("t"), ints("perm", 0, 2, 3, 1))
                .node("Concat", names("t", "t"), names("c"), intAttr("axis", -1))
                .node("Transpose", names("c"), names("u"), ints("perm", 0, 3, 1, 2))
                .node("Conv", names("u", "w"), names("y"), ints("kernel_shape", 1, 1)).build(), "t.onnx");
        assertEquals(List.of("Concatenate", "Conv2D"), kinds(m));
        assertEquals(List.of(List.of(-1, -1), List.of(0)), m.inputs());
        refused("Transpose node '/Transpose_0' permutes the axes of N x C x H x W [2, 3, 3] by [0, 1, 3, 2]; only the moves"
                + " between N x C x H x W and N x H x W x C can be imported", b -> b.input("x", 1, 2, 3, 3).output("y")
                .node("Transpose", names("x"), names("y"), ints("perm", 0, 1, 3, 2)));
    }

    // ------------------------------------------------------------------ merges and activations

    @Test
    void everyElementWiseMergeAndActivationHasItsKerasKind() throws Exception {
        byte[] file = new OnnxBuilder().opset(13).initializer("zero", new float[] {0}).initializer("six", new float[] {6})
                .initializer("w", data(4 * 2, 96), 4, 2, 1, 1)
                .input("x", 1, 2, 3, 3).output("y")
                .node("Conv", names("x", "w"), names("c"), ints("kernel_shape", 1, 1))
                .node("Clip", names("c", "zero", "six"), names("c6"))
                .node("LeakyRelu", names("c6"), names("l"), floatAttr("alpha", 0.2f))
                .node("Sigmoid", names("c6"), names("s"))
                .node("Sub", names("l", "s"), names("d"))
                .node("Mul", names("d", "s"), names("p"))
                .node("Max", names("p", "l"), names("mx"))
                .node("Min", names("mx", "s"), names("mn"))
                .node("Mean", names("mn", "l", "s"), names("av"))
                .node("Sum", names("av", "av", "d"), names("sm"))
                .node("Clip", names("sm", "zero", "six"), names("r6"))
                .node("LeakyRelu", names("r6"), names("y"))
                .build();
        ImportedModel m = OnnxReader.read(file, "m.onnx");
        assertEquals(List.of("Conv2D(relu6)", "LeakyReLU", "Activation(sigmoid)", "Subtract", "Multiply", "Maximum",
                "Minimum", "Average", "Add", "Activation(relu6)", "LeakyReLU"), kinds(m));
        assertEquals(List.of(List.of(-1), List.of(0), List.of(0), List.of(1, 2), List.of(3, 2), List.of(4, 1), List.of(5, 2),
                List.of(6, 1, 2), List.of(7, 7, 3), List.of(8), List.of(9)), m.inputs());
        assertEquals(0.2, m.layers().get(1).real("alpha"));
        assertEquals(0.01, m.layers().get(10).real("alpha"));
        assertEquals(List.of("alpha"), List.copyOf(m.layers().get(1).attributes().keySet()));
        assertEquals(List.of("conv2d", "leaky_re_lu", "activation", "subtract", "multiply", "maximum", "minimum", "average",
                "add", "activation_1", "leaky_re_lu_1"), layerNames(m));
        // Clip as opset 6 wrote it: attributes
        ImportedModel old = OnnxReader.read(new OnnxBuilder().opset(6).input("x", 1, 4).output("y")
                .node("Clip", names("x"), names("y"), floatAttr("min", 0), floatAttr("max", 6)).build(), "c.onnx");
        assertEquals(List.of("Activation(relu6)"), kinds(old));
    }

    @Test
    void theSmoothActivationsImportWithTheirExactMeaningAndOtherConstantsAreRefused() throws Exception {
        byte[] file = new OnnxBuilder().opset(20).initializer("w", data(4 * 2, 96), 4, 2, 1, 1)
                .input("x", 1, 2, 3, 3).output("y")
                .node("Conv", names("x", "w"), names("c"), ints("kernel_shape", 1, 1))
                .node("Mish", names("c"), names("m"))
                .node("Softsign", names("m"), names("s"))
                .node("Gelu", names("s"), names("g"), stringAttr("approximate", "tanh"))
                .node("Gelu", names("g"), names("e"))
                .node("HardSigmoid", names("e"), names("h"), floatAttr("alpha", (float) (1.0 / 6.0)))
                .node("Softplus", names("h"), names("p"))
                .node("Elu", names("p"), names("l"))
                .node("Selu", names("l"), names("y"))
                .build();
        ImportedModel m = OnnxReader.read(file, "smooth.onnx");
        assertEquals(List.of("Conv2D(mish)", "Activation(softsign)", "Activation(gelu_tanh)", "Activation(gelu)",
                "Activation(hard_sigmoid)", "Activation(softplus)", "Activation(elu)", "Activation(selu)"), kinds(m));
        refused("HardSigmoid node '/HardSigmoid_0' computes clip(0.2 x + 0.5, 0, 1); NetForge's HARD_SIGMOID is"
                + " clip(x / 6 + 0.5, 0, 1) (Keras 3, PyTorch's Hardsigmoid)", b -> b.input("x", 1, 4).output("y")
                .node("HardSigmoid", names("x"), names("y")));
        refused("Elu node '/Elu_0': alpha 0.5; NetForge's ELU is Keras's, alpha 1", b -> b.input("x", 1, 4).output("y")
                .node("Elu", names("x"), names("y"), floatAttr("alpha", 0.5f)));
        refused("Gelu node '/Gelu_0': approximate 'sigmoid' is not 'none' or 'tanh'", b -> b.opset(20).input("x", 1, 4)
                .output("y").node("Gelu", names("x"), names("y"), stringAttr("approximate", "sigmoid")));
    }

    @Test
    void aGraphWithEveryMergeResizeConcatAndTwoFlattensImports() throws Exception {
        float[][] w = OnnxGraphs.mixedWeights();
        ImportedModel m = OnnxReader.read(OnnxGraphs.mixed(w).build(), "mixed.onnx");
        assertEquals(List.of("Conv2D(relu6)", "LeakyReLU", "Activation(sigmoid)", "Subtract", "Multiply", "Maximum",
                "Minimum", "Average", "Add", "MaxPool", "UpSampling2D", "Concatenate", "Conv2D", "Flatten", "Flatten", "Add",
                "Activation(relu)", "Dense(softmax)"), kinds(m));
        assertEquals(List.of(List.of(-1), List.of(0), List.of(0), List.of(1, 2), List.of(3, 2), List.of(4, 1), List.of(5, 2),
                List.of(6, 1, 2), List.of(7, 7, 3), List.of(8), List.of(9), List.of(10, 8), List.of(11), List.of(12),
                List.of(-1), List.of(13, 14), List.of(15), List.of(16)), m.inputs());
        assertArrayEquals(new int[] {4, 6, 6}, m.outputShapes().get(11));
        // both flattened tensors are 2 x 4 x 6 (C, H, W): the Gemm's rows are permuted once, after the Add
        Tensor k = m.layers().get(17).weights().get(0);
        for (int c = 0; c < 2; c++) {
            for (int h = 0; h < 4; h++) {
                for (int x = 0; x < 6; x++) {
                    for (int u = 0; u < 5; u++) {
                        assertEquals(w[4][u * 48 + (c * 4 + h) * 6 + x], k.data()[((h * 6 + x) * 2 + c) * 5 + u]);
                    }
                }
            }
        }
    }

    @Test
    void anIdentityAliasOfAWeightIsThatWeight() throws Exception {
        // torch.onnx writes an Identity for a parameter used twice (tied weights)
        float[] w = data(2 * 2, 97);
        ImportedModel m = OnnxReader.read(new OnnxBuilder().initializer("shared.weight", w, 2, 2).input("x", 1, 2).output("y")
                .node("Identity", names("shared.weight"), names("onnx::Gemm_5"))
                .node("Gemm", names("x", "shared.weight"), names("a"), intAttr("transB", 1))
                .node("Gemm", names("a", "onnx::Gemm_5"), names("y"), intAttr("transB", 1)).build(), "i.onnx");
        assertEquals(List.of("Dense", "Dense"), kinds(m));
        assertEquals(List.of("shared", "dense"), layerNames(m));
        assertArrayEquals(m.layers().get(0).weights().get(0).data(), m.layers().get(1).weights().get(0).data());
    }

    @Test
    void anUnusedOutputNamesTheNodeThatWritesIt() {
        refused("Relu node '/Relu_1' computes 'r', which no node uses and which is not the graph output: every layer of a"
                + " NetForge model must reach its output", b -> b.initializer("w", new float[4], 2, 2).input("x", 1, 2)
                .output("y").node("Gemm", names("x", "w"), names("g")).node("Relu", names("g"), names("r"))
                .node("Sigmoid", names("x"), names("y")));
    }

    @Test
    void hugeDeclaredShapesAreRefusedNotWrapped() {
        long big = Integer.MAX_VALUE;
        refused("Flatten node '/Flatten_0': flattened size 2147483647 x 2147483647 x 2147483647 is more than an array holds",
                b -> b.input("x", 1, big, big, big).output("y").node("Flatten", names("x"), names("f"))
                        .node("Relu", names("f"), names("y")));
        assertTrue(refused(b -> b.initializerInt64("s", new long[] {1, big, big, big, big}, 5).input("x", 1, 4).output("y")
                .node("Reshape", names("x", "s"), names("y"))).getMessage().contains("more values than a long counts"));
    }

    // ------------------------------------------------------------------ what cannot be imported

    @Test
    void unsupportedNodesAndGraphShapesAreOneErrorNamingTheNode() {
        refused("Add node '/Add_1' broadcasts its inputs of shapes [2, 3, 3] and [2, 1, 1] (without the batch): NetForge's"
                + " Add takes tensors of one shape, element by element", b -> b.input("x", 1, 2, 3, 3).output("y")
                .node("GlobalAveragePool", names("x"), names("g"))
                .node("Add", names("x", "g"), names("y")));
        refused("Mul node '/Mul_0' combines the network's tensor with the constant 'c': only element-wise merges of tensors"
                + " of one shape that the network computes (broadcasting nothing) can be imported",
                b -> b.initializer("c", new float[] {2}).input("x", 1, 4).output("y").node("Mul", names("x", "c"), names("y")));
        refused("Concat node '/Concat_0' concatenates along axis 2 of N x C x H x W [2, 3, 3]; only the channel axis (1 of"
                + " N x C x H x W, which is NetForge's last axis) can be imported", b -> b.input("x", 1, 2, 3, 3).output("y")
                .node("Concat", names("x", "x"), names("y"), intAttr("axis", 2)));
        refused("the graph has 2 outputs, 'y' (from Relu node '/Relu_0'), 'z' (from Sigmoid node '/Sigmoid_1'): a NetForge"
                + " model has one output", b -> b.input("x", 1, 4).output("y").output("z")
                .node("Relu", names("x"), names("y")).node("Sigmoid", names("x"), names("z")));
        refused("Identity node '/Identity_0' reads 'b' before Sigmoid node '/Sigmoid_1' computes it: the graph has a cycle,"
                + " or its nodes are not in topological order", b -> b.input("x", 1, 4).output("y")
                .node("Identity", names("b"), names("y")).node("Sigmoid", names("x"), names("b")));
        refused("Identity node '/Identity_1' writes 'x', which is the graph input: the graph has a cycle",
                b -> b.input("x", 1, 4).output("y").node("Relu", names("x"), names("y")).node("Identity", names("y"), names("x")));
        refused("Clip node '/Clip_0' clips to [-1.0, 1.0]; only Clip(0, 6) (ReLU6) and Clip(0, inf) (ReLU) can be imported",
                b -> b.initializer("lo", new float[] {-1}).initializer("hi", new float[] {1}).input("x", 1, 4).output("y")
                        .node("Clip", names("x", "lo", "hi"), names("y")));
        refused("unsupported ONNX operator: HardSwish node '/blocks/blocks.0/act/HardSwish'", b -> b.input("x", 1, 4).output("y")
                .namedNode("/blocks/blocks.0/act/HardSwish", "HardSwish", names("x"), names("y")));
        refused("Relu node '/Relu_0' does not depend on the graph input: only shape computations (Shape, Gather, Concat,"
                + " ...) may sit beside the network", b -> b.initializer("c", new float[] {2}, 1).input("x", 1, 1).output("y")
                .node("Relu", names("c"), names("r")).node("Identity", names("x"), names("y")));
    }
}
