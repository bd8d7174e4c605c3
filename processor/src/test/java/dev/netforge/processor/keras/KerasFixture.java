package dev.netforge.processor.keras;

import dev.netforge.processor.model.MergeOp;
import dev.netforge.processor.reference.RefLayer;
import dev.netforge.processor.testing.Json;
import dev.netforge.processor.testing.ModelSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.lang.model.SourceVersion;

/**
 * One fixture written by TensorFlow.js's Keras layers ({@code fixtures-gen/}): the model's layers
 * with their configs, Keras's per-layer output shapes and parameter counts, the weights in
 * {@code get_weights()} order, and inputs with the framework's outputs.
 *
 * <p>A Sequential fixture is a chain and becomes fields {@code l0, l1, ...}. A functional fixture
 * ({@code "functional": true}) lists its layers in Keras's {@code model.layers} order, each with the
 * names of the layers it takes ({@code "inbound"}, {@code "input"} for the model input); it becomes a
 * field per layer, named as in Keras, in that order (so the parameter vector is
 * {@code get_weights()}), with {@code @From} wherever a layer does not take just the field above.
 */
record KerasFixture(String name, int[] input, boolean functional, List<Map<String, Object>> layers,
                    float[] weights, List<float[]> inputs, List<float[]> outputs) {

    static final String DIRECTORY = "/keras-fixtures/";

    /** What Keras's functional models call the model input in {@code inbound}, and NetForge in {@code @From}. */
    static final String INPUT = "input";

    /**
     * One field of the NetForge model: a single-input layer or a merge, and the names of the fields
     * it takes ({@code null}: the field above, as a chain).
     */
    record Node(String field, RefLayer layer, MergeOp merge, List<String> from) {
    }

    static List<String> names() {
        Map<String, Object> index = object(Json.parse(read("index.json")));
        List<String> names = new ArrayList<>();
        for (Object entry : list(index.get("fixtures"))) {
            names.add(entry instanceof String s ? s : (String) object(entry).get("name"));
        }
        return names;
    }

    static KerasFixture load(String name) {
        Map<String, Object> json = object(Json.parse(read(name + ".json")));
        List<Map<String, Object>> layers = new ArrayList<>();
        for (Object layer : list(json.get("layers"))) {
            layers.add(object(layer));
        }
        List<float[]> inputs = new ArrayList<>(), outputs = new ArrayList<>();
        for (Object c : list(json.get("cases"))) {
            Map<String, Object> testCase = object(c);
            inputs.add(floats(testCase.get("input")));
            // Keras 3 changed hard_sigmoid; where tfjs (Keras 2's formula) differs, the fixture carries both.
            outputs.add(floats(testCase.getOrDefault("outputKeras3", testCase.get("output"))));
        }
        return new KerasFixture(name, ints(json.get("input")), Boolean.TRUE.equals(json.get("functional")), layers,
                floats(json.get("weights")), inputs, outputs);
    }

    /** The field name of layer {@code index}: {@code l0, l1, ...} for a chain, the Keras name for a graph. */
    String field(int index) {
        return functional ? javaName((String) layers.get(index).get("name")) : "l" + index;
    }

    /** The names layer {@code index} takes, as fields ({@code "input"}: the model input). */
    List<String> inbound(int index) {
        if (!functional) {
            return List.of(index == 0 ? INPUT : field(index - 1));
        }
        List<String> from = new ArrayList<>();
        for (Object name : list(layers.get(index).get("inbound"))) {
            from.add(INPUT.equals(name) ? INPUT : javaName((String) name));
        }
        return from;
    }

    /**
     * The model as NetForge fields: every layer with its inputs, or, as an exception, the reason
     * NetForge cannot express it.
     */
    List<Node> nodes() {
        List<RefLayer> single = refLayers();
        List<Node> nodes = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            List<String> from = inbound(i);
            MergeOp merge = MergeOp.ofAnnotation((String) layers.get(i).get("className"));
            if (merge != null) {
                Object axis = object(layers.get(i).get("config")).get("axis");
                if (axis != null && integer(axis) != -1) {
                    throw new UnsupportedOperationException("Concatenate along axis " + axis + " (NetForge: the last axis)");
                }
            } else if (from.size() != 1) {
                throw new UnsupportedOperationException(layers.get(i).get("name") + " takes " + from.size() + " inputs");
            }
            // The field above needs no @From, as in a chain.
            boolean above = from.size() == 1 && from.get(0).equals(i == 0 ? INPUT : field(i - 1));
            nodes.add(new Node(field(i), single.get(i), merge, above ? null : from));
        }
        return nodes;
    }

    /** Keras's layer name as a Java field name. */
    private static String javaName(String keras) {
        String name = keras.replaceAll("[^A-Za-z0-9_$]", "_");
        if (!SourceVersion.isName(name) || name.equals(INPUT)) {
            name = "k_" + name;
        }
        return name;
    }

    /**
     * The fixture's layers in NetForge's vocabulary ({@code null} for a merging layer, see
     * {@link #nodes()}), or the reason NetForge has no equivalent (an activation or option it does
     * not offer) as an exception.
     */
    List<RefLayer> refLayers() {
        List<RefLayer> result = new ArrayList<>();
        for (Map<String, Object> layer : layers) {
            Map<String, Object> config = object(layer.get("config"));
            String kind = (String) layer.get("className");
            if (MergeOp.ofAnnotation(kind) != null) {
                result.add(null);
                continue;
            }
            result.add(switch (kind) {
                case "Conv2D" -> {
                    int[] k = ints(config.get("kernelSize")), s = ints(config.get("strides")),
                            d = ints(config.get("dilationRate"));
                    yield new RefLayer.Conv2D(integer(config.get("filters")), k[0], k[1], s[0], s[1], d[0], d[1],
                            "same".equals(config.get("padding")), activation(config.get("activation")),
                            (Boolean) config.get("useBias"));
                }
                case "DepthwiseConv2D" -> {
                    int[] k = ints(config.get("kernelSize")), s = ints(config.get("strides")),
                            d = ints(config.get("dilationRate"));
                    yield new RefLayer.DepthwiseConv2D(k[0], k[1], s[0], s[1], d[0], d[1],
                            "same".equals(config.get("padding")), integer(config.get("depthMultiplier")),
                            activation(config.get("activation")), (Boolean) config.get("useBias"));
                }
                case "MaxPooling2D", "AveragePooling2D" -> {
                    int[] p = ints(config.get("poolSize")), s = ints(config.get("strides"));
                    boolean same = "same".equals(config.get("padding"));
                    yield kind.startsWith("Max") ? new RefLayer.MaxPool(p[0], p[1], s[0], s[1], same)
                            : new RefLayer.AvgPool(p[0], p[1], s[0], s[1], same);
                }
                case "GlobalAveragePooling2D" -> new RefLayer.GlobalAvgPool();
                case "GlobalMaxPooling2D" -> new RefLayer.GlobalMaxPool();
                case "Flatten" -> new RefLayer.Flatten();
                case "Dense" -> new RefLayer.Dense(integer(config.get("units")), activation(config.get("activation")),
                        (Boolean) config.get("useBias"));
                case "BatchNormalization" -> new RefLayer.BatchNorm(((Number) config.get("epsilon")).doubleValue(),
                        (Boolean) config.get("center"), (Boolean) config.get("scale"));
                case "ZeroPadding2D" -> {
                    List<Object> padding = list(config.get("padding"));
                    int[] vertical = ints(padding.get(0)), horizontal = ints(padding.get(1));
                    yield new RefLayer.ZeroPadding(vertical[0], vertical[1], horizontal[0], horizontal[1]);
                }
                case "Dropout" -> new RefLayer.Dropout(((Number) config.get("rate")).doubleValue());
                case "Activation" -> new RefLayer.ActivationLayer(activation(config.get("activation")));
                case "Softmax" -> new RefLayer.ActivationLayer("softmax");
                case "ELU" -> {
                    if (((Number) config.getOrDefault("alpha", 1.0)).doubleValue() != 1.0) {
                        throw new UnsupportedOperationException("ELU with alpha other than 1");
                    }
                    yield new RefLayer.ActivationLayer("elu");
                }
                case "ReLU" -> {
                    Object max = config.get("maxValue");
                    if (max == null) {
                        yield new RefLayer.ActivationLayer("relu");
                    }
                    if (((Number) max).doubleValue() != 6) {
                        throw new UnsupportedOperationException("ReLU with maxValue " + max);
                    }
                    yield new RefLayer.ActivationLayer("relu6");
                }
                case "LeakyReLU" -> new RefLayer.LeakyReLU(((Number) config.get("alpha")).floatValue());
                case "Conv2DTranspose" -> {
                    int[] k = ints(config.get("kernelSize")), s = ints(config.get("strides"));
                    yield new RefLayer.Conv2DTranspose(integer(config.get("filters")), k[0], k[1], s[0], s[1],
                            "same".equals(config.get("padding")), activation(config.get("activation")),
                            (Boolean) config.get("useBias"));
                }
                case "SeparableConv2D" -> {
                    int[] k = ints(config.get("kernelSize")), s = ints(config.get("strides")),
                            d = ints(config.get("dilationRate"));
                    yield new RefLayer.SeparableConv2D(integer(config.get("filters")), k[0], k[1], s[0], s[1], d[0],
                            d[1], "same".equals(config.get("padding")), integer(config.get("depthMultiplier")),
                            activation(config.get("activation")), (Boolean) config.get("useBias"));
                }
                case "UpSampling2D" -> {
                    if (!"nearest".equals(config.get("interpolation"))) {
                        throw new UnsupportedOperationException("UpSampling2D " + config.get("interpolation"));
                    }
                    int[] size = ints(config.get("size"));
                    yield new RefLayer.UpSampling2D(size[0], size[1]);
                }
                case "Reshape" -> new RefLayer.Reshape(ints(config.get("targetShape")));
                case "Cropping2D" -> {
                    List<Object> cropping = list(config.get("cropping"));
                    int[] vertical = ints(cropping.get(0)), horizontal = ints(cropping.get(1));
                    yield new RefLayer.Cropping2D(vertical[0], vertical[1], horizontal[0], horizontal[1]);
                }
                case "Rescaling" -> new RefLayer.Rescaling(((Number) config.get("scale")).doubleValue(),
                        ((Number) config.get("offset")).doubleValue());
                default -> throw new UnsupportedOperationException("layer " + kind);
            });
        }
        return result;
    }

    /** tfjs's activation names as Keras 3 spells them; tfjs's {@code gelu_new} is the tanh approximation. */
    private static String activation(Object name) {
        String keras = ((String) name).replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
        return keras.equals("gelu_new") ? "gelu_tanh" : keras;
    }

    /** The {@code @Model} class: {@link ModelSource} for a chain; for a graph, fields with {@code @From} and merges. */
    String source() {
        if (!functional) {
            return ModelSource.of("test", className(), input, refLayers());
        }
        StringBuilder source = new StringBuilder("package test;\n\nimport dev.netforge.*;\n\n@Model(input = {");
        for (int i = 0; i < input.length; i++) {
            source.append(i > 0 ? ", " : "").append(input[i]);
        }
        source.append("})\npublic class ").append(className()).append(" {\n");
        for (Node node : nodes()) {
            source.append("    ").append(node.merge() != null ? "@" + node.merge().kerasName()
                    : ModelSource.annotation(node.layer()));
            if (node.from() != null) {
                source.append(" @From(");
                if (node.from().size() > 1) {
                    source.append('{');
                }
                for (int i = 0; i < node.from().size(); i++) {
                    source.append(i > 0 ? ", " : "").append('"').append(node.from().get(i)).append('"');
                }
                source.append(node.from().size() > 1 ? "})" : ")");
            }
            source.append(" Layer ").append(node.field()).append(";\n");
        }
        return source.append("}\n").toString();
    }

    String className() {
        StringBuilder name = new StringBuilder("K");
        for (String part : this.name.split("_")) {
            if (!part.isEmpty()) {
                name.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
            }
        }
        return name.toString();
    }

    static Map<String, Object> object(Object value) {
        @SuppressWarnings("unchecked")
        Map<String, Object> map = (Map<String, Object>) value;
        return map;
    }

    static List<Object> list(Object value) {
        @SuppressWarnings("unchecked")
        List<Object> list = (List<Object>) value;
        return list;
    }

    static int integer(Object value) {
        return ((Number) value).intValue();
    }

    static int[] ints(Object value) {
        if (value instanceof Number n) {
            return new int[] {n.intValue(), n.intValue()};
        }
        List<Object> list = list(value);
        int[] result = new int[list.size()];
        for (int i = 0; i < result.length; i++) {
            result[i] = integer(list.get(i));
        }
        return result;
    }

    static float[] floats(Object value) {
        List<Object> list = list(value);
        float[] result = new float[list.size()];
        for (int i = 0; i < result.length; i++) {
            result[i] = ((Number) list.get(i)).floatValue();
        }
        return result;
    }

    private static String read(String file) {
        try (InputStream in = KerasFixture.class.getResourceAsStream(DIRECTORY + file)) {
            if (in == null) {
                throw new IllegalStateException("missing fixture " + file);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
