package dev.netforge.importer;

import static dev.netforge.importer.RealFileVariants.insertAfter;
import static dev.netforge.importer.RealFileVariants.layer;
import static dev.netforge.importer.RealFileVariants.set;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A trained file is either exactly the declared model or a list of differences, each naming the
 * layer and attribute. The declared side here is what the scaffold declares for the unedited real
 * file; the file side is a variant of it as a user gets it by editing and re-saving the model:
 * Keras 2.6 {@code .h5}, Keras 2.15 {@code .h5} with BatchNormalization, Keras 3.1 {@code .keras},
 * and the PyTorch-exported Fashion-MNIST ONNX file.
 */
class ModelMatcherTest {
    static final Path MNIST_H5 = RealFileVariants.kerasModel("kilj4eden_mnist", "mnist.h5");
    static final Path MNIST_KERAS = RealFileVariants.kerasModel("moonflower_mnist_keras", "mnist_model.keras");
    static final Path CIFAR_BN_H5 = RealFileVariants.kerasModel("erenaktuerk_cifar10_bn", "cifar10_cnn_model.h5");

    /** The declared layers a scaffold writes for a file: its own layers, weights as shapes. */
    static List<ModelMatcher.Declared> declaredLike(ImportedModel model) {
        List<ModelMatcher.Declared> out = new ArrayList<>();
        for (ImportedLayer l : model.layers()) {
            out.add(new ModelMatcher.Declared(out.size(), l.name(), l.kind(), l.attributes(),
                    l.weights().stream().map(Tensor::shape).toList()));
        }
        return out;
    }

    static ModelMatcher.Result matchVariant(Path real, Consumer<List<Map<String, Object>>> edit) throws IOException {
        ImportedModel declared = KerasReader.read(real);
        ImportedModel variant = KerasReader.read(RealFileVariants.keras(real, edit), "variant");
        return ModelMatcher.match("Net", declaredLike(declared), variant, "variant");
    }

    static String messages(ModelMatcher.Result result) {
        return String.join("\n", result.mismatches().stream().map(ModelMatcher.Mismatch::message).toList());
    }

    @ParameterizedTest
    @ValueSource(strings = {"kilj4eden_mnist/mnist.h5", "moonflower_mnist_keras/mnist_model.keras",
        "erenaktuerk_cifar10_bn/cifar10_cnn_model.h5", "onnx"})
    void theUneditedFileMatchesAndGivesItsParameters(String file) throws IOException {
        Path path = file.equals("onnx") ? RealFileVariants.fashionOnnx()
                : RealFileVariants.kerasModel(file.split("/")[0], file.split("/")[1]);
        ImportedModel model = Importer.read(path);
        ModelMatcher.Result result = ModelMatcher.match("Net", declaredLike(model), model, "f");
        assertTrue(result.ok(), messages(result));
        assertArrayEquals(model.parameters(), result.parameters());
    }

    @Test
    void anExtraLayerOfAKindNetForgeLacksIsAnErrorNamingIt() throws IOException {
        ModelMatcher.Result result = matchVariant(MNIST_H5, insertAfter("conv2d",
                layer("UnitNormalization", "unit_norm", "axis", List.of(-1L))));
        assertNull(result.parameters());
        assertEquals(1, result.mismatches().size(), messages(result));
        ModelMatcher.Mismatch m = result.mismatches().get(0);
        assertEquals(-1, m.index());
        assertEquals("file layer 'unit_norm' (UnitNormalization) after 'conv2d' in \"variant\" has no counterpart"
                + " in Net (NetForge has no UnitNormalization layer)", m.message());
    }

