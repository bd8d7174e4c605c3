package dev.netforge.importer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ModelScaffoldTest {

    @Test
    void kerasMnist() throws Exception {
        ImportedModel m = KerasReader.read(TestFiles.keras("kilj4eden_mnist", "mnist.h5"));
        assertEquals("""
                import dev.netforge.*;
                @Model(input = {28, 28, 1})
                public class MnistNet {
                    @Conv2D(filters = 32, kernel = 3, activation = Activation.RELU) Layer conv2d;
                    @MaxPool(2) Layer max_pooling2d;
                    @Conv2D(filters = 64, kernel = 3, activation = Activation.RELU) Layer conv2d_1;
                    @MaxPool(2) Layer max_pooling2d_1;
                    @Flatten Layer flatten;
                    @Dropout(rate = 0.5) Layer dropout;
                    @Dense(units = 10, activation = Activation.SOFTMAX) Layer dense;
                }
                """, ModelScaffold.javaSource(m, "MnistNet"));
    }

    @Test
    void pytorchOnnx() throws Exception {
        ImportedModel m = OnnxReader.read(TestFiles.path(TestFiles.ONNX));
        assertEquals("""
                import dev.netforge.*;
                @Model(input = {28, 28, 1})
                public class FashionMnist {
                    @Conv2D(filters = 32, kernel = 3, activation = Activation.RELU) Layer conv2d;
                    @MaxPool(2) Layer max_pooling2d;
                    @Conv2D(filters = 64, kernel = 3, activation = Activation.RELU) Layer conv2d_1;
                    @MaxPool(2) Layer max_pooling2d_1;
                    @Flatten Layer flatten;
                    @Dense(units = 128, activation = Activation.RELU) Layer dense;
                    @Dense(units = 10, activation = Activation.SOFTMAX) Layer dense_1;
                }
                """, ModelScaffold.javaSource(m, "FashionMnist"));
    }

    @Test
    void cifarWithBatchNormalization() throws Exception {
        ImportedModel m = KerasReader.read(TestFiles.keras("erenaktuerk_cifar10_bn", "cifar10_cnn_model.h5"));
        String src = ModelScaffold.javaSource(m, "Cifar");
        assertTrue(src.contains("    @Conv2D(filters = 32, kernel = 3, padding = Padding.SAME, activation = Activation.RELU)"
                + " Layer conv2d;\n    @BatchNormalization Layer batch_normalization;\n"), src);
        assertTrue(src.startsWith("import dev.netforge.*;\n@Model(input = {32, 32, 3})\npublic class Cifar {\n"), src);
    }

    private static ImportedLayer layer(String name, String kind, Object... kv) {
        Map<String, Object> a = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            a.put((String) kv[i], kv[i + 1]);
        }
        return new ImportedLayer(name, kind, a, List.of());
    }

    @Test
    void nonDefaultAttributesAndIdentifiers() {
        ImportedModel m = new ImportedModel("onnx", "test", new int[] {30, 20, 3}, List.of(
                layer("features.0", "Conv2D", "filters", 8, "kernel", new int[] {3, 5}, "strides", new int[] {2, 2},
                        "dilation", new int[] {1, 1}, "padding", "same", "activation", "linear", "useBias", false),
                layer("act", "Activation", "activation", "tanh"),
                layer("class", "MaxPool", "pool", new int[] {3, 3}, "strides", new int[] {2, 2}, "padding", "valid"),
                layer("pool 2", "MaxPool", "pool", new int[] {2, 3}, "strides", new int[] {2, 3}, "padding", "same"),
                layer("1st", "AvgPool", "pool", new int[] {1, 2}, "strides", new int[] {1, 2}, "padding", "valid"),
                layer("pad", "ZeroPadding2D", "paddingValues", new int[] {1, 1, 2, 2}),
                layer("pad1", "ZeroPadding2D", "paddingValues", new int[] {1, 1, 1, 1}),
                layer("pad3", "ZeroPadding2D", "paddingValues", new int[] {0, 1, 0, 1}),
                layer("dil", "Conv2D", "filters", 4, "kernel", new int[] {3, 3}, "strides", new int[] {1, 1},
                        "dilation", new int[] {2, 2}, "padding", "valid", "activation", "relu", "useBias", true),
                layer("grouped", "Conv2D", "filters", 4, "kernel", new int[] {3, 3}, "strides", new int[] {1, 1},
                        "dilation", new int[] {1, 1}, "padding", "valid", "activation", "relu", "useBias", true,
                        "groups", 2),
                layer("dw", "DepthwiseConv2D", "kernel", new int[] {3, 3}, "strides", new int[] {1, 1},
                        "dilation", new int[] {1, 1}, "padding", "same", "depthMultiplier", 2,
                        "activation", "relu6", "useBias", true),
                layer("bn", "BatchNormalization", "epsilon", 1e-3, "center", true, "scale", true),
                layer("bn2", "BatchNormalization", "epsilon", 1e-5, "center", true, "scale", true),
                layer("act_1", "Activation", "activation", "swish"),
                layer("gap", "GlobalAvgPool"),
                layer("flatten", "Flatten"),
                layer("flatten", "Flatten"),
                layer("drop", "Dropout", "rate", 0.25),
                layer("dense", "Dense", "units", 10, "activation", "log_softmax", "useBias", true),
                layer("out", "Dense", "units", 10, "activation", "linear", "useBias", true),
                layer("act_2", "Activation", "activation", "softmax"),
                layer("x", "LeakyReLU")));
        assertEquals("""
                import dev.netforge.*;
                @Model(input = {30, 20, 3})
                public class MyModel {
                    @Conv2D(filters = 8, kernel = {3, 5}, strides = 2, padding = Padding.SAME, useBias = false) Layer features_0;
                    @ActivationLayer(Activation.TANH) Layer act;
                    @MaxPool(value = 3, strides = 2) Layer class_;
                    @MaxPool(value = {2, 3}, padding = Padding.SAME) Layer pool_2;
                    @AvgPool({1, 2}) Layer layer_1st;
                    @ZeroPadding2D({1, 2}) Layer pad;
                    @ZeroPadding2D Layer pad1;
                    @ZeroPadding2D({0, 1, 0, 1}) Layer pad3;
                    @Conv2D(filters = 4, kernel = 3, dilation = 2, activation = Activation.RELU) Layer dil;
                    // unsupported: Conv2D grouped (grouped convolution (groups 2))
                    @DepthwiseConv2D(kernel = 3, padding = Padding.SAME, depthMultiplier = 2, activation = Activation.RELU6) Layer dw;
                    @BatchNormalization Layer bn;
                    @BatchNormalization(epsilon = 1.0E-5) Layer bn2;
                    @ActivationLayer(Activation.SWISH) Layer act_1;
                    @GlobalAveragePooling2D Layer gap;
                    // skipped: Flatten flatten (of a vector, which it leaves as it is)
                    // skipped: Flatten flatten (of a vector, which it leaves as it is)
                    @Dropout(rate = 0.25) Layer drop;
                    // unsupported: Dense dense (activation log_softmax is not one NetForge computes)
                    @Dense(units = 10) Layer out;
                    @ActivationLayer(Activation.SOFTMAX) Layer act_2;
                    @LeakyReLU Layer x;
                }
                """, ModelScaffold.javaSource(m, "my model", true));
        ModelScaffold.UnsupportedLayersException refused = org.junit.jupiter.api.Assertions.assertThrows(
                ModelScaffold.UnsupportedLayersException.class, () -> ModelScaffold.javaSource(m, "my model"));
        assertEquals(List.of("Conv2D 'grouped': grouped convolution (groups 2)",
                "Dense 'dense': activation log_softmax is not one NetForge computes"), refused.layers());
    }

    @Test
    void scaffoldCommandRefusesUnsupportedLayersWithOneListAndExitStatus1() throws Exception {
        java.nio.file.Path file = java.nio.file.Files.createTempFile("variant", ".h5");
        try {
            java.nio.file.Files.write(file, RealFileVariants.keras(TestFiles.keras("kilj4eden_mnist", "mnist.h5"),
                    RealFileVariants.insertAfter("conv2d", RealFileVariants.layer("Permute", "perm", "dims", List.of(2L, 1L, 3L)))
                            .andThen(RealFileVariants.insertAfter("conv2d_1",
                                    RealFileVariants.layer("UnitNormalization", "unit", "axis", -1L)))
                            .andThen(RealFileVariants.insertAfter("conv2d_1",
                                    RealFileVariants.layer("GaussianNoise", "noise", "stddev", 0.1)))));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int status = Scaffold.run(new String[] {file.toString(), "Net"}, new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8));
            assertEquals(1, status);
            assertEquals("", out.toString(StandardCharsets.UTF_8));
            String message = err.toString(StandardCharsets.UTF_8);
            assertTrue(message.contains("2 layers NetForge cannot declare exactly:\n  Permute 'perm': NetForge has no"
                    + " Permute layer\n  UnitNormalization 'unit': NetForge has no UnitNormalization layer"), message);

            out.reset();
            status = Scaffold.run(new String[] {"--allow-unsupported", file.toString(), "Net"},
                    new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
            assertEquals(0, status);
            String source = out.toString(StandardCharsets.UTF_8);
            assertTrue(source.contains("    // unsupported: Permute perm (NetForge has no Permute layer)\n"), source);
            assertTrue(source.contains("    // skipped: GaussianNoise noise (the identity at inference)\n"), source);
        } finally {
            java.nio.file.Files.delete(file);
        }
    }

    @Test
    void keras2HardSigmoidIsNotNetForgesHardSigmoid() {
        ImportedLayer hs = layer("a", "Activation", "activation", "hard_sigmoid");
        assertTrue(ModelScaffold.javaSource(new ImportedModel("keras-h5", "Keras 2.6.0", new int[] {4}, List.of(hs)), "M",
                true).contains("// unsupported: Activation a (activation hard_sigmoid of Keras 2.6.0 is clip(0.2 x + 0.5, 0, 1),"));
        assertTrue(ModelScaffold.javaSource(new ImportedModel("keras-zip", "Keras 3.1.1", new int[] {4}, List.of(hs)), "M")
                .contains("@ActivationLayer(Activation.HARD_SIGMOID) Layer a;"));
    }

    @Test
    void identifiersAreLegalAndDistinct() {
        Set<String> used = new HashSet<>();
        assertEquals("conv1", ModelScaffold.identifier("conv1", used));
        assertEquals("conv1_2", ModelScaffold.identifier("conv1", used));
        assertEquals("features_0", ModelScaffold.identifier("features.0", used));
        assertEquals("layer_0", ModelScaffold.identifier("0", used));
        assertEquals("int_", ModelScaffold.identifier("int", used));
        assertEquals("layer_", ModelScaffold.identifier("", used));
        assertEquals("a_b_c", ModelScaffold.identifier("a/b-c", used));
        assertEquals("caf_", ModelScaffold.identifier("caf\u00e9", used));
        assertEquals("FashionMnist", ModelScaffold.className("fashion_mnist"));
        assertEquals("Model3d", ModelScaffold.className("3d"));
        assertEquals("Model", ModelScaffold.className("..."));
    }

    @Test
    void unknownInputShapeIsLeftToFillIn() {
        ImportedModel m = new ImportedModel("keras-h5", "Keras 2.6.0", null, List.of(layer("flatten", "Flatten")));
        assertEquals("""
                import dev.netforge.*;
                // the file does not fix the input shape: fill it in
                @Model(input = {})
                public class M {
                    @Flatten Layer flatten;
                }
                """, ModelScaffold.javaSource(m, "M"));
    }

    @Test
    void scaffoldMainPrintsTheClass() throws Exception {
        PrintStream old = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            assertEquals(0, Scaffold.run(new String[] {TestFiles.keras("moonflower_mnist_keras", "mnist_model.keras")
                    .toString(), "Net"}, System.out, System.err));
        } finally {
            System.setOut(old);
        }
        String s = out.toString(StandardCharsets.UTF_8);
        assertTrue(s.startsWith("import dev.netforge.*;\n@Model(input = {28, 28, 1})\npublic class Net {\n"), s);
        assertEquals("MnistModel", Scaffold.defaultClassName(java.nio.file.Path.of("/x/mnist_model.keras")));
    }

    /** Runs the command; returns {exit status, standard output, standard error}. */
    private static Object[] command(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Scaffold.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Object[] {status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8)};
    }

    @Test
    void scaffoldCommandWritesThePackageTheWeightsAndCopiesTheFile(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path h5 = TestFiles.keras("kilj4eden_mnist", "mnist.h5");
        java.nio.file.Path src = dir.resolve("src/main/java");
        Object[] r = command("scaffold", h5.toString(), "--package", "com.acme", "--class", "Net", "--out", src.toString());
        assertEquals(0, r[0], (String) r[2]);
        assertEquals("", r[1]);
        String source = java.nio.file.Files.readString(src.resolve("com/acme/Net.java"));
        assertTrue(source.startsWith("package com.acme;\n\nimport dev.netforge.*;\n"
                + "@Model(input = {28, 28, 1}, weights = \"mnist.h5\")\npublic class Net {\n"), source);
        assertTrue(source.chars().noneMatch(c -> c == 0x1b), "no terminal escape codes");
        java.nio.file.Path copy = dir.resolve("src/main/resources/com/acme/mnist.h5");
        assertTrue(java.util.Arrays.equals(java.nio.file.Files.readAllBytes(h5), java.nio.file.Files.readAllBytes(copy)));
        assertEquals("wrote " + src.resolve("com/acme/Net.java") + "\ncopied " + h5 + " to " + copy + "\n", r[2]);

        // an existing class is kept unless --force
        r = command("scaffold", h5.toString(), "--package", "com.acme", "--class", "Net", "--out", src.toString());
        assertEquals(1, r[0]);
        assertTrue(((String) r[2]).contains("exists; --force overwrites it"), (String) r[2]);
        r = command("scaffold", h5.toString(), "--package", "com.acme", "--class", "Net", "--out", src.toString(), "--force",
                "--no-weights");
        assertEquals(0, r[0], (String) r[2]);
        assertTrue(java.nio.file.Files.readString(src.resolve("com/acme/Net.java")).contains("@Model(input = {28, 28, 1})\n"));

        // to standard output, in the unnamed package: says where the file must go
        r = command("scaffold", h5.toString());
        assertEquals(0, r[0]);
        assertTrue(((String) r[1]).startsWith("import dev.netforge.*;\n@Model(input = {28, 28, 1}, weights = \"mnist.h5\")\n"
                + "public class Mnist {\n"), (String) r[1]);
        assertEquals("put mnist.h5 in src/main/resources/ (the processor reads it from there)\n", r[2]);
    }

    @Test
    void scaffoldCommandUsageErrorsExit2() {
        String h5 = TestFiles.keras("kilj4eden_mnist", "mnist.h5").toString();
        for (String[] args : List.of(new String[] {"scaffold"}, new String[] {"scaffold", h5, "--package", "1a"},
                new String[] {"scaffold", h5, "--class", "class"}, new String[] {"scaffold", h5, "--out"},
                new String[] {"scaffold", h5, "--colour"}, new String[] {"scaffold", h5, h5}, new String[] {})) {
            Object[] r = command(args);
            assertEquals(2, r[0], List.of(args).toString());
            assertTrue(((String) r[2]).contains("usage: java -jar netforge-import.jar scaffold"), (String) r[2]);
        }
        Object[] help = command("--help");
        assertEquals(0, help[0]);
        assertTrue(((String) help[1]).contains("--allow-unsupported"));
    }

    @Test
    void withUnsupportedLayersAllowedTheClassHasNoWeights() {
        ImportedLayer hs = layer("a", "Activation", "activation", "hard_sigmoid");
        String source = ModelScaffold.javaSource(new ImportedModel("keras-h5", "Keras 2.6.0", new int[] {4}, List.of(hs)), "M",
                true, "p", "m.h5");
        assertTrue(source.startsWith("package p;\n\nimport dev.netforge.*;\n@Model(input = {4})\n"), source);
        assertEquals("@Model(input = {4}, weights = \"a\\\"b.h5\")", ModelScaffold.javaSource(new ImportedModel("keras-h5",
                "Keras 3.1.0", new int[] {4}, List.of(hs)), "M", false, "", "a\"b.h5").lines().skip(1).findFirst().orElseThrow());
    }
}
