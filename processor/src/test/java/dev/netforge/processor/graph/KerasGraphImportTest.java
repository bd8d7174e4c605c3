package dev.netforge.processor.graph;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import com.google.testing.compile.JavaFileObjects;
import dev.netforge.importer.ImportedModel;
import dev.netforge.importer.Importer;
import dev.netforge.importer.KerasFiles;
import dev.netforge.importer.ModelScaffold;
import dev.netforge.processor.NetForgeProcessor;
import dev.netforge.processor.model.MergeOp;
import dev.netforge.processor.reference.RefLayer;
import dev.netforge.processor.testing.CompiledModel;
import dev.netforge.processor.testing.RandomModels;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keras 3 functional files in Keras's own layout (written by the test: TensorFlow cannot be
 * installed here) with the layers U-Nets and MobileNets use: the importer reads every layer,
 * connection and weight; the scaffold's class compiles unchanged, with {@code @Model(weights)} too,
 * and computes what the independent reference computes for the same weights (1e-5).
 */
@SuppressWarnings("unchecked")
class KerasGraphImportTest {
    @TempDir
    Path resources;

    static GraphModel unet() {
        return new GraphModel(8, 8, 2)
                .layer("enc1", new RefLayer.Conv2D(4, 3, 3, 1, 1, 1, 1, true, "relu", true))
                .layer("pool1", new RefLayer.MaxPool(2, 2, 2, 2, false))
                .layer("enc2", new RefLayer.SeparableConv2D(8, 3, 3, 1, 1, 1, 1, true, 2, "relu6", true))
                .layer("leaky", new RefLayer.LeakyReLU(0.1f))
                .layer("up2", new RefLayer.Conv2DTranspose(4, 2, 2, 2, 2, false, "linear", true))
                .merge("cat", MergeOp.CONCATENATE, "up2", "enc1")
                .layer("up", new RefLayer.UpSampling2D(1, 1), "pool1")
                .layer("dec", new RefLayer.Conv2D(4, 3, 3, 1, 1, 1, 1, true, "linear", true), "cat")
                .layer("wide", new RefLayer.Conv2DTranspose(4, 3, 3, 2, 2, true, "tanh", false), "up")
                .merge("sum", MergeOp.ADD, "dec", "wide")
                .layer("act", new RefLayer.ActivationLayer("relu"))
                .layer("flat", new RefLayer.Reshape(new int[] {8 * 8 * 4}))
                .layer("out", new RefLayer.Dense(3, "softmax", true));
    }

