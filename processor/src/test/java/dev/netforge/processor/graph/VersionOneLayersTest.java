package dev.netforge.processor.graph;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import com.google.testing.compile.JavaFileObjects;
import dev.netforge.processor.NetForgeProcessor;
import dev.netforge.processor.model.MergeOp;
import dev.netforge.processor.reference.RefLayer;
import dev.netforge.processor.testing.CompiledModel;
import dev.netforge.processor.testing.RandomModels;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The single-input layers of version 1 (docs/SEMANTICS.md): {@code @UpSampling2D},
 * {@code @Conv2DTranspose}, {@code @SeparableConv2D}, {@code @Reshape}, {@code @LeakyReLU}: Keras's
 * output shapes and parameter counts, outputs equal to the independent reference (1e-5, relative
 * above 1), and their attribute errors.
 */
class VersionOneLayersTest {
    private static int counter;

    private static CompiledModel assertMatchesReference(GraphModel graph, int inputSize) {
        String className = "Layers" + counter++;
        String source = graph.source("layers", className);
        CompiledModel model = CompiledModel.compile("layers", className, source);
        float[] parameters = graph.parameters(5);
        CompiledModel.Instance net = model.instance(parameters);
        for (int sample = 0; sample < 2; sample++) {
            float[] x = RandomModels.input(inputSize, sample);
            float[] expected = graph.reference(parameters, x);
            float[] actual = new float[expected.length];
            net.forward(x, actual);
            for (int i = 0; i < expected.length; i++) {
                double error = Math.abs(actual[i] - expected[i]) / Math.max(1, Math.abs(expected[i]));
                assertTrue(error <= 1e-5, "output " + i + ": " + actual[i] + " vs reference " + expected[i] + "\n"
                        + source);
            }
        }
        return model;
    }

    @ParameterizedTest(name = "kernel {0}x{1}, strides {2}x{3}, same {4}")
    @CsvSource({"3,3,1,1,false", "3,3,2,2,true", "3,3,2,2,false", "2,2,2,2,false", "1,1,2,2,false",
        "4,4,2,2,true", "3,2,2,1,true", "5,3,3,2,false", "1,1,3,3,true"})
    void conv2DTransposeMatchesTheReferenceAndKerasShapes(int kh, int kw, int sh, int sw, boolean same) {
        GraphModel graph = new GraphModel(5, 4, 3)
                .layer("up", new RefLayer.Conv2DTranspose(4, kh, kw, sh, sw, same, "tanh", true))
                .layer("flat", new RefLayer.Flatten())
                .layer("out", new RefLayer.Dense(3, "linear", true));
        CompiledModel model = assertMatchesReference(graph, 5 * 4 * 3);
        int height = same ? 5 * sh : 5 * sh + Math.max(kh - sh, 0);
        int width = same ? 4 * sw : 4 * sw + Math.max(kw - sw, 0);
        String summary = model.summary();
        assertTrue(summary.contains("(None, " + height + ", " + width + ", 4)"), summary);
        assertTrue(summary.lines().anyMatch(l -> l.startsWith(" up (Conv2DTranspose)")
                && l.contains(String.format("%,d", kh * kw * 4 * 3 + 4))), summary);
    }

    @Test
    void upSamplingSeparableReshapeAndLeakyReluMatchTheReference() {
        GraphModel graph = new GraphModel(6, 5, 2)
                .layer("sep", new RefLayer.SeparableConv2D(4, 3, 3, 1, 1, 1, 1, true, 1, "relu", true))
                .layer("up", new RefLayer.UpSampling2D(2, 3))
                .layer("sep2", new RefLayer.SeparableConv2D(3, 3, 2, 2, 2, 1, 1, false, 2, "linear", false))
                .layer("leaky", new RefLayer.LeakyReLU(0.3f))
                .layer("dilated", new RefLayer.SeparableConv2D(4, 3, 3, 1, 1, 2, 2, true, 1, "tanh", true))
                .layer("flat", new RefLayer.Reshape(new int[] {5 * 7 * 4}))
                .layer("back", new RefLayer.Reshape(new int[] {7, 5, 4}))
                .layer("leaky0", new RefLayer.LeakyReLU(0f))
                .layer("gap", new RefLayer.GlobalAvgPool())
                .layer("out", new RefLayer.Dense(3, "softmax", true));
        CompiledModel model = assertMatchesReference(graph, 6 * 5 * 2);
        String summary = model.summary();
        // Keras's counts: depthwise 3*3*2*1 + pointwise 2*4 + bias 4 = 30; 3*2*4*2 + 8*3 = 72 (no bias)
        assertTrue(summary.lines().anyMatch(l -> l.startsWith(" sep (SeparableConv2D)") && l.contains(" 30 ")), summary);
        assertTrue(summary.lines().anyMatch(l -> l.startsWith(" sep2 (SeparableConv2D)") && l.contains(" 72 ")
                && l.contains("(None, 5, 7, 3)")), summary);
        assertTrue(summary.lines().anyMatch(l -> l.startsWith(" up (UpSampling2D)") && l.contains("(None, 12, 15, 4)")),
                summary);
    }

