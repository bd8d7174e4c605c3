package dev.netforge.importer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netforge.importer.SyntheticKeras.W;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Files written here with jHDF, shaped as the Keras versions the three real files do not cover:
 * the Keras 3.1 and 3.5 legacy HDF5 paths, and a Keras 3 zip whose layer names differ from the
 * class-derived names its weights are stored under.
 */
class KerasSyntheticTest {

    /** Conv2D 'features' 3x3x3->4 same relu, BN 'bn', DepthwiseConv2D 'dw' x2, MaxPool, Conv2D 'conv2d', GAP, Dense 'dense_7', Dense 'dense'. */
    static String layersJson(boolean keras3) {
        String input = keras3
                ? "{\"class_name\": \"InputLayer\", \"config\": {\"batch_shape\": [null, 8, 8, 3], \"name\": \"input_layer\"}}"
                : "{\"class_name\": \"InputLayer\", \"config\": {\"batch_input_shape\": [null, 8, 8, 3], \"name\": \"input_1\"}}";
        String axis = keras3 ? "-1" : "[3]";
        return "[" + input + ","
                + "{\"class_name\": \"Conv2D\", \"config\": {\"name\": \"features\", \"filters\": 4, \"kernel_size\": [3, 3],"
                + " \"strides\": [1, 1], \"padding\": \"same\", \"data_format\": \"channels_last\", \"dilation_rate\": [1, 1],"
                + " \"groups\": 1, \"activation\": \"relu\", \"use_bias\": true}},"
                + "{\"class_name\": \"BatchNormalization\", \"config\": {\"name\": \"bn\", \"axis\": " + axis + ","
                + " \"momentum\": 0.99, \"epsilon\": 1e-05, \"center\": true, \"scale\": true}},"
                + "{\"class_name\": \"DepthwiseConv2D\", \"config\": {\"name\": \"dw\", \"kernel_size\": [3, 3], \"strides\": [2, 2],"
                + " \"padding\": \"valid\", \"depth_multiplier\": 2, \"activation\": \"linear\", \"use_bias\": true,"
                + " \"dilation_rate\": [1, 1]}},"
                + "{\"class_name\": \"MaxPooling2D\", \"config\": {\"name\": \"pool\", \"pool_size\": [2, 1], \"strides\": null,"
                + " \"padding\": \"same\"}},"
                + "{\"class_name\": \"Conv2D\", \"config\": {\"name\": \"conv2d\", \"filters\": 5, \"kernel_size\": 1,"
                + " \"padding\": \"valid\", \"activation\": \"linear\", \"use_bias\": false}},"
                + "{\"class_name\": \"GlobalAveragePooling2D\", \"config\": {\"name\": \"gap\"}},"
                + "{\"class_name\": \"Dropout\", \"config\": {\"name\": \"drop\", \"rate\": 0.25}},"
                + "{\"class_name\": \"Dense\", \"config\": {\"name\": \"dense_7\", \"units\": 6, \"activation\": \"tanh\","
                + " \"use_bias\": true}},"
                + "{\"class_name\": \"Activation\", \"config\": {\"name\": \"act\", \"activation\": \"sigmoid\"}},"
                + "{\"class_name\": \"Dense\", \"config\": {\"name\": \"dense\", \"units\": 2, \"activation\": \"softmax\","
                + " \"use_bias\": true}}]";
    }

    static String sequential(boolean keras3) {
        return "{\"class_name\": \"Sequential\", \"config\": {\"name\": \"sequential\", \"layers\": " + layersJson(keras3) + "}}";
    }

