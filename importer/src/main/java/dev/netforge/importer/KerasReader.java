package dev.netforge.importer;

import dev.netforge.importer.json.Json;
import dev.netforge.importer.json.JsonException;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads Keras models: legacy HDF5 files ({@code model.save("x.h5")}, Keras 1.x–3.x) and Keras v3
 * zip files ({@code .keras}, written by Keras 3 and by tf.keras 2.13–2.15).
 *
 * <p>The architecture comes from the file's JSON configuration (root attribute
 * {@code model_config}, or {@code config.json} in the zip); weights are found by following the
 * file's own structure: in HDF5, each layer group's {@code weight_names} attribute (whatever the
 * paths below it look like in a given Keras version); in a zip, {@code layers/<name>/vars/<i>}
 * where {@code <name>} is the snake-case class name plus a per-class counter in configuration
 * order (Keras 3's own rule), falling back to the layer's name, or
 * {@code _layer_checkpoint_dependencies/<layer name>/vars/<i>} (tf.keras 2.13–2.15).
 * Every weight's shape is checked against the shape the configuration implies before its data is
 * read, so a file whose weights do not fit its architecture is rejected instead of mis-assigned.
 * Optimizer state and training configuration are ignored.
 *
 * <p>Sequential models and functional models with one input and one output are supported; a
 * functional model may branch and merge (Add, Subtract, Multiply, Average, Maximum, Minimum,
 * Concatenate on the channels), and its layers keep Keras's {@code model.layers} order, which is
 * the order of {@code get_weights()}.
 */
public final class KerasReader {
    /** Weight names Keras uses for the kinds it knows; used to check the order of stored weights. */
    private static final Set<String> KNOWN_WEIGHT_NAMES = Set.of("kernel", "bias", "depthwise_kernel",
            "pointwise_kernel", "gamma", "beta", "moving_mean", "moving_variance");
    /** The most bytes config.json or metadata.json may inflate to: Keras writes a few kilobytes. */
    private static final long JSON_LIMIT = 64L << 20;

    private final String fileName;

    private KerasReader(String fileName) {
        this.fileName = fileName;
    }

    /** Reads a {@code .h5} or {@code .keras} file (the format is recognised by content, not by name). */
    public static ImportedModel read(Path file) throws IOException {
        return read(Files2.readAll(file), String.valueOf(file.getFileName()));
    }

    /** Reads a Keras model from the bytes of a file; {@code fileName} names it in error messages. */
    public static ImportedModel read(byte[] bytes, String fileName) throws WeightFormatException {
        KerasReader r = new KerasReader(fileName);
        if (Hdf5.signatureOffset(bytes) >= 0) {
            return r.readH5(bytes);
        }
        if (ZipArchive.looksLikeZip(bytes)) {
            return r.readZip(bytes);
        }
        throw new WeightFormatException(fileName, bytes.length == 0 ? "empty file"
                : "not a Keras file: neither HDF5 (.h5) nor a zip archive (.keras); it starts with "
                        + Files2.hexStart(bytes));
    }

    // ---------------------------------------------------------------- legacy HDF5

    private ImportedModel readH5(byte[] bytes) throws WeightFormatException {
        try (Hdf5 h5 = Hdf5.open(bytes, fileName)) {
            String configText = h5.rootStringAttribute("model_config");
            if (configText == null) {
                boolean weightsOnly = h5.stringListAttribute(h5.root(), "layer_names") != null;
                throw fail(weightsOnly
                        ? "a weights-only HDF5 file (save_weights): it has no 'model_config' architecture to import"
                        : "an HDF5 file without the 'model_config' attribute: not a Keras model file");
            }
            String version = h5.rootStringAttribute("keras_version");
            if ((version == null || version.isBlank()) && h5.hasRootAttribute("keras_version")) {
                // Keras always writes its version; an empty one is a damaged attribute
                throw fail("the keras_version attribute is present but empty: the file is corrupt");
            }
            Map<String, Object> config = asObject(parseJson(configText, "model_config attribute"), "model_config");
            Node mw = h5.child(h5.root(), "model_weights");
            Group weightsRoot = mw instanceof Group g ? g : h5.root();
            LegacyWeights source = new LegacyWeights(h5, weightsRoot);
            ImportedModel model = build(config, "keras-h5", producer(version), source);
            source.checkAllUsed();
            return model;
        }
    }

    private final class LegacyWeights implements WeightSource {
        private final Hdf5 h5;
        private final Group root;
        private final Set<String> used = new HashSet<>();

        LegacyWeights(Hdf5 h5, Group root) {
            this.h5 = h5;
            this.root = root;
        }

        @Override
        public List<Tensor> weights(String layerName, String className, int index, List<Shapes.Expected> expected)
                throws WeightFormatException {
            Node node = h5.child(root, layerName);
            String context = context(layerName, className);
            if (!(node instanceof Group group)) {
                if (expected != null && !expected.isEmpty()) {
                    throw fail(context + ": no weights stored (no group " + Hdf5.path(root) + "/" + layerName
                            + "), expected " + names(expected));
                }
                return List.of();
            }
            used.add(layerName);
            List<String> names = h5.stringListAttribute(group, "weight_names");
            if (names == null) {
                throw fail(context + ": group " + Hdf5.path(group) + " has no 'weight_names' attribute");
            }
            if (expected != null && names.size() != expected.size()) {
                throw fail(context + ": " + names.size() + " weights stored " + names + " but the configuration"
                        + " implies " + expected.size() + " " + names(expected));
            }
            List<Tensor> out = new ArrayList<>();
            for (int i = 0; i < names.size(); i++) {
                String stored = names.get(i);
                String shortName = shortName(stored);
                String name = expected == null ? shortName : expected.get(i).name();
                if (expected != null && KNOWN_WEIGHT_NAMES.contains(shortName) && !shortName.equals(name)) {
                    throw fail(context + ": weight " + (i + 1) + " is '" + stored + "' where Keras puts '" + name + "'");
                }
                Node w = h5.child(group, stored);
                if (w == null) {
                    throw fail(context + ": weight '" + stored + "' listed in weight_names of " + Hdf5.path(group)
                            + " is missing");
                }
                out.add(h5.readFloats(w, name, expected == null ? null : expected.get(i).shape(), context));
            }
            return out;
        }

        void checkAllUsed() throws WeightFormatException {
            List<String> groups = h5.stringListAttribute(root, "layer_names");
            if (groups == null) {
                groups = h5.childNames(root);
            }
            for (String g : groups) {
                if (used.contains(g)) {
                    continue;
                }
                Node n = h5.child(root, g);
                if (n instanceof Group grp) {
                    List<String> names = h5.stringListAttribute(grp, "weight_names");
                    if (names != null && !names.isEmpty()) {
                        throw fail("weights are stored for layer '" + g + "' " + names
                                + ", which is not in the model configuration");
                    }
                }
            }
        }
    }

    private static String shortName(String stored) {
        String s = stored;
        int slash = s.lastIndexOf('/');
        if (slash >= 0) {
            s = s.substring(slash + 1);
        }
        return s.replaceFirst(":\\d+$", "");
    }

    // ---------------------------------------------------------------- Keras v3 zip

    private ImportedModel readZip(byte[] bytes) throws WeightFormatException {
        ZipArchive zip = ZipArchive.open(bytes, fileName);
        byte[] configBytes = zip.read("config.json", JSON_LIMIT);
        if (configBytes == null) {
            throw fail("a zip archive without config.json: not a Keras .keras file (entries: "
                    + String.join(", ", zip.names()) + ")");
        }
        Map<String, Object> config = asObject(parseJson(utf8(configBytes, "config.json"), "config.json"), "config.json");
        String version = null;
        byte[] meta = zip.read("metadata.json", JSON_LIMIT);
        if (meta != null) {
            Object m = parseJson(utf8(meta, "metadata.json"), "metadata.json");
            if (m instanceof Map<?, ?> mm && mm.get("keras_version") instanceof String v) {
                version = v;
            }
        }
        byte[] weights = zip.read("model.weights.h5", Files2.sizeLimit());
        if (weights == null) {
            throw fail("the .keras archive has no model.weights.h5 (entries: " + String.join(", ", zip.names()) + ")");
        }
        try (Hdf5 h5 = Hdf5.open(weights, fileName + "!model.weights.h5")) {
            Node layers = h5.child(h5.root(), "layers");
            boolean byClass = true;
            if (!(layers instanceof Group)) {
                layers = h5.child(h5.root(), "_layer_checkpoint_dependencies");
                byClass = false;
            }
            if (!(layers instanceof Group lg)) {
                throw fail("model.weights.h5 has neither a 'layers' nor a '_layer_checkpoint_dependencies' group");
            }
            ZipWeights source = new ZipWeights(h5, lg, byClass);
            ImportedModel model = build(config, "keras-zip", producer(version), source);
            source.checkAllUsed();
            return model;
        }
    }

    private final class ZipWeights implements WeightSource {
        private final Hdf5 h5;
        private final Group root;
        private final boolean byClass;
        private final Map<String, Integer> counters = new HashMap<>();
        private final Set<String> used = new HashSet<>();

        ZipWeights(Hdf5 h5, Group root, boolean byClass) {
            this.h5 = h5;
            this.root = root;
            this.byClass = byClass;
        }

        @Override
        public List<Tensor> weights(String layerName, String className, int index, List<Shapes.Expected> expected)
                throws WeightFormatException {
            String context = context(layerName, className);
            // Keras 3 names each layer of a container by its class in snake case, plus _1, _2, ... for repeats.
            String snake = snakeCase(className);
            int seen = counters.merge(snake, 1, Integer::sum) - 1;
            String derived = seen == 0 ? snake : snake + "_" + seen;
            List<String> candidates = new ArrayList<>();
            if (byClass) {
                candidates.add(derived);
            }
            if (!candidates.contains(layerName)) {
                candidates.add(layerName);
            }
            Group group = null;
            for (String c : candidates) {
                if (!used.contains(c) && h5.child(root, c) instanceof Group g) {
                    group = g;
                    used.add(c);
                    break;
                }
            }
            Group vars = group == null ? null : (h5.child(group, "vars") instanceof Group v ? v : null);
            List<String> names = vars == null ? List.of() : h5.childNames(vars);
            if (expected != null && names.size() != expected.size()) {
                throw fail(context + ": " + names.size() + " weights stored"
                        + (group == null ? " (no group " + String.join(" or ", candidates) + " under "
                        + Hdf5.path(root) + ")" : " under " + Hdf5.path(group))
                        + " but the configuration implies " + expected.size() + " " + names(expected));
            }
            List<Tensor> out = new ArrayList<>();
            for (int i = 0; i < names.size(); i++) {
                Node w = h5.child(vars, Integer.toString(i));
                if (w == null) {
                    throw fail(context + ": " + Hdf5.path(vars) + " has members " + names + ", not 0.." + (names.size() - 1));
                }
                String name = expected == null ? "var" + i : expected.get(i).name();
                out.add(h5.readFloats(w, name, expected == null ? null : expected.get(i).shape(), context));
            }
            return out;
        }

        void checkAllUsed() throws WeightFormatException {
            for (String c : h5.childNames(root)) {
                if (used.contains(c)) {
                    continue;
                }
                if (h5.child(root, c) instanceof Group g && h5.child(g, "vars") instanceof Group v
                        && !h5.childNames(v).isEmpty()) {
                    throw fail("weights are stored under " + Hdf5.path(g) + " but no layer of the configuration maps to it");
                }
            }
        }
    }

    /** Keras's {@code naming.to_snake_case}: MaxPooling2D → max_pooling2d, BatchNormalization → batch_normalization. */
    static String snakeCase(String className) {
        String s = className.replaceAll("\\W+", "");
        s = s.replaceAll("(.)([A-Z][a-z]+)", "$1_$2");
        s = s.replaceAll("([a-z])([A-Z])", "$1_$2");
        return s.toLowerCase(Locale.ROOT);
    }

    // ---------------------------------------------------------------- configuration → layers

    /** Where a layer's stored weights come from. */
    private interface WeightSource {
        /**
         * The stored weights of a layer, checked against {@code expected} (null for a kind the
         * importer does not know: then taken as stored).
         */
        List<Tensor> weights(String layerName, String className, int index, List<Shapes.Expected> expected)
                throws WeightFormatException;
    }

    private ImportedModel build(Map<String, Object> root, String format, String producer, WeightSource source)
            throws WeightFormatException {
        String modelClass = str(root, "class_name", "model configuration");
        Object cfg = root.get("config");
        List<Object> layerList;
        Map<String, Object> modelConfig = Map.of();
        if (cfg instanceof List<?> l) { // Keras 2.0–2.1 Sequential: "config" is the layer list itself
            layerList = cast(l);
        } else if (cfg instanceof Map<?, ?> m) {
            modelConfig = cast(m);
            if (!(modelConfig.get("layers") instanceof List<?> l)) {
                throw fail("the model configuration has no 'layers' list");
            }
            layerList = cast(l);
        } else {
            throw fail("the model configuration has no 'config' object");
        }
        boolean functional;
        switch (modelClass) {
            case "Sequential":
                functional = false;
                break;
            case "Functional":
            case "Model":
                functional = true;
                break;
            default:
                throw fail("unsupported model class '" + modelClass + "' (Sequential or a functional model expected)");
        }
        List<Map<String, Object>> layers = new ArrayList<>();
        for (int i = 0; i < layerList.size(); i++) {
            layers.add(asObject(layerList.get(i), "layer " + i + " of the model configuration"));
        }
        if (functional) {
            layers = inlineNestedModels(layers);
        }
        List<List<String>> inbound = functional ? inbound(layers) : null;
        int[] inputShape = inputShape(layers, modelConfig, root);
        List<ImportedLayer> result = new ArrayList<>();
        List<List<Integer>> connections = new ArrayList<>();
        List<int[]> shapes = new ArrayList<>();
        Map<String, Integer> indexByName = new HashMap<>();
        int inputLayers = 0;
        int index = 0;
        for (int li = 0; li < layers.size(); li++) {
            Map<String, Object> layer = layers.get(li);
            String className = str(layer, "class_name", "layer " + index);
            Map<String, Object> c = asObject(layer.get("config"), "configuration of layer " + index + " (" + className + ")");
            if (className.equals("InputLayer")) {
                if (++inputLayers > 1) {
                    throw fail("a second input layer '" + c.get("name") + "': only models with one input can be imported");
                }
                if (c.get("name") instanceof String inputName) {
                    indexByName.put(inputName, ImportedModel.INPUT);
                }
                index++;
                continue;
            }
            String name = str(c, "name", "layer " + index + " (" + className + ")");
            List<Integer> producers = functional ? producers(name, className, inbound.get(li), indexByName)
                    : List.of(result.size() - 1);
            List<int[]> inShapes = new ArrayList<>();
            for (int p : producers) {
                inShapes.add(p == ImportedModel.INPUT ? inputShape : shapes.get(p));
            }
            int[] shape = inShapes.get(0);
            ImportedLayer bare = convert(className, name, c, shape);
            List<Shapes.Expected> expected;
            try {
                expected = Shapes.expectedWeights(bare, shape);
            } catch (IllegalArgumentException e) {
                throw fail(context(name, className) + ": " + e.getMessage());
            }
            List<Tensor> weights = source.weights(name, className, index, expected);
            if (bare.kind().equals("BatchNormalization") && shape == null) {
                for (Tensor t : weights) {
                    if (t.shape().length != 1 || t.size() != weights.get(0).size()) {
                        throw fail(context(name, className) + ": BatchNormalization weights of different sizes");
                    }
                }
            }
            ImportedLayer full = new ImportedLayer(bare.name(), bare.kind(), bare.attributes(), weights);
            int[] out;
            try {
                out = Shapes.output(full, inShapes);
            } catch (IllegalArgumentException e) {
                throw fail(context(name, className) + ": " + e.getMessage());
            }
            if (indexByName.putIfAbsent(name, result.size()) != null) {
                throw fail("two layers are named '" + name + "'");
            }
            result.add(full);
            connections.add(producers);
            shapes.add(out);
            index++;
        }
        if (functional) {
            checkOutputs(result, connections, modelConfig);
        }
        return new ImportedModel(format, producer, inputShape, result, connections);
    }

    /**
     * A Sequential nested in a functional model (a preprocessing block of Rescaling, say) is put in
     * its place: its first layer takes the block's inputs, each next one the layer before, and what
     * read the block reads its last layer. Only blocks without weights: a nested block's weights sit
     * under its own group in the file, which this reader does not follow.
     */
    private List<Map<String, Object>> inlineNestedModels(List<Map<String, Object>> layers) throws WeightFormatException {
        List<Map<String, Object>> out = new ArrayList<>();
        Map<String, String> renamed = new HashMap<>();
        for (int i = 0; i < layers.size(); i++) {
            Map<String, Object> layer = layers.get(i);
            String className = String.valueOf(layer.get("class_name"));
            if (!className.equals("Sequential")) {
                out.add(layer);
                continue;
            }
            Map<String, Object> c = asObject(layer.get("config"), "configuration of layer " + i);
            String name = layer.get("name") instanceof String n ? n : str(c, "name", "layer " + i);
            if (!(c.get("layers") instanceof List<?> inner)) {
                throw fail("nested Sequential '" + name + "' has no 'layers' list");
            }
            Object previous = layer.get("inbound_nodes");
            String last = null;
            for (int k = 0; k < inner.size(); k++) {
                Map<String, Object> innerLayer = new LinkedHashMap<>(asObject(inner.get(k), "layer " + k + " of '" + name + "'"));
                if ("InputLayer".equals(innerLayer.get("class_name"))) {
                    continue;
                }
                Map<String, Object> ic = asObject(innerLayer.get("config"), "layer " + k + " of '" + name + "'");
                String innerName = str(ic, "name", "layer " + k + " of '" + name + "'");
                innerLayer.put("name", innerName);
                innerLayer.put("inbound_nodes", last == null ? previous
                        : List.of(List.of(List.of(last, 0L, 0L, Map.of()))));
                out.add(innerLayer);
                last = innerName;
            }
            if (last == null) {
                throw fail("nested Sequential '" + name + "' has no layers");
            }
            renamed.put(name, last);
        }
        if (!renamed.isEmpty()) {
            for (int i = 0; i < out.size(); i++) {
                Map<String, Object> layer = new LinkedHashMap<>(out.get(i));
                layer.put("inbound_nodes", renamedInbound(layer.get("inbound_nodes"), renamed));
                out.set(i, layer);
            }
        }
        return out;
    }

    private static Object renamedInbound(Object v, Map<String, String> renamed) {
        if (v instanceof String s) {
            return renamed.getOrDefault(s, s);
        }
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, x) -> out.put(String.valueOf(k), renamedInbound(x, renamed)));
            return out;
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            l.forEach(x -> out.add(renamedInbound(x, renamed)));
            return out;
        }
        return v;
    }

    /**
     * Each configuration layer's inbound layer names (null for an input layer), from Keras 2's
     * nested {@code [name, node_index, tensor_index, kwargs]} lists or Keras 3's
     * {@code keras_history}. A layer called more than once (shared weights) cannot be imported.
     */
    private List<List<String>> inbound(List<Map<String, Object>> layers) throws WeightFormatException {
        List<List<String>> out = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            Map<String, Object> layer = layers.get(i);
            Map<String, Object> c = asObject(layer.get("config"), "configuration of layer " + i);
            String name = layer.get("name") instanceof String s ? s : str(c, "name", "layer " + i);
            Object nodes = layer.get("inbound_nodes");
            List<String> names = new ArrayList<>();
            if (nodes instanceof List<?> list) {
                if (list.size() > 1) {
                    throw fail("layer '" + name + "' is called " + list.size() + " times (shared weights): such models"
                            + " cannot be imported");
                }
                for (Object node : list) {
                    collectInbound(node, names);
                }
            }
            out.add("InputLayer".equals(layer.get("class_name")) ? null : names);
        }
        return out;
    }

    /** The indices of the layers {@code name} takes; merges take two or more, other layers one. */
    private List<Integer> producers(String name, String className, List<String> inbound, Map<String, Integer> indexByName)
            throws WeightFormatException {
        boolean merge = LayerKinds.MERGES.contains(className);
        if (inbound.isEmpty()) {
            throw fail("layer '" + name + "' (" + className + ") has no inputs");
        }
        if (!merge && inbound.size() != 1) {
            throw fail("layer '" + name + "' (" + className + ") takes " + inbound.size() + " inputs " + inbound
                    + "; only merging layers (Add, Concatenate, ...) take several");
        }
        if (merge && inbound.size() < 2) {
            throw fail("layer '" + name + "' (" + className + ") merges " + inbound.size() + " input " + inbound);
        }
        List<Integer> producers = new ArrayList<>();
        for (String in : inbound) {
            Integer p = indexByName.get(in);
            if (p == null) {
                throw fail("layer '" + name + "' takes '" + in + "', which is not an earlier layer of the model"
                        + " (layers must be listed after their inputs)");
            }
            producers.add(p);
        }
        return producers;
    }

    /** One output, the last layer; and every other layer reaches it. */
    private void checkOutputs(List<ImportedLayer> layers, List<List<Integer>> connections, Map<String, Object> modelConfig)
            throws WeightFormatException {
        if (layers.isEmpty()) {
            return;
        }
        String last = layers.get(layers.size() - 1).name();
        List<String> outputs = new ArrayList<>();
        collectStrings(modelConfig.get("output_layers"), outputs);
        if (!outputs.isEmpty() && (outputs.size() != 1 || !outputs.get(0).equals(last))) {
            throw fail("the model's outputs " + outputs + " are not just its last layer '" + last + "'");
        }
        java.util.Set<Integer> used = new HashSet<>();
        connections.forEach(used::addAll);
        for (int i = 0; i < layers.size() - 1; i++) {
            if (!used.contains(i)) {
                throw fail("layer '" + layers.get(i).name() + "' reaches no output of the model");
            }
        }
    }

    private static void collectInbound(Object node, List<String> out) {
        if (node instanceof Map<?, ?> m) {
            if (m.get("keras_history") instanceof List<?> h && !h.isEmpty() && h.get(0) instanceof String s) {
                out.add(s);
                return;
            }
            for (Object v : m.values()) {
                collectInbound(v, out);
            }
        } else if (node instanceof List<?> l) {
            if (!l.isEmpty() && l.get(0) instanceof String s) { // Keras 2: [name, node_index, tensor_index, kwargs]
                out.add(s);
                return;
            }
            for (Object v : l) {
                collectInbound(v, out);
            }
        }
    }

    private static void collectStrings(Object v, List<String> out) {
        if (v instanceof List<?> l) {
            if (!l.isEmpty() && l.get(0) instanceof String s) {
                out.add(s);
                return;
            }
            for (Object x : l) {
                collectStrings(x, out);
            }
        }
    }

    /** The input shape without the batch dimension, from the first layers' configuration; null if not fixed. */
    private int[] inputShape(List<Map<String, Object>> layers, Map<String, Object> modelConfig, Map<String, Object> root)
            throws WeightFormatException {
        List<Object> candidates = new ArrayList<>();
        for (Map<String, Object> layer : layers) {
            if (layer.get("config") instanceof Map<?, ?> c) {
                candidates.add(c.get("batch_shape"));          // Keras 3 InputLayer
                candidates.add(c.get("batch_input_shape"));    // Keras 2 InputLayer or first layer
            }
            if (!"InputLayer".equals(layer.get("class_name"))) {
                break;
            }
        }
        candidates.add(modelConfig.get("build_input_shape"));
        if (root.get("build_config") instanceof Map<?, ?> bc) {
            candidates.add(bc.get("input_shape"));
        }
        for (Object c : candidates) {
            if (c instanceof List<?> list) {
                if (list.isEmpty()) {
                    throw fail("an empty input shape " + list);
                }
                int[] shape = new int[list.size() - 1];
                for (int i = 1; i < list.size(); i++) {
                    Object d = list.get(i);
                    if (d == null) {
                        return null; // a free dimension: the input shape is not fixed
                    }
                    if (!(d instanceof Long v) || v < 1 || v > Integer.MAX_VALUE) {
                        throw fail("invalid input shape " + list);
                    }
                    shape[i - 1] = (int) (long) v;
                }
                if (shape.length != 1 && shape.length != 3) {
                    throw fail("input shape " + list + " is neither a vector nor an image (H, W, C)");
                }
                return shape;
            }
        }
        return null;
    }

    /** Builds the weightless layer description of one Keras layer configuration. */
    private ImportedLayer convert(String className, String name, Map<String, Object> c, int[] in)
            throws WeightFormatException {
        Cfg cfg = new Cfg(context(name, className), c);
        Map<String, Object> a = new LinkedHashMap<>();
        String kind;
        switch (className) {
            case "Conv2D":
            case "Convolution2D":
                kind = "Conv2D";
                cfg.channelsLast();
                a.put("filters", cfg.positiveInt("filters"));
                a.put("kernel", cfg.pair("kernel_size", null));
                a.put("strides", cfg.pair("strides", new int[] {1, 1}));
                a.put("dilation", cfg.pair("dilation_rate", new int[] {1, 1}));
                a.put("padding", cfg.padding());
                a.put("activation", cfg.activation());
                a.put("useBias", cfg.bool("use_bias", true));
                int groups = cfg.has("groups") ? cfg.positiveInt("groups") : 1;
                if (groups != 1) {
                    a.put("groups", groups);
                }
                break;
            case "DepthwiseConv2D":
                kind = "DepthwiseConv2D";
                cfg.channelsLast();
                a.put("kernel", cfg.pair("kernel_size", null));
                a.put("strides", cfg.pair("strides", new int[] {1, 1}));
                a.put("dilation", cfg.pair("dilation_rate", new int[] {1, 1}));
                a.put("padding", cfg.padding());
                a.put("depthMultiplier", cfg.has("depth_multiplier") ? cfg.positiveInt("depth_multiplier") : 1);
                a.put("activation", cfg.activation());
                a.put("useBias", cfg.bool("use_bias", true));
                break;
            case "Dense":
                kind = "Dense";
                a.put("units", cfg.positiveInt("units"));
                a.put("activation", cfg.activation());
                a.put("useBias", cfg.bool("use_bias", true));
                break;
            case "MaxPooling2D":
            case "MaxPool2D":
            case "AveragePooling2D":
            case "AvgPool2D": {
                kind = className.startsWith("Max") ? "MaxPool" : "AvgPool";
                cfg.channelsLast();
                int[] pool = cfg.pair("pool_size", new int[] {2, 2});
                a.put("pool", pool);
                a.put("strides", c.get("strides") == null ? pool : cfg.pair("strides", null));
                a.put("padding", cfg.padding());
                break;
            }
            case "GlobalAveragePooling2D":
            case "GlobalAvgPool2D":
            case "GlobalMaxPooling2D":
            case "GlobalMaxPool2D":
                kind = className.startsWith("GlobalMax") ? "GlobalMaxPool" : "GlobalAvgPool";
                cfg.channelsLast();
                if (cfg.bool("keepdims", false)) {
                    a.put("keepDims", true);
                }
                break;
            case "Flatten":
                kind = "Flatten";
                cfg.channelsLast();
                break;
            case "BatchNormalization": {
                kind = "BatchNormalization";
                Object axis = c.get("axis");
                if (axis instanceof List<?> l && l.size() == 1) {
                    axis = l.get(0);
                }
                boolean last = axis == null || Long.valueOf(-1).equals(axis)
                        || (axis instanceof Long v && (in == null || v == in.length));
                if (!last) {
                    throw fail(cfg.context + ": normalises axis " + c.get("axis") + "; only the channel (last) axis is supported");
                }
                a.put("epsilon", cfg.real("epsilon", 1e-3));
                a.put("center", cfg.bool("center", true));
                a.put("scale", cfg.bool("scale", true));
                break;
            }
            case "Dropout":
            case "SpatialDropout2D":
                kind = "Dropout";
                double rate = cfg.real("rate", null);
                if (!(rate >= 0 && rate < 1)) {
                    throw fail(cfg.context + ": dropout rate " + rate + " is not in [0, 1)");
                }
                a.put("rate", rate);
                break;
            case "ZeroPadding2D":
                kind = "ZeroPadding2D";
                cfg.channelsLast();
                a.put("paddingValues", cfg.zeroPadding());
                break;
            case "Activation":
                kind = "Activation";
                a.put("activation", cfg.activation());
                break;
            case "ReLU": {
                double slope = cfg.real("negative_slope", 0.0);
                double threshold = cfg.real("threshold", 0.0);
                Double max = c.get("max_value") == null ? null : cfg.real("max_value", null);
                if (threshold == 0 && slope == 0 && max == null) {
                    kind = "Activation";
                    a.put("activation", "relu");
                } else if (threshold == 0 && slope == 0 && max == 6.0) {
                    kind = "Activation"; // MobileNet's ReLU(6.)
                    a.put("activation", "relu6");
                } else if (threshold == 0 && slope > 0 && max == null) {
                    kind = "LeakyReLU";
                    a.put("alpha", slope);
                } else {
                    kind = className; // max_value other than 6, or a threshold: NetForge has no such layer
                }
                break;
            }
            case "LeakyReLU": {
                // Keras 2 writes alpha, Keras 3 negative_slope; the layer's default is 0.3
                double alpha = c.get("negative_slope") != null ? cfg.real("negative_slope", null) : cfg.real("alpha", 0.3);
                if (!(alpha >= 0)) {
                    throw fail(cfg.context + ": negative slope " + alpha + " is below 0");
                }
                kind = "LeakyReLU";
                a.put("alpha", alpha);
                break;
            }
            case "UpSampling2D": {
                cfg.channelsLast();
                Object interpolation = c.get("interpolation");
                if (interpolation != null && !"nearest".equals(interpolation)) {
                    throw fail(cfg.context + ": interpolation " + interpolation + " (NetForge's UpSampling2D is nearest)");
                }
                kind = "UpSampling2D";
                a.put("size", cfg.pair("size", new int[] {2, 2}));
                break;
            }
            case "Conv2DTranspose":
            case "Convolution2DTranspose": {
                cfg.channelsLast();
                if (c.get("output_padding") != null) {
                    throw fail(cfg.context + ": output_padding " + c.get("output_padding") + " is not supported");
                }
                int[] dilation = cfg.pair("dilation_rate", new int[] {1, 1});
                if (dilation[0] != 1 || dilation[1] != 1) {
                    throw fail(cfg.context + ": a dilated transposed convolution is not supported");
                }
                kind = "Conv2DTranspose";
                a.put("filters", cfg.positiveInt("filters"));
                a.put("kernel", cfg.pair("kernel_size", null));
                a.put("strides", cfg.pair("strides", new int[] {1, 1}));
                a.put("dilation", dilation);
                a.put("padding", cfg.padding());
                a.put("activation", cfg.activation());
                a.put("useBias", cfg.bool("use_bias", true));
                break;
            }
            case "SeparableConv2D":
            case "SeparableConvolution2D":
                kind = "SeparableConv2D";
                cfg.channelsLast();
                a.put("filters", cfg.positiveInt("filters"));
                a.put("kernel", cfg.pair("kernel_size", null));
                a.put("strides", cfg.pair("strides", new int[] {1, 1}));
                a.put("dilation", cfg.pair("dilation_rate", new int[] {1, 1}));
                a.put("padding", cfg.padding());
                a.put("depthMultiplier", cfg.has("depth_multiplier") ? cfg.positiveInt("depth_multiplier") : 1);
                a.put("activation", cfg.activation());
                a.put("useBias", cfg.bool("use_bias", true));
                break;
            case "Reshape":
                kind = "Reshape";
                a.put("shape", cfg.targetShape(in));
                break;
            case "Rescaling":
                kind = "Rescaling";
                a.put("scale", cfg.real("scale", null));
                a.put("offset", cfg.real("offset", 0.0));
                break;
            case "Cropping2D":
                kind = "Cropping2D";
                cfg.channelsLast();
                a.put("cropping", cfg.zeroPadding("cropping"));
                break;
            case "Softmax": {
                Object axis = c.get("axis");
                if (axis == null || Long.valueOf(-1).equals(axis) || List.of(-1L).equals(axis)) {
                    kind = "Activation";
                    a.put("activation", "softmax");
                } else {
                    kind = className;
                }
                break;
            }
            case "Add":
            case "Subtract":
            case "Multiply":
            case "Average":
            case "Maximum":
            case "Minimum":
                kind = className;
                break;
            case "Concatenate": {
                Object axis = c.get("axis");
                boolean last = axis == null || Long.valueOf(-1).equals(axis)
                        || (axis instanceof Long v && in != null && v == in.length);
                if (!last) {
                    throw fail(cfg.context + ": concatenates along axis " + axis + "; only the channel (last) axis is"
                            + " supported");
                }
                kind = "Concatenate";
                break;
            }
            default:
                kind = className; // passed through: reported as unsupported by the tools
                break;
        }
        return new ImportedLayer(name, kind, a, List.of());
    }

    /** Typed access to one layer's configuration with error messages that name the layer. */
    private final class Cfg {
        final String context;
        final Map<String, Object> c;

        Cfg(String context, Map<String, Object> c) {
            this.context = context;
            this.c = c;
        }

        boolean has(String key) {
            return c.get(key) != null;
        }

        int positiveInt(String key) throws WeightFormatException {
            Object v = c.get(key);
            if (v instanceof Long l && l >= 1 && l <= Integer.MAX_VALUE) {
                return (int) (long) l;
            }
            throw fail(context + ": '" + key + "' is " + (v == null ? "missing" : v + ", not a positive integer"));
        }

        int[] pair(String key, int[] dflt) throws WeightFormatException {
            Object v = c.get(key);
            if (v == null && dflt != null) {
                return dflt.clone();
            }
            if (v instanceof Long) {
                int x = positiveInt(key);
                return new int[] {x, x};
            }
            if (v instanceof List<?> l && (l.size() == 1 || l.size() == 2)) {
                int[] out = new int[2];
                for (int i = 0; i < 2; i++) {
                    Object e = l.get(Math.min(i, l.size() - 1));
                    if (!(e instanceof Long x) || x < 1 || x > Integer.MAX_VALUE) {
                        throw fail(context + ": '" + key + "' is " + v + ", not positive integers");
                    }
                    out[i] = (int) (long) x;
                }
                return out;
            }
            throw fail(context + ": '" + key + "' is " + (v == null ? "missing" : v + ", not a pair of integers"));
        }

        boolean bool(String key, boolean dflt) throws WeightFormatException {
            Object v = c.get(key);
            if (v == null) {
                return dflt;
            }
            if (v instanceof Boolean b) {
                return b;
            }
            throw fail(context + ": '" + key + "' is " + v + ", not true or false");
        }

        double real(String key, Double dflt) throws WeightFormatException {
            Object v = c.get(key);
            if (v == null && dflt != null) {
                return dflt;
            }
            if (v instanceof Number n && Double.isFinite(n.doubleValue())) {
                return n.doubleValue();
            }
            throw fail(context + ": '" + key + "' is " + (v == null ? "missing" : v + ", not a finite number"));
        }

        String padding() throws WeightFormatException {
            Object v = c.get("padding");
            if (v == null) {
                return "valid";
            }
            if (v instanceof String s) {
                String p = s.toLowerCase(Locale.ROOT);
                if (p.equals("valid") || p.equals("same")) {
                    return p;
                }
            }
            throw fail(context + ": padding " + v + " is not 'valid' or 'same'");
        }

        String activation() throws WeightFormatException {
            Object v = c.get("activation");
            if (v == null) {
                return "linear";
            }
            if (v instanceof Map<?, ?> m) { // Keras 3 may serialise a function as an object
                v = m.get("config") instanceof String s ? s : m.get("class_name");
            }
            if (v instanceof String s && s.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                return s.toLowerCase(Locale.ROOT);
            }
            throw fail(context + ": unsupported activation " + c.get("activation"));
        }

        /** Keras's target_shape with a -1 resolved from the input's size. */
        int[] targetShape(int[] in) throws WeightFormatException {
            if (!(c.get("target_shape") instanceof List<?> list) || list.isEmpty()) {
                throw fail(context + ": target_shape " + c.get("target_shape") + " is not a list of sizes");
            }
            int[] out = new int[list.size()];
            long known = 1;
            int free = -1;
            for (int i = 0; i < out.length; i++) {
                if (!(list.get(i) instanceof Long v) || v == 0 || v < -1 || v > Integer.MAX_VALUE) {
                    throw fail(context + ": target_shape " + list + " has an invalid size " + list.get(i));
                }
                if (v == -1) {
                    if (free >= 0) {
                        throw fail(context + ": target_shape " + list + " has two -1");
                    }
                    free = i;
                } else {
                    out[i] = (int) (long) v;
                    known *= v;
                }
            }
            if (free >= 0) {
                if (in == null) {
                    throw fail(context + ": target_shape " + list + " has a -1 and the input size is not known");
                }
                long size = 1;
                for (int d : in) {
                    size *= d;
                }
                if (size % known != 0) {
                    throw fail(context + ": cannot reshape " + size + " values to " + list);
                }
                out[free] = (int) (size / known);
            }
            return out;
        }

        void channelsLast() throws WeightFormatException {
            Object v = c.get("data_format");
            if (v != null && !"channels_last".equals(v)) {
                throw fail(context + ": data_format " + v + " is not supported (NetForge is channels_last)");
            }
        }

        int[] zeroPadding() throws WeightFormatException {
            return zeroPadding("padding");
        }

        /** An int, a pair or a pair of pairs, as ZeroPadding2D's padding and Cropping2D's cropping. */
        int[] zeroPadding(String key) throws WeightFormatException {
            Object v = c.get(key);
            int[] out = new int[4];
            if (v instanceof Long) {
                int p = nonNegative(v, v);
                return new int[] {p, p, p, p};
            }
            if (v instanceof List<?> l && l.size() == 2) {
                for (int axis = 0; axis < 2; axis++) {
                    Object e = l.get(axis);
                    if (e instanceof List<?> pair && pair.size() == 2) {
                        out[2 * axis] = nonNegative(pair.get(0), v);
                        out[2 * axis + 1] = nonNegative(pair.get(1), v);
                    } else {
                        out[2 * axis] = out[2 * axis + 1] = nonNegative(e, v);
                    }
                }
                return out;
            }
            throw fail(context + ": padding " + v + " is not an integer, a pair or a pair of pairs");
        }

        private int nonNegative(Object e, Object whole) throws WeightFormatException {
            if (e instanceof Long x && x >= 0 && x <= Integer.MAX_VALUE) {
                return (int) (long) x;
            }
            throw fail(context + ": padding " + whole + " has an invalid value " + e);
        }
    }

    // ---------------------------------------------------------------- helpers

    private String producer(String kerasVersion) throws WeightFormatException {
        if (kerasVersion == null || kerasVersion.isBlank()) {
            return "Keras (version unknown)";
        }
        if (!kerasVersion.matches("[0-9]+(\\.[0-9]+)*[0-9A-Za-z.+_-]{0,40}")) {
            throw fail("keras_version is '" + abbreviate(kerasVersion) + "', not a version number: the file is corrupt");
        }
        return "Keras " + kerasVersion;
    }

    private static String abbreviate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 60) + "...";
    }

    private static String context(String layerName, String className) {
        return "layer '" + layerName + "' (" + className + ")";
    }

    private static String names(List<Shapes.Expected> expected) {
        List<String> out = new ArrayList<>();
        for (Shapes.Expected e : expected) {
            out.add(e.name() + " " + Shapes.show(e.shape()));
        }
        return out.toString();
    }

    private Object parseJson(String text, String what) throws WeightFormatException {
        try {
            return Json.parsePython(text);
        } catch (JsonException e) {
            throw new WeightFormatException(fileName, "the " + what + " is not valid JSON: " + e.getMessage(), e);
        }
    }

    private String utf8(byte[] bytes, String what) throws WeightFormatException {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new WeightFormatException(fileName, what + " is not valid UTF-8", e);
        }
    }

    private Map<String, Object> asObject(Object v, String what) throws WeightFormatException {
        if (v instanceof Map<?, ?> m) {
            return cast(m);
        }
        throw fail(what + " is not a JSON object");
    }

    private String str(Map<String, Object> m, String key, String what) throws WeightFormatException {
        if (m.get(key) instanceof String s) {
            return s;
        }
        throw fail(what + ": '" + key + "' is missing or not a string");
    }

    @SuppressWarnings("unchecked")
    private static <T> T cast(Object o) {
        return (T) o;
    }

    private WeightFormatException fail(String problem) {
        return new WeightFormatException(fileName, problem);
    }
}