    @Test
    void aUNetWithTransposedConvolutionsAndSkipsMatchesTheReference() {
        GraphModel graph = new GraphModel(8, 8, 1)
                .layer("enc1", new RefLayer.Conv2D(4, 3, 3, 1, 1, 1, 1, true, "relu", true))
                .layer("pool1", new RefLayer.MaxPool(2, 2, 2, 2, false))
                .layer("enc2", new RefLayer.Conv2D(8, 3, 3, 1, 1, 1, 1, true, "relu", true))
                .layer("pool2", new RefLayer.MaxPool(2, 2, 2, 2, false))
                .layer("bottom", new RefLayer.SeparableConv2D(8, 3, 3, 1, 1, 1, 1, true, 1, "relu", true))
                .layer("up2", new RefLayer.Conv2DTranspose(8, 2, 2, 2, 2, false, "linear", true))
                .merge("cat2", MergeOp.CONCATENATE, "up2", "enc2")
                .layer("dec2", new RefLayer.Conv2D(4, 3, 3, 1, 1, 1, 1, true, "relu", true))
                .layer("up1", new RefLayer.UpSampling2D(2, 2))
                .merge("cat1", MergeOp.CONCATENATE, "up1", "enc1")
                .layer("dec1", new RefLayer.Conv2D(4, 3, 3, 1, 1, 1, 1, true, "relu", true))
                .layer("mask", new RefLayer.Conv2D(1, 1, 1, 1, 1, 1, 1, false, "sigmoid", true));
        assertMatchesReference(graph, 64);
    }

    private JavaFileObject source;

    private Compilation compile(String... fields) {
        source = JavaFileObjects.forSourceString("layers.Bad", "package layers;\nimport dev.netforge.*;\n"
                + "@Model(input = {8, 8, 3})\npublic class Bad {\n" + String.join("\n", fields) + "\n}\n");
        return Compiler.javac().withProcessors(new NetForgeProcessor()).compile(source);
    }

    @Test
    void attributeErrorsAreOnTheAttribute() {
        Compilation compilation = compile(
                "    @Reshape({8, 8, 4}) Layer wrongCount;",
                "    @LeakyReLU(alpha = -0.1f) Layer negative;",
                "    @SeparableConv2D(filters = 4, kernel = 3, strides = 2, dilation = 2) Layer both;",
                "    @Conv2DTranspose(filters = 0, kernel = 3) Layer none;",
                "    @Reshape({-1}) Layer minusOne;",
                "    @UpSampling2D(size = {1, 2, 3}) Layer three;",
                "    @Dense(units = 3) Layer out;");
        assertThat(compilation).hadErrorContaining("[netforge.reshape-size] wrongCount: {8, 8, 4} holds 256 values, but"
                + " its input 8x8x3 holds 192").inFile(source).onLineContaining("wrongCount");
        assertThat(compilation).hadErrorContaining("negative: alpha must be a number >= 0").inFile(source).onLineContaining("negative");
        assertThat(compilation).hadErrorContaining("[netforge.strides-with-dilation] both:").inFile(source).onLineContaining("both;");
        assertThat(compilation).hadErrorContaining("none: filters must be positive; found 0").inFile(source).onLineContaining("none;");
        assertThat(compilation).hadErrorContaining("minusOne: every size must be positive (NetForge has no -1")
                .inFile(source).onLineContaining("minusOne");
        assertThat(compilation).hadErrorContaining("three: size must have one value (both axes) or two")
                .inFile(source).onLineContaining("three;");
    }

    @Test
    void imageLayersOnAVectorAreErrors() {
        Compilation compilation = compile("    @Flatten Layer flat;", "    @UpSampling2D Layer up;",
                "    @GlobalAveragePooling2D Layer gap;");
        assertThat(compilation).hadErrorContaining("[netforge.needs-image] up: UpSampling2D needs an image")
                .inFile(source).onLineContaining("Layer up;");
        compilation = compile("    @Flatten Layer flat;", "    @Conv2DTranspose(filters = 2, kernel = 2) Layer t;",
                "    @GlobalAveragePooling2D Layer gap;");
        assertThat(compilation).hadErrorContaining("[netforge.needs-image] t: Conv2DTranspose needs an image")
                .inFile(source).onLineContaining("Layer t;");
        compilation = compile("    @Flatten Layer flat;", "    @SeparableConv2D(filters = 2, kernel = 1) Layer s;",
                "    @GlobalAveragePooling2D Layer gap;");
        assertThat(compilation).hadErrorContaining("[netforge.needs-image] s: SeparableConv2D needs an image")
                .inFile(source).onLineContaining("Layer s;");
        assertEquals(1, compilation.errors().size(), compilation.errors().toString());
    }
}