    @Test
    void rescalingAndLeakyReluAddedToARealFileAreBothReported() throws IOException {
        ModelMatcher.Result result = matchVariant(MNIST_H5, insertAfter("max_pooling2d",
                layer("LeakyReLU", "leaky", "alpha", 0.3)).andThen(layers -> layers.add(
                        layers.get(0).get("class_name").equals("InputLayer") ? 1 : 0,
                        layer("Rescaling", "rescale", "scale", 1 / 255.0, "offset", 0.0))));
        String text = messages(result);
        assertEquals(2, result.mismatches().size(), text);
        assertTrue(text.contains("file layer 'rescale' (Rescaling) at the start"), text);
        assertTrue(text.contains("file layer 'leaky' (LeakyReLU) after 'max_pooling2d'"), text);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Permute", "Lambda", "LayerNormalization", "Softmax"})
    void everyOtherKindOfExtraLayerIsReported(String className) throws IOException {
        Map<String, Object> extra = switch (className) {
            case "Permute" -> layer(className, "extra", "dims", List.of(2L, 1L, 3L));
            case "Lambda" -> layer(className, "extra", "function", "4wEAAAAA...");
            case "Softmax" -> layer(className, "extra", "axis", 1L); // not the channel axis
            default -> layer(className, "extra", "axis", -1L, "epsilon", 1e-3);
        };
        ModelMatcher.Result result = matchVariant(MNIST_KERAS, insertAfter("max_pooling2d_1", extra));
        assertEquals(1, result.mismatches().size(), messages(result));
        assertTrue(messages(result).startsWith("file layer 'extra' (" + className + ") after 'max_pooling2d_1'"),
                messages(result));
    }

    @ParameterizedTest
    @ValueSource(strings = {"elu", "tanh", "linear"})
    void aChangedActivationIsAnErrorOnThatAttribute(String activation) throws IOException {
        ModelMatcher.Result result = matchVariant(MNIST_H5, set("conv2d_1", "activation", activation));
        assertEquals(1, result.mismatches().size(), messages(result));
        ModelMatcher.Mismatch m = result.mismatches().get(0);
        assertEquals(2, m.index());
        assertEquals("activation", m.attribute());
        assertEquals("conv2d_1: activation RELU, but the file's conv2d_1 uses " + activation, m.message());
    }

    @Test
    void keras3FilesAreCheckedTheSameWay() throws IOException {
        ModelMatcher.Result result = matchVariant(MNIST_KERAS, set("dense", "activation", "sigmoid")
                .andThen(insertAfter("conv2d", layer("UnitNormalization", "unit_norm", "axis", -1L))));
        String text = messages(result);
        assertEquals(2, result.mismatches().size(), text);
        assertTrue(text.contains("dense: activation SOFTMAX, but the file's dense uses sigmoid"), text);
        assertTrue(text.contains("file layer 'unit_norm' (UnitNormalization) after 'conv2d'"), text);
    }

    @Test
    void aChangedEpsilonIsAnErrorOnThatAttribute() throws IOException {
        ModelMatcher.Result result = matchVariant(CIFAR_BN_H5, set("batch_normalization_3", "epsilon", 1.001e-5));
        assertEquals(1, result.mismatches().size(), messages(result));
        assertEquals("epsilon", result.mismatches().get(0).attribute());
        assertEquals("batch_normalization_3: epsilon 0.001, but the file's batch_normalization_3 has 1.001E-5",
                result.mismatches().get(0).message());
    }

    @Test
    void layersThatAreTheIdentityAtInferenceAreSkippedAndNamed() throws IOException {
        ModelMatcher.Result result = matchVariant(MNIST_H5, insertAfter("conv2d",
                layer("GaussianNoise", "noise", "stddev", 0.1))
                .andThen(insertAfter("conv2d_1", layer("ActivityRegularization", "reg", "l1", 0.01)))
                .andThen(insertAfter("conv2d_1", layer("Activation", "identity", "activation", "linear")))
                .andThen(set("dropout", "rate", 0.25)));
        assertTrue(result.ok(), messages(result));
        assertEquals(List.of("noise (GaussianNoise)", "identity (Activation)", "reg (ActivityRegularization)"),
                result.skipped());
        assertArrayEquals(KerasReader.read(MNIST_H5).parameters(), result.parameters());
    }

    @Test
    void anActivationLayerAfterALinearLayerIsTheSameComputationAsTheFusedActivation() throws IOException {
        // the file spells conv2d's relu as a separate ReLU layer; the declared model fuses it
        ModelMatcher.Result result = matchVariant(MNIST_H5, set("conv2d", "activation", "linear")
                .andThen(insertAfter("conv2d", layer("ReLU", "relu"))));
        assertTrue(result.ok(), messages(result));
    }

    @Test
    void aDeclaredLayerTheFileLacksIsAnErrorOnThatLayer() throws IOException {
        ImportedModel model = KerasReader.read(MNIST_H5);
        List<ModelMatcher.Declared> declared = new ArrayList<>(declaredLike(model));
        declared.add(2, new ModelMatcher.Declared(2, "extra_pool", "MaxPool",
                Map.of("pool", new int[] {2, 2}, "strides", new int[] {2, 2}, "padding", "valid"), List.of()));
        ModelMatcher.Result result = ModelMatcher.match("Net", declared, model, "mnist.h5");
        assertEquals(1, result.mismatches().size(), messages(result));
        assertEquals("extra_pool: declared MaxPool has no counterpart in \"mnist.h5\" (after the file's"
                + " 'max_pooling2d')", result.mismatches().get(0).message());
    }

    @Test
    void keras2HardSigmoidIsNotNetForgesHardSigmoid() throws IOException {
        ImportedModel declared = KerasReader.read(MNIST_H5);
        List<ModelMatcher.Declared> want = new ArrayList<>(declaredLike(declared));
        Map<String, Object> attrs = new java.util.LinkedHashMap<>(want.get(2).attributes());
        attrs.put("activation", "hard_sigmoid");
        want.set(2, new ModelMatcher.Declared(2, "conv2d_1", "Conv2D", attrs, want.get(2).weightShapes()));
        ImportedModel variant = KerasReader.read(RealFileVariants.keras(MNIST_H5,
                set("conv2d_1", "activation", "hard_sigmoid")), "variant");
        ModelMatcher.Result result = ModelMatcher.match("Net", want, variant, "variant");
        assertEquals(1, result.mismatches().size(), messages(result));
        assertTrue(messages(result).contains("uses hard_sigmoid (activation hard_sigmoid of Keras 2.6.0 is"
                + " clip(0.2 x + 0.5, 0, 1)"), messages(result));
    }

    @Test
    void aChangedOperatorInTheRealOnnxFileIsAnErrorOnTheActivation() throws IOException {
        ImportedModel declared = Importer.read(RealFileVariants.fashionOnnx());
        ImportedModel variant = Importer.read(RealFileVariants.onnxWithOperator("Relu", "Tanh"), "variant.onnx");
        ModelMatcher.Result result = ModelMatcher.match("FashionNet", declaredLike(declared), variant, "variant.onnx");
        assertEquals(1, result.mismatches().size(), messages(result));
        assertEquals("activation", result.mismatches().get(0).attribute());
        assertTrue(messages(result).matches(".*: activation RELU, but the file's .* uses tanh"), messages(result));
    }

    @Test
    void anExtraNodeInTheRealOnnxFileIsAnErrorNamingIt() throws IOException {
        ImportedModel declared = Importer.read(RealFileVariants.fashionOnnx());
        ImportedModel variant = Importer.read(RealFileVariants.onnxWithExtraNode("Relu", "Sigmoid", "extra_sigmoid"),
                "variant.onnx");
        ModelMatcher.Result result = ModelMatcher.match("FashionNet", declaredLike(declared), variant, "variant.onnx");
        assertEquals(1, result.mismatches().size(), messages(result));
        // the ONNX reader names layers as Keras would: the Sigmoid node becomes 'activation'
        assertEquals("file layer 'activation' (Activation) after 'conv2d' in \"variant.onnx\" has no counterpart in"
                + " FashionNet", messages(result));
        // an extra Dropout node is the identity at inference: accepted and named
        ModelMatcher.Result dropout = ModelMatcher.match("FashionNet", declaredLike(declared),
                Importer.read(RealFileVariants.onnxWithExtraNode("Relu", "Dropout", "extra_dropout"), "d.onnx"), "d.onnx");
        assertTrue(dropout.ok(), messages(dropout));
        assertEquals(1, dropout.skipped().size(), dropout.skipped().toString());
        assertTrue(dropout.skipped().get(0).endsWith("(Dropout)"), dropout.skipped().toString());
    }

    @Test
    void changedWeightShapesStillNameBothSides() throws IOException {
        ImportedModel model = KerasReader.read(MNIST_H5);
        List<ModelMatcher.Declared> declared = new ArrayList<>(declaredLike(model));
        ModelMatcher.Declared dense = declared.get(declared.size() - 1);
        declared.set(declared.size() - 1, new ModelMatcher.Declared(dense.index(), dense.name(), dense.kind(),
                dense.attributes(), List.of(new int[] {99, 10}, new int[] {10})));
        ModelMatcher.Result result = ModelMatcher.match("Net", declared, model, "mnist.h5");
        assertEquals(1, result.mismatches().size(), messages(result));
        assertEquals("dense: expected Dense weights (99, 10) + (10,), found Dense 'dense' with (1600, 10) + (10,)"
                + " in \"mnist.h5\"", result.mismatches().get(0).message());
    }

    static final Path RESNET8 = RealFileVariants.kerasModel("mlperftiny_resnet8", "pretrainedResnet.h5");

    @Test
    void aRealFunctionalResNetIsReadWithItsConnectionsInKerasOrder() throws IOException {
        ImportedModel model = KerasReader.read(RESNET8);
        assertEquals(78_666, model.parameterCount()); // Keras's count_params(), README of the file
        List<String> names = model.layers().stream().map(ImportedLayer::name).toList();
        // get_weights() order: the projection conv2d_5 between conv2d_4 and batch_normalization_4
        assertEquals(List.of("conv2d_4", "conv2d_5", "batch_normalization_4"),
                names.subList(names.indexOf("conv2d_4"), names.indexOf("conv2d_4") + 3));
        int add1 = names.indexOf("add_1");
        assertEquals(List.of(names.indexOf("conv2d_5"), names.indexOf("batch_normalization_4")),
                model.inputs().get(add1));
        assertEquals(List.of(names.indexOf("activation_2")), model.inputs().get(names.indexOf("conv2d_5")));
        assertArrayEquals(new int[] {16, 16, 32}, model.outputShapes().get(add1));
        float[] expected = TestFiles.f32(RESNET8.resolveSibling("weights.f32"));
        assertArrayEquals(expected, model.parameters(), "the parameter vector is get_weights()");
    }

    @Test
    void aRewiredShortcutIsAConnectionError() throws IOException {
        ImportedModel model = KerasReader.read(RESNET8);
        List<List<Integer>> declaredInputs = model.inputs();
        ImportedModel variant = KerasReader.read(RealFileVariants.keras(RESNET8,
                RealFileVariants.rewire("add", "activation", "activation_1")), "variant.h5");
        ModelMatcher.Result result = ModelMatcher.match("ResNet8", declaredLike(model), declaredInputs, variant,
                "variant.h5");
        assertEquals(1, result.mismatches().size(), messages(result));
        assertEquals("from", result.mismatches().get(0).attribute());
        assertEquals("add: takes activation, batch_normalization_2, but the file's add takes activation_1,"
                + " batch_normalization_2", result.mismatches().get(0).message());
        // the unedited file matches itself
        assertTrue(ModelMatcher.match("ResNet8", declaredLike(model), declaredInputs, model, "f").ok());
    }
}