    /** The weights in Keras order, keyed by layer name. */
    static Map<String, List<W>> weights() {
        Map<String, List<W>> m = new LinkedHashMap<>();
        m.put("features", List.of(SyntheticKeras.w("kernel", 1, 3, 3, 3, 4), SyntheticKeras.w("bias", 2, 4)));
        m.put("bn", List.of(SyntheticKeras.w("gamma", 3, 4), SyntheticKeras.w("beta", 4, 4),
                SyntheticKeras.w("moving_mean", 5, 4), SyntheticKeras.w("moving_variance", 6, 4)));
        m.put("dw", List.of(SyntheticKeras.w("depthwise_kernel", 7, 3, 3, 4, 2), SyntheticKeras.w("bias", 8, 8)));
        m.put("conv2d", List.of(SyntheticKeras.w("kernel", 9, 1, 1, 8, 5)));
        m.put("dense_7", List.of(SyntheticKeras.w("kernel", 10, 5, 6), SyntheticKeras.w("bias", 11, 6)));
        m.put("dense", List.of(SyntheticKeras.w("kernel", 12, 6, 2), SyntheticKeras.w("bias", 13, 2)));
        return m;
    }

    static float[] expectedParameters() {
        List<Float> all = new ArrayList<>();
        for (List<W> ws : weights().values()) {
            for (W w : ws) {
                for (float f : w.data()) {
                    all.add(f);
                }
            }
        }
        float[] out = new float[all.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = all.get(i);
        }
        return out;
    }