    @Test
    void aKeras3UNetImportsAndItsScaffoldMatchesTheReference() throws IOException {
        GraphModel graph = unet();
        float[] parameters = graph.parameters(9);
        byte[] file = KerasFiles.functional("unet", new int[] {8, 8, 2}, graph.kerasLayers(parameters));
        ImportedModel imported = Importer.read(file, "unet.keras");
        assertArrayEquals(parameters, imported.parameters(), "get_weights() order and layouts");

        String scaffold = ModelScaffold.javaSource(imported, "UNet");
        assertTrue(scaffold.contains("@Concatenate @From({\"up2\", \"enc1\"}) Layer cat;"), scaffold);
        assertTrue(scaffold.contains("@SeparableConv2D(filters = 8, kernel = 3, padding = Padding.SAME,"
                + " depthMultiplier = 2, activation = Activation.RELU6) Layer enc2;"), scaffold);
        assertTrue(scaffold.contains("@LeakyReLU(alpha = 0.1f) Layer leaky;"), scaffold);
        assertTrue(scaffold.contains("@UpSampling2D(size = 1) @From(\"pool1\") Layer up;"), scaffold);
        CompiledModel model = CompiledModel.compile("kgraph", "UNet", "package kgraph;\n" + scaffold);
        CompiledModel.Instance net = model.instance(imported.parameters());
        for (int sample = 0; sample < 3; sample++) {
            float[] x = RandomModels.input(8 * 8 * 2, sample);
            float[] expected = graph.reference(parameters, x);
            float[] actual = new float[expected.length];
            net.forward(x, actual);
            for (int i = 0; i < expected.length; i++) {
                assertTrue(Math.abs(actual[i] - expected[i]) <= 1e-5, i + ": " + actual[i] + " vs " + expected[i]);
            }
        }

        // the same class bundling the file: every layer, attribute, connection and shape checked
        Files.write(Files.createDirectories(resources.resolve("kgraph")).resolve("unet.keras"), file);
        JavaFileObject withWeights = JavaFileObjects.forSourceString("kgraph.UNet", "package kgraph;\n"
                + scaffold.replace("@Model(input = {8, 8, 2})", "@Model(input = {8, 8, 2}, weights = \"unet.keras\")"));
        List<File> classPath = new ArrayList<>(List.of(resources.toFile()));
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            classPath.add(new File(entry));
        }
        Compilation compilation = Compiler.javac().withProcessors(new NetForgeProcessor()).withClasspath(classPath)
                .compile(withWeights);
        assertThat(compilation).succeeded();
    }

    /**
     * BatchNormalization without gamma (scale=False, as before a ReLU in many Keras models), without
     * beta, and without both, folded into a convolution or standing alone; the file's tensors are
     * only those Keras writes for each.
     */
    @Test
    void batchNormalizationsWithoutGammaOrBetaImportAndCompute() throws IOException {
        GraphModel graph = new GraphModel(6, 6, 2)
                .layer("conv", new RefLayer.Conv2D(4, 3, 3, 1, 1, 1, 1, true, "linear", false))
                .layer("bn1", new RefLayer.BatchNorm(1e-3, true, false))
                .layer("relu", new RefLayer.ActivationLayer("relu"))
                .layer("bn2", new RefLayer.BatchNorm(1.001e-5, false, true))
                .layer("bn3", new RefLayer.BatchNorm(1e-3, false, false))
                .layer("gap", new RefLayer.GlobalAvgPool())
                .layer("out", new RefLayer.Dense(3, "softmax", true));
        float[] parameters = graph.parameters(21);
        byte[] file = KerasFiles.functional("bn", new int[] {6, 6, 2}, graph.kerasLayers(parameters));
        ImportedModel imported = Importer.read(file, "bn.keras");
        assertArrayEquals(parameters, imported.parameters(), "get_weights() order");
        String scaffold = ModelScaffold.javaSource(imported, "Norms");
        assertTrue(scaffold.contains("@BatchNormalization(scale = false) Layer bn1;"), scaffold);
        assertTrue(scaffold.contains("@BatchNormalization(epsilon = 1.001E-5, center = false) Layer bn2;"), scaffold);
        assertTrue(scaffold.contains("@BatchNormalization(center = false, scale = false) Layer bn3;"), scaffold);
        CompiledModel model = CompiledModel.compile("kgraph", "Norms", "package kgraph;\n" + scaffold);
        assertTrue(model.summary().contains("bn1 (BatchNormalization)"), model.summary());
        CompiledModel.Instance net = model.instance(imported.parameters());
        for (int sample = 0; sample < 3; sample++) {
            float[] x = RandomModels.input(6 * 6 * 2, 40 + sample);
            float[] expected = graph.reference(parameters, x);
            float[] actual = new float[expected.length];
            net.forward(x, actual);
            for (int i = 0; i < expected.length; i++) {
                assertTrue(Math.abs(actual[i] - expected[i]) <= 1e-5, i + ": " + actual[i] + " vs " + expected[i]);
            }
        }
        // bundled: the file's layers and weight shapes checked against the declared flags
        Files.write(Files.createDirectories(resources.resolve("kgraph")).resolve("bn.keras"), file);
        List<File> classPath = new ArrayList<>(List.of(resources.toFile()));
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            classPath.add(new File(entry));
        }
        String bundled = "package kgraph;\n" + scaffold.replace("@Model(input = {6, 6, 2})",
                "@Model(input = {6, 6, 2}, weights = \"bn.keras\")");
        assertThat(Compiler.javac().withProcessors(new NetForgeProcessor()).withClasspath(classPath)
                .compile(JavaFileObjects.forSourceString("kgraph.Norms", bundled))).succeeded();
        // a declaration that keeps gamma where the file has none is an error on the attribute
        Compilation wrong = Compiler.javac().withProcessors(new NetForgeProcessor()).withClasspath(classPath)
                .compile(JavaFileObjects.forSourceString("kgraph.Norms",
                        bundled.replace("@BatchNormalization(scale = false) Layer bn1;", "@BatchNormalization Layer bn1;")));
        assertThat(wrong).failed();
        assertThat(wrong).hadErrorContaining("bn1");
    }

    @Test
    void aNestedPreprocessingSequentialAndCroppingImport() throws IOException {
        GraphModel graph = new GraphModel(10, 9, 3)
                .layer("rescale", new RefLayer.Rescaling(1 / 255.0, -0.5))
                .layer("conv", new RefLayer.Conv2D(4, 3, 3, 1, 1, 1, 1, false, "relu", true))
                .layer("crop", new RefLayer.Cropping2D(2, 0, 1, 1), "rescale")
                .layer("side", new RefLayer.Conv2D(4, 1, 1, 1, 1, 1, 1, false, "linear", true))
                .merge("sum", MergeOp.ADD, "conv", "side")
                .layer("gap", new RefLayer.GlobalAvgPool())
                .layer("out", new RefLayer.Dense(2, "softmax", true));
        float[] parameters = graph.parameters(4);
        List<KerasFiles.Layer> layers = new ArrayList<>(graph.kerasLayers(parameters));
        // Keras 3 keeps a preprocessing block as a nested Sequential: Rescaling and a RandomFlip
        KerasFiles.Layer rescale = layers.get(0);
        java.util.Map<String, Object> flip = new java.util.LinkedHashMap<>(java.util.Map.of("class_name", "RandomFlip",
                "config", new java.util.LinkedHashMap<>(java.util.Map.of("name", "flip", "mode", "horizontal"))));
        java.util.Map<String, Object> rescaling = new java.util.LinkedHashMap<>(java.util.Map.of("class_name",
                "Rescaling", "config", new java.util.LinkedHashMap<>(rescale.config())));
        ((java.util.Map<String, Object>) rescaling.get("config")).put("name", "rescale");
        layers.set(0, new KerasFiles.Layer("Sequential", "preprocess", java.util.Map.of("layers",
                List.of(rescaling, flip)), rescale.inbound(), List.of()));
        List<KerasFiles.Layer> rewired = new ArrayList<>();
        for (KerasFiles.Layer layer : layers) {
            rewired.add(new KerasFiles.Layer(layer.className(), layer.name(), layer.config(),
                    layer.inbound().stream().map(n -> n.equals("rescale") ? "preprocess" : n).toList(), layer.weights()));
        }
        byte[] file = KerasFiles.functional("nested", new int[] {10, 9, 3}, rewired);
        ImportedModel imported = Importer.read(file, "nested.keras");
        assertArrayEquals(parameters, imported.parameters());
        String scaffold = ModelScaffold.javaSource(imported, "Nested");
        assertTrue(scaffold.contains("@Rescaling(scale = 0.00392156862745098, offset = -0.5) Layer rescale;"), scaffold);
        assertTrue(scaffold.contains("// skipped: RandomFlip flip (the identity at inference)"), scaffold);
        assertTrue(scaffold.contains("@Cropping2D({2, 0, 1, 1}) @From(\"rescale\") Layer crop;"), scaffold);
        CompiledModel model = CompiledModel.compile("kgraph", "Nested", "package kgraph;\n" + scaffold);
        CompiledModel.Instance net = model.instance(imported.parameters());
        float[] x = new float[10 * 9 * 3];
        for (int i = 0; i < x.length; i++) {
            x[i] = (i * 37) % 256; // pixels, as a Rescaling(1/255) model gets them
        }
        float[] expected = graph.reference(parameters, x);
        float[] actual = new float[expected.length];
        net.forward(x, actual);
        for (int i = 0; i < expected.length; i++) {
            assertTrue(Math.abs(actual[i] - expected[i]) <= 1e-5, i + ": " + actual[i] + " vs " + expected[i]);
        }
    }
}
