package dev.netforge.processor.graph;

import dev.netforge.processor.model.MergeOp;
import dev.netforge.processor.reference.RefLayer;
import dev.netforge.processor.reference.ReferenceGraph;
import dev.netforge.processor.reference.ReferenceNetwork;
import dev.netforge.processor.testing.ModelSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A network that branches and merges, written as a test states it: nodes in declaration order,
 * each a single-input {@link RefLayer} or a merge, with the names it takes ({@code null}: the node
 * above). It gives the {@code @Model} source, seeded parameters, the Keras file's layers, and the
 * independent reference output ({@link ReferenceGraph}: no code shared with the generated class).
 */
final class GraphModel {
    record Node(String name, RefLayer layer, MergeOp merge, List<String> from) {
    }

    private final int[] input;
    private final List<Node> nodes = new ArrayList<>();

    GraphModel(int... input) {
        this.input = input.clone();
    }

    GraphModel layer(String name, RefLayer layer, String... from) {
        nodes.add(new Node(name, layer, null, from.length == 0 ? null : List.of(from)));
        return this;
    }

    GraphModel merge(String name, MergeOp op, String... from) {
        nodes.add(new Node(name, null, op, List.of(from)));
        return this;
    }

    String source(String packageName, String className) {
        StringBuilder source = new StringBuilder("package " + packageName + ";\nimport dev.netforge.*;\n@Model(input = {");
        for (int i = 0; i < input.length; i++) {
            source.append(i > 0 ? ", " : "").append(input[i]);
        }
        source.append("})\npublic class ").append(className).append(" {\n");
        for (Node node : nodes) {
            source.append("    ").append(node.merge() != null ? "@" + node.merge().kerasName()
                    : ModelSource.annotation(node.layer()));
            if (node.from() != null) {
                source.append(" @From({");
                for (int i = 0; i < node.from().size(); i++) {
                    source.append(i > 0 ? ", " : "").append('"').append(node.from().get(i)).append('"');
                }
                source.append("})");
            }
            source.append(" Layer ").append(node.name()).append(";\n");
        }
        return source.append("}\n").toString();
    }

