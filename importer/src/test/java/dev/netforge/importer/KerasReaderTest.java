package dev.netforge.importer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The three real Keras files against the architecture (arch.json) and weights (weights.f32) read beside them. */
class KerasReaderTest {

    static Stream<Arguments> files() {
        return TestFiles.KERAS.stream().map(f -> Arguments.of(f[0], f[1]));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("files")
    void weightsEqualKerasGetWeightsExactly(String folder, String file) throws Exception {
        ImportedModel model = KerasReader.read(TestFiles.keras(folder, file));
        float[] expected = TestFiles.f32(TestFiles.keras(folder, "weights.f32"));
        float[] actual = model.parameters();
        assertNull(TestFiles.firstDifference(expected, actual), "parameters differ from weights.f32");
        assertEquals(expected.length, model.parameterCount());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("files")
    void architectureMatchesArchJson(String folder, String file) throws Exception {
        ImportedModel model = KerasReader.read(TestFiles.keras(folder, file));
        Map<String, Object> arch = TestFiles.json(TestFiles.keras(folder, "arch.json"));

        assertEquals(arch.get("format").equals("keras-zip") ? "keras-zip" : "keras-h5", model.format());
        assertEquals("Keras " + arch.get("keras_version"), model.producer());
        assertArrayEquals(ints(arch.get("input_shape")), model.inputShape());
        assertEquals(((Number) arch.get("total_params")).longValue(), model.parameterCount());

        List<?> layers = (List<?>) arch.get("layers");
        assertEquals(layers.size(), model.layers().size(), "layer count");
        List<int[]> shapes = model.outputShapes();
        for (int i = 0; i < layers.size(); i++) {
            Map<?, ?> a = (Map<?, ?>) layers.get(i);
            ImportedLayer l = model.layers().get(i);
            String where = folder + " layer " + i + " " + a.get("name");
            assertEquals(a.get("name"), l.name(), where);
            assertEquals(kind((String) a.get("type")), l.kind(), where);
            assertArrayEquals(ints(a.get("output_shape")), shapes.get(i), where + " output shape");
            assertEquals(((Number) a.get("params")).longValue(), l.parameterCount(), where + " params");
            switch (l.kind()) {
                case "Conv2D" -> {
                    assertEquals(((Number) a.get("filters")).intValue(), l.integer("filters"), where);
                    assertArrayEquals(ints(a.get("kernel_size")), l.ints("kernel"), where);
                    assertArrayEquals(ints(a.get("strides")), l.ints("strides"), where);
                    assertArrayEquals(ints(a.get("dilation_rate")), l.ints("dilation"), where);
                    assertEquals(a.get("padding"), l.string("padding"), where);
                    assertEquals(a.get("activation"), l.string("activation"), where);
                    assertEquals(a.get("use_bias"), l.bool("useBias"), where);
                }
                case "Dense" -> {
                    assertEquals(((Number) a.get("units")).intValue(), l.integer("units"), where);
                    assertEquals(a.get("activation"), l.string("activation"), where);
                    assertEquals(a.get("use_bias"), l.bool("useBias"), where);
                }
                case "MaxPool" -> {
                    assertArrayEquals(ints(a.get("pool_size")), l.ints("pool"), where);
                    assertArrayEquals(ints(a.get("strides")), l.ints("strides"), where);
                    assertEquals(a.get("padding"), l.string("padding"), where);
                }
                case "Dropout" -> assertEquals(((Number) a.get("rate")).doubleValue(), l.real("rate"), where);
                case "BatchNormalization" -> {
                    assertEquals(((Number) a.get("epsilon")).doubleValue(), l.real("epsilon"), where);
                    assertEquals(a.get("center"), l.bool("center"), where);
                    assertEquals(a.get("scale"), l.bool("scale"), where);
                }
                case "Flatten" -> assertEquals(Map.of(), l.attributes(), where);
                default -> throw new AssertionError("unexpected kind " + l.kind());
            }
            List<?> weights = (List<?>) a.get("weights");
            assertEquals(weights.size(), l.weights().size(), where + " weights");
            for (int w = 0; w < weights.size(); w++) {
                Map<?, ?> aw = (Map<?, ?>) weights.get(w);
                assertEquals(aw.get("name"), l.weights().get(w).name(), where);
                assertArrayEquals(ints(aw.get("shape")), l.weights().get(w).shape(), where + " " + aw.get("name"));
            }
        }
    }

    @Test
    void bothReadersAgreeOnTheInputShapeSources() throws Exception {
        // Keras 2.6: InputLayer batch_input_shape; Keras 3.1: InputLayer batch_shape; Keras 2.15: both
        for (String[] f : TestFiles.KERAS) {
            int[] in = KerasReader.read(TestFiles.keras(f[0], f[1])).inputShape();
            assertEquals(3, in.length, f[0]);
        }
    }

    @Test
    void importerRecognisesKerasFilesByContent() throws Exception {
        for (String[] f : TestFiles.KERAS) {
            Path p = TestFiles.keras(f[0], f[1]);
            assertEquals(KerasReader.read(p), Importer.read(p), f[0]);
            // the name does not matter: the same bytes under another name
            assertEquals(KerasReader.read(p), KerasReader.read(TestFiles.bytes(p), "renamed.bin"));
        }
    }

    @Test
    void wrongFormatsAreNamedInTheMessage() throws Exception {
        WeightFormatException e = assertThrows(WeightFormatException.class,
                () -> KerasReader.read(TestFiles.keras("kilj4eden_mnist", "arch.json")));
        assertTrue(e.getMessage().startsWith("arch.json: not a Keras file"), e.getMessage());
        assertEquals("arch.json", e.file());

        e = assertThrows(WeightFormatException.class, () -> KerasReader.read(TestFiles.path(TestFiles.ONNX)));
        assertTrue(e.getMessage().startsWith("fashion_mnist.onnx: not a Keras file"), e.getMessage());

        e = assertThrows(WeightFormatException.class, () -> KerasReader.read(new byte[0], "empty.h5"));
        assertEquals("empty.h5: empty file", e.getMessage());
    }

    @Test
    void snakeCaseFollowsKeras() {
        assertEquals("conv2d", KerasReader.snakeCase("Conv2D"));
        assertEquals("max_pooling2d", KerasReader.snakeCase("MaxPooling2D"));
        assertEquals("batch_normalization", KerasReader.snakeCase("BatchNormalization"));
        assertEquals("depthwise_conv2d", KerasReader.snakeCase("DepthwiseConv2D"));
        assertEquals("global_average_pooling2d", KerasReader.snakeCase("GlobalAveragePooling2D"));
        assertEquals("zero_padding2d", KerasReader.snakeCase("ZeroPadding2D"));
        assertEquals("dense", KerasReader.snakeCase("Dense"));
        assertEquals("re_lu", KerasReader.snakeCase("ReLU"));
    }

    static String kind(String kerasType) {
        return switch (kerasType) {
            case "MaxPooling2D" -> "MaxPool";
            case "AveragePooling2D" -> "AvgPool";
            default -> kerasType;
        };
    }

    static int[] ints(Object list) {
        return ((List<?>) list).stream().mapToInt(v -> ((Number) v).intValue()).toArray();
    }
}