    static void checkModel(ImportedModel m) {
        assertArrayEquals(new int[] {8, 8, 3}, m.inputShape());
        List<String> kinds = m.layers().stream().map(l -> l.kind() + ":" + l.name()).toList();
        assertEquals(List.of("Conv2D:features", "BatchNormalization:bn", "DepthwiseConv2D:dw", "MaxPool:pool",
                "Conv2D:conv2d", "GlobalAvgPool:gap", "Dropout:drop", "Dense:dense_7", "Activation:act", "Dense:dense"), kinds);
        ImportedLayer dw = m.layers().get(2);
        assertEquals(2, dw.integer("depthMultiplier"));
        assertArrayEquals(new int[] {2, 2}, dw.ints("strides"));
        ImportedLayer pool = m.layers().get(3);
        assertArrayEquals(new int[] {2, 1}, pool.ints("pool"));
        assertArrayEquals(new int[] {2, 1}, pool.ints("strides"), "strides default to the pool size");
        assertEquals("same", pool.string("padding"));
        assertArrayEquals(new int[] {1, 1}, m.layers().get(4).ints("kernel"), "an int kernel_size means both axes");
        assertEquals(false, m.layers().get(4).bool("useBias"));
        assertEquals(1e-5, m.layers().get(1).real("epsilon"));
        assertEquals(0.25, m.layers().get(6).real("rate"));
        assertEquals("sigmoid", m.layers().get(8).string("activation"));
        List<int[]> shapes = m.outputShapes();
        assertArrayEquals(new int[] {8, 8, 4}, shapes.get(0));
        assertArrayEquals(new int[] {3, 3, 8}, shapes.get(2));
        assertArrayEquals(new int[] {2, 3, 8}, shapes.get(3));
        assertArrayEquals(new int[] {2, 3, 5}, shapes.get(4));
        assertArrayEquals(new int[] {5}, shapes.get(5));
        assertArrayEquals(new int[] {2}, shapes.get(9));
        assertEquals(null, TestFiles.firstDifference(expectedParameters(), m.parameters()));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"keras2", "keras3.1", "keras3.5"})
    void legacyH5WeightPathsOfEachKerasVersion(String style) throws Exception {
        byte[] file = SyntheticKeras.legacyH5(sequential(!style.equals("keras2")), style.equals("keras2") ? "2.12.0"
                : style.equals("keras3.1") ? "3.1.0" : "3.5.0", weights(), (layer, w) -> switch (style) {
                    case "keras2" -> layer + "/" + w + ":0";
                    case "keras3.1" -> w;
                    default -> "sequential/" + layer + "/" + w;
                });
        ImportedModel m = KerasReader.read(file, style + ".h5");
        checkModel(m);
        assertEquals("keras-h5", m.format());
    }

    @ParameterizedTest(name = "deflate={0}")
    @ValueSource(booleans = {false, true})
    void kerasZipMapsLayersByClassCounterNotByName(boolean deflate) throws Exception {
        // Keras 3 stores each layer under its class name in snake case plus a per-class counter:
        // 'features' -> conv2d, 'conv2d' -> conv2d_1, 'dense_7' -> dense, 'dense' -> dense_1.
        Map<String, List<W>> byName = weights();
        Map<String, List<W>> stored = new LinkedHashMap<>();
        stored.put("batch_normalization", byName.get("bn"));
        stored.put("conv2d", byName.get("features"));
        stored.put("conv2d_1", byName.get("conv2d"));
        stored.put("dense", byName.get("dense_7"));
        stored.put("dense_1", byName.get("dense"));
        stored.put("depthwise_conv2d", byName.get("dw"));
        byte[] zip = SyntheticKeras.kerasZip(sequential(true), "3.3.3", SyntheticKeras.weightsH5("layers", stored), deflate);
        ImportedModel m = KerasReader.read(zip, "synthetic.keras");
        checkModel(m);
        assertEquals("keras-zip", m.format());
        assertEquals("Keras 3.3.3", m.producer());
    }

    @Test
    void tfKerasV3ZipUsesLayerNames() throws Exception {
        // tf.keras 2.13-2.15 wrote .keras zips with _layer_checkpoint_dependencies/<layer name>/vars
        byte[] zip = SyntheticKeras.kerasZip(sequential(false), "2.13.1",
                SyntheticKeras.weightsH5("_layer_checkpoint_dependencies", weights()), false);
        checkModel(KerasReader.read(zip, "tfkeras.keras"));
    }

    @Test
    void weightsThatDoNotFitTheConfigurationAreRejected() {
        Map<String, List<W>> w = weights();
        w.put("dense", List.of(SyntheticKeras.w("kernel", 12, 7, 2), SyntheticKeras.w("bias", 13, 2)));
        byte[] file = SyntheticKeras.legacyH5(sequential(false), "2.12.0", w, (l, n) -> l + "/" + n + ":0");
        WeightFormatException e = assertThrows(WeightFormatException.class, () -> KerasReader.read(file, "bad.h5"));
        assertEquals("bad.h5: layer 'dense' (Dense): kernel has shape (7, 2) but the configuration implies (6, 2)"
                + " (dataset /model_weights/dense/dense/kernel:0)", e.getMessage());
    }

    @Test
    void batchNormalizationWeightsOutOfOrderAreRejected() {
        Map<String, List<W>> w = weights();
        List<W> bn = new ArrayList<>(w.get("bn"));
        W gamma = bn.remove(0);
        bn.add(1, gamma); // beta, gamma, ...: the alphabetical order a naive reader would use
        w.put("bn", bn);
        byte[] file = SyntheticKeras.legacyH5(sequential(false), "2.12.0", w, (l, n) -> l + "/" + n + ":0");
        WeightFormatException e = assertThrows(WeightFormatException.class, () -> KerasReader.read(file, "bn.h5"));
        assertTrue(e.getMessage().contains("weight 1 is 'bn/beta:0' where Keras puts 'gamma'"), e.getMessage());
    }

    @Test
    void missingAndExtraWeightsAreRejected() {
        Map<String, List<W>> missing = weights();
        missing.remove("dw");
        byte[] f1 = SyntheticKeras.legacyH5(sequential(false), "2.12.0", missing, (l, n) -> l + "/" + n + ":0");
        WeightFormatException e = assertThrows(WeightFormatException.class, () -> KerasReader.read(f1, "m.h5"));
        assertTrue(e.getMessage().contains("layer 'dw' (DepthwiseConv2D): no weights stored"), e.getMessage());

        Map<String, List<W>> extra = weights();
        extra.put("ghost", List.of(SyntheticKeras.w("kernel", 1, 2, 2)));
        byte[] f2 = SyntheticKeras.legacyH5(sequential(false), "2.12.0", extra, (l, n) -> l + "/" + n + ":0");
        e = assertThrows(WeightFormatException.class, () -> KerasReader.read(f2, "x.h5"));
        assertTrue(e.getMessage().contains("weights are stored for layer 'ghost'"), e.getMessage());

        Map<String, List<W>> stored = new LinkedHashMap<>(weights());
        byte[] zip = SyntheticKeras.kerasZip(sequential(true), "3.3.3", SyntheticKeras.weightsH5("layers", stored), false);
        // here the groups are named after the layers, so 'features' is not where Keras 3 looks (conv2d)
        e = assertThrows(WeightFormatException.class, () -> KerasReader.read(zip, "z.keras"));
        assertTrue(e.getMessage().startsWith("z.keras: layer 'features' (Conv2D)"), e.getMessage());
    }

    @Test
    void functionalModelsAreReadAndALayerThatReachesNoOutputIsRejected() throws Exception {
        String layers = layersJson(false);
        // Keras 2 functional: every layer names its inbound layer
        List<String> names = List.of("input_1", "features", "bn", "dw", "pool", "conv2d", "gap", "drop", "dense_7", "act", "dense");
        StringBuilder sb = new StringBuilder("[");
        String[] parts = layers.substring(1, layers.length() - 1).split("(?<=}}),");
        assertEquals(names.size(), parts.length);
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i].substring(0, parts[i].length() - 1);
            String inbound = i == 0 ? "[]" : "[[[\"" + names.get(i - 1) + "\", 0, 0, {}]]]";
            sb.append(i == 0 ? "" : ",").append(p).append(", \"name\": \"").append(names.get(i))
                    .append("\", \"inbound_nodes\": ").append(inbound).append("}");
        }
        sb.append("]");
        String functional = "{\"class_name\": \"Functional\", \"config\": {\"name\": \"model\", \"layers\": " + sb
                + ", \"input_layers\": [[\"input_1\", 0, 0]], \"output_layers\": [[\"dense\", 0, 0]]}}";
        byte[] file = SyntheticKeras.legacyH5(functional, "2.12.0", weights(), (l, n) -> l + "/" + n + ":0");
        checkModel(KerasReader.read(file, "functional.h5"));

        // "dense" reads dense_7 directly: "act" then reaches no output
        String dangling = functional.replace("[[[\"act\", 0, 0, {}]]]", "[[[\"dense_7\", 0, 0, {}]]]");
        byte[] file2 = SyntheticKeras.legacyH5(dangling, "2.12.0", weights(), (l, n) -> l + "/" + n + ":0");
        WeightFormatException e = assertThrows(WeightFormatException.class, () -> KerasReader.read(file2, "dangling.h5"));
        assertTrue(e.getMessage().contains("layer 'act' reaches no output of the model"), e.getMessage());
    }

    @Test
    void unknownLayersPassThroughAndUnsupportedSettingsAreErrors() throws Exception {
        String withLeaky = sequential(false).replace(
                "{\"class_name\": \"Activation\", \"config\": {\"name\": \"act\", \"activation\": \"sigmoid\"}}",
                "{\"class_name\": \"Permute\", \"config\": {\"name\": \"act\", \"dims\": [1]}}");
        byte[] file = SyntheticKeras.legacyH5(withLeaky, "2.12.0", weights(), (l, n) -> l + "/" + n + ":0");
        ImportedModel m = KerasReader.read(file, "leaky.h5");
        assertEquals("Permute", m.layers().get(8).kind());
        assertEquals(null, m.outputShapes().get(8), "unknown after an unknown layer");

        String channelsFirst = sequential(false).replace("\"data_format\": \"channels_last\"", "\"data_format\": \"channels_first\"");
        byte[] f2 = SyntheticKeras.legacyH5(channelsFirst, "2.12.0", weights(), (l, n) -> l + "/" + n + ":0");
        WeightFormatException e = assertThrows(WeightFormatException.class, () -> KerasReader.read(f2, "cf.h5"));
        assertEquals("cf.h5: layer 'features' (Conv2D): data_format channels_first is not supported (NetForge is channels_last)",
                e.getMessage());
    }

    @Test
    void weightsOnlyAndNonKerasHdf5FilesAreExplained() {
        byte[] weightsOnly = SyntheticKeras.weightsH5("layers", weights());
        WeightFormatException e = assertThrows(WeightFormatException.class, () -> KerasReader.read(weightsOnly, "w.h5"));
        assertEquals("w.h5: an HDF5 file without the 'model_config' attribute: not a Keras model file", e.getMessage());
    }
}