    /** Seeded parameters in declaration order; BatchNormalization variances positive. */
    float[] parameters(long seed) {
        Random random = new Random(seed);
        List<Float> values = new ArrayList<>();
        Map<String, int[]> shapes = shapes();
        int[] previous = input;
        for (Node node : nodes) {
            int[] in = node.from() == null ? previous : shape(node.from().get(0), shapes);
            if (node.layer() != null) {
                long count = ReferenceNetwork.parameterCounts(in, List.of(node.layer())).get(0);
                for (long k = 0; k < count; k++) {
                    values.add((float) (random.nextDouble() - 0.5));
                }
                if (node.layer() instanceof RefLayer.BatchNorm) {
                    int channels = in[in.length - 1];
                    for (int c = 0; c < channels; c++) { // moving variance, the last quarter
                        int at = values.size() - channels + c;
                        values.set(at, Math.abs(values.get(at)) + 0.5f);
                    }
                }
            }
            previous = shapes.get(node.name());
        }
        float[] out = new float[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i);
        }
        return out;
    }

    /** The output shape of every node. */
    Map<String, int[]> shapes() {
        Map<String, int[]> shapes = new HashMap<>();
        int[] previous = input;
        for (Node node : nodes) {
            int[] in = node.from() == null ? previous : shape(node.from().get(0), shapes);
            int[] out;
            if (node.layer() != null) {
                out = ReferenceNetwork.shapes(in, List.of(node.layer())).get(0);
            } else if (node.merge() == MergeOp.CONCATENATE) {
                out = in.clone();
                out[out.length - 1] = 0;
                for (String from : node.from()) {
                    int[] s = shape(from, shapes);
                    out[out.length - 1] += s[s.length - 1];
                }
            } else {
                out = in.clone();
            }
            shapes.put(node.name(), out);
            previous = out;
        }
        return shapes;
    }

    private int[] shape(String name, Map<String, int[]> shapes) {
        return name.equals("input") ? input : shapes.get(name);
    }

    /** The reference output for {@code x}: {@link ReferenceGraph}, fed this graph's nodes and connections. */
    float[] reference(float[] parameters, float[] x) {
        Map<String, Integer> index = new HashMap<>();
        index.put("input", -1);
        List<ReferenceGraph.Node> graphNodes = new ArrayList<>();
        List<List<Integer>> inputs = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            Node node = nodes.get(i);
            graphNodes.add(node.merge() != null ? new ReferenceGraph.Merge(node.merge().kerasName())
                    : new ReferenceGraph.Single(node.layer()));
            List<Integer> from = new ArrayList<>();
            for (String name : node.from() == null ? List.of(i == 0 ? "input" : nodes.get(i - 1).name()) : node.from()) {
                from.add(index.get(name));
            }
            inputs.add(from);
            index.put(node.name(), i);
        }
        return ReferenceGraph.forward(input, graphNodes, inputs, parameters, x);
    }

    /**
     * The graph as the layers of a Keras functional model (Keras 3 configuration keys), with the
     * weights cut from {@code parameters} in {@code get_weights()} order.
     */
    List<dev.netforge.importer.KerasFiles.Layer> kerasLayers(float[] parameters) {
        List<dev.netforge.importer.KerasFiles.Layer> out = new ArrayList<>();
        Map<String, int[]> shapes = shapes();
        int[] previousShape = input;
        String previous = "input_layer";
        int offset = 0;
        for (Node node : nodes) {
            List<String> from = new ArrayList<>();
            for (String name : node.from() == null ? List.of(previous) : node.from()) {
                from.add(name.equals("input") ? "input_layer" : name);
            }
            int[] in = node.from() == null ? previousShape : shape(node.from().get(0), shapes);
            Map<String, Object> c = new java.util.LinkedHashMap<>();
            List<dev.netforge.importer.KerasFiles.Weight> weights = new ArrayList<>();
            String className;
            if (node.merge() != null) {
                className = node.merge().kerasName();
                if (node.merge() == MergeOp.CONCATENATE) {
                    c.put("axis", -1L);
                }
            } else {
                RefLayer layer = node.layer();
                if (layer instanceof RefLayer.Conv2D k) {
                    className = "Conv2D";
                    c.put("filters", (long) k.filters());
                    c.put("kernel_size", dev.netforge.importer.KerasFiles.pair(k.kh(), k.kw()));
                    c.put("strides", dev.netforge.importer.KerasFiles.pair(k.sh(), k.sw()));
                    c.put("padding", k.same() ? "same" : "valid");
                    c.put("data_format", "channels_last");
                    c.put("dilation_rate", dev.netforge.importer.KerasFiles.pair(k.dh(), k.dw()));
                    c.put("groups", 1L);
                    c.put("activation", k.activation());
                    c.put("use_bias", k.useBias());
                    weights.add(dev.netforge.importer.KerasFiles.weight(parameters, offset, k.kh(), k.kw(), in[2],
                            k.filters()));
                    if (k.useBias()) {
                        weights.add(dev.netforge.importer.KerasFiles.weight(parameters,
                                offset + k.kh() * k.kw() * in[2] * k.filters(), k.filters()));
                    }
                } else if (layer instanceof RefLayer.Conv2DTranspose t) {
                    className = "Conv2DTranspose";
                    c.put("filters", (long) t.filters());
                    c.put("kernel_size", dev.netforge.importer.KerasFiles.pair(t.kh(), t.kw()));
                    c.put("strides", dev.netforge.importer.KerasFiles.pair(t.sh(), t.sw()));
                    c.put("padding", t.same() ? "same" : "valid");
                    c.put("data_format", "channels_last");
                    c.put("dilation_rate", dev.netforge.importer.KerasFiles.pair(1, 1));
                    c.put("output_padding", null);
                    c.put("activation", t.activation());
                    c.put("use_bias", t.useBias());
                    weights.add(dev.netforge.importer.KerasFiles.weight(parameters, offset, t.kh(), t.kw(), t.filters(),
                            in[2]));
                    if (t.useBias()) {
                        weights.add(dev.netforge.importer.KerasFiles.weight(parameters,
                                offset + t.kh() * t.kw() * t.filters() * in[2], t.filters()));
                    }
                } else if (layer instanceof RefLayer.SeparableConv2D k) {
                    className = "SeparableConv2D";
                    c.put("filters", (long) k.filters());
                    c.put("kernel_size", dev.netforge.importer.KerasFiles.pair(k.kh(), k.kw()));
                    c.put("strides", dev.netforge.importer.KerasFiles.pair(k.sh(), k.sw()));
                    c.put("padding", k.same() ? "same" : "valid");
                    c.put("data_format", "channels_last");
                    c.put("dilation_rate", dev.netforge.importer.KerasFiles.pair(k.dh(), k.dw()));
                    c.put("depth_multiplier", (long) k.depthMultiplier());
                    c.put("activation", k.activation());
                    c.put("use_bias", k.useBias());
                    int depthwise = k.kh() * k.kw() * in[2] * k.depthMultiplier();
                    int pointwise = in[2] * k.depthMultiplier() * k.filters();
                    weights.add(dev.netforge.importer.KerasFiles.weight(parameters, offset, k.kh(), k.kw(), in[2],
                            k.depthMultiplier()));
                    weights.add(dev.netforge.importer.KerasFiles.weight(parameters, offset + depthwise, 1, 1,
                            in[2] * k.depthMultiplier(), k.filters()));
                    if (k.useBias()) {
                        weights.add(dev.netforge.importer.KerasFiles.weight(parameters, offset + depthwise + pointwise,
                                k.filters()));
                    }
                } else if (layer instanceof RefLayer.MaxPool p) {
                    className = "MaxPooling2D";
                    c.put("pool_size", dev.netforge.importer.KerasFiles.pair(p.ph(), p.pw()));
                    c.put("strides", dev.netforge.importer.KerasFiles.pair(p.sh(), p.sw()));
                    c.put("padding", p.same() ? "same" : "valid");
                    c.put("data_format", "channels_last");
                } else if (layer instanceof RefLayer.UpSampling2D u) {
                    className = "UpSampling2D";
                    c.put("size", dev.netforge.importer.KerasFiles.pair(u.sh(), u.sw()));
                    c.put("data_format", "channels_last");
                    c.put("interpolation", "nearest");
                } else if (layer instanceof RefLayer.LeakyReLU l) {
                    className = "LeakyReLU";
                    c.put("negative_slope", (double) l.alpha());
                } else if (layer instanceof RefLayer.ActivationLayer a) {
                    className = "Activation";
                    c.put("activation", a.activation());
                } else if (layer instanceof RefLayer.Reshape r) {
                    className = "Reshape";
                    List<Long> target = new ArrayList<>();
                    for (int d : r.shape()) {
                        target.add((long) d);
                    }
                    c.put("target_shape", target);
                } else if (layer instanceof RefLayer.Rescaling r) {
                    className = "Rescaling";
                    c.put("scale", r.scale());
                    c.put("offset", r.offset());
                } else if (layer instanceof RefLayer.Cropping2D k) {
                    className = "Cropping2D";
                    c.put("cropping", List.of(List.of((long) k.top(), (long) k.bottom()),
                            List.of((long) k.left(), (long) k.right())));
                    c.put("data_format", "channels_last");
                } else if (layer instanceof RefLayer.GlobalAvgPool) {
                    className = "GlobalAveragePooling2D";
                    c.put("data_format", "channels_last");
                    c.put("keepdims", false);
                } else if (layer instanceof RefLayer.Flatten) {
                    className = "Flatten";
                    c.put("data_format", "channels_last");
                } else if (layer instanceof RefLayer.BatchNorm b) {
                    className = "BatchNormalization";
                    c.put("axis", -1L);
                    c.put("momentum", 0.99);
                    c.put("epsilon", b.epsilon());
                    c.put("center", b.center());
                    c.put("scale", b.scale());
                    int channels = in[in.length - 1];
                    int tensors = 2 + (b.center() ? 1 : 0) + (b.scale() ? 1 : 0);
                    for (int t = 0; t < tensors; t++) { // gamma?, beta?, moving_mean, moving_variance
                        weights.add(dev.netforge.importer.KerasFiles.weight(parameters, offset + t * channels, channels));
                    }
                } else if (layer instanceof RefLayer.Dense d) {
                    className = "Dense";
                    c.put("units", (long) d.units());
                    c.put("activation", d.activation());
                    c.put("use_bias", d.useBias());
                    weights.add(dev.netforge.importer.KerasFiles.weight(parameters, offset, in[0], d.units()));
                    if (d.useBias()) {
                        weights.add(dev.netforge.importer.KerasFiles.weight(parameters, offset + in[0] * d.units(),
                                d.units()));
                    }
                } else {
                    throw new IllegalArgumentException("no Keras configuration written for " + layer);
                }
                offset += (int) (long) ReferenceNetwork.parameterCounts(in, List.of(layer)).get(0);
            }
            out.add(new dev.netforge.importer.KerasFiles.Layer(className, node.name(), c, from, weights));
            previous = node.name();
            previousShape = shapes.get(node.name());
        }
        return out;
    }
}
