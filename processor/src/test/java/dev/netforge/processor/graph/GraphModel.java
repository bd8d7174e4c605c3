package dev.netforge.processor.graph;

import dev.netforge.processor.model.MergeOp;
import dev.netforge.processor.reference.RefLayer;
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
 * above). It gives the {@code @Model} source and an independent reference output: every
 * single-input layer through {@link ReferenceNetwork} on its own (double inside a layer, float
 * between layers, as the generated code stores them), every merge written here from Keras's
 * definition.
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

    /** The reference output for {@code x}. */
    float[] reference(float[] parameters, float[] x) {
        Map<String, int[]> shapes = shapes();
        Map<String, float[]> values = new HashMap<>();
        values.put("input", x);
        String previous = "input";
        int offset = 0;
        for (Node node : nodes) {
            List<String> from = node.from() == null ? List.of(previous) : node.from();
            float[] out;
            if (node.layer() != null) {
                int[] in = shape(from.get(0), shapes);
                int count = (int) (long) ReferenceNetwork.parameterCounts(in, List.of(node.layer())).get(0);
                float[] own = java.util.Arrays.copyOfRange(parameters, offset, offset + count);
                offset += count;
                out = toFloat(ReferenceNetwork.forward(in, List.of(node.layer()), own, values.get(from.get(0))));
            } else {
                out = merge(node.merge(), from, values, shapes);
            }
            values.put(node.name(), out);
            previous = node.name();
        }
        return values.get(previous);
    }

    private float[] merge(MergeOp op, List<String> from, Map<String, float[]> values, Map<String, int[]> shapes) {
        if (op == MergeOp.CONCATENATE) {
            int[] first = shape(from.get(0), shapes);
            int pixels = 1;
            for (int d = 0; d < first.length - 1; d++) {
                pixels *= first[d];
            }
            List<float[]> parts = new ArrayList<>();
            int channels = 0;
            for (String name : from) {
                parts.add(values.get(name));
                int[] s = shape(name, shapes);
                channels += s[s.length - 1];
            }
            float[] out = new float[pixels * channels];
            for (int p = 0; p < pixels; p++) {
                int at = p * channels;
                for (int k = 0; k < parts.size(); k++) {
                    int c = parts.get(k).length / pixels;
                    System.arraycopy(parts.get(k), p * c, out, at, c);
                    at += c;
                }
            }
            return out;
        }
        float[] out = values.get(from.get(0)).clone();
        for (int k = 1; k < from.size(); k++) {
            float[] next = values.get(from.get(k));
            for (int i = 0; i < out.length; i++) {
                out[i] = switch (op) {
                    case ADD, AVERAGE -> out[i] + next[i];
                    case SUBTRACT -> out[i] - next[i];
                    case MULTIPLY -> out[i] * next[i];
                    case MAXIMUM -> Math.max(out[i], next[i]);
                    case MINIMUM -> Math.min(out[i], next[i]);
                    case CONCATENATE -> throw new AssertionError();
                };
            }
        }
        if (op == MergeOp.AVERAGE) {
            for (int i = 0; i < out.length; i++) {
                out[i] /= from.size();
            }
        }
        return out;
    }

    private static float[] toFloat(double[] values) {
        float[] out = new float[values.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) values[i];
        }
        return out;
    }
}
