package dev.netforge.processor.reference;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The reference forward pass of a network that branches and merges: each single-input layer
 * through {@link ReferenceNetwork} on its own (double inside a layer, float between layers, as
 * the generated code stores tensors), each merge from Keras's definition, written here and sharing
 * no code with the generated class.
 */
public final class ReferenceGraph {
    private ReferenceGraph() {
    }

    /** A merging layer by its Keras name: Add, Subtract, Multiply, Average, Maximum, Minimum, Concatenate. */
    public record Merge(String op) implements Node {
    }

    /** A single-input layer. */
    public record Single(RefLayer layer) implements Node {
    }

    /** One node of the graph. */
    public sealed interface Node permits Merge, Single {
    }

    /**
     * @param inputs each node's producers, {@code -1} for the model's input
     * @return the output of the last node for {@code x}
     */
    public static float[] forward(int[] input, List<Node> nodes, List<List<Integer>> inputs, float[] parameters,
                                  float[] x) {
        List<int[]> shapes = new ArrayList<>();
        List<float[]> values = new ArrayList<>();
        int offset = 0;
        for (int i = 0; i < nodes.size(); i++) {
            List<int[]> inShapes = new ArrayList<>();
            List<float[]> inValues = new ArrayList<>();
            for (int p : inputs.get(i)) {
                inShapes.add(p < 0 ? input : shapes.get(p));
                inValues.add(p < 0 ? x : values.get(p));
            }
            if (nodes.get(i) instanceof Single single) {
                List<RefLayer> layer = List.of(single.layer());
                int[] in = inShapes.get(0);
                int count = Math.toIntExact(ReferenceNetwork.parameterCounts(in, layer).get(0));
                float[] own = Arrays.copyOfRange(parameters, offset, offset + count);
                offset += count;
                shapes.add(ReferenceNetwork.shapes(in, layer).get(0));
                values.add(toFloat(ReferenceNetwork.forward(in, layer, own, inValues.get(0))));
            } else {
                Merge merge = (Merge) nodes.get(i);
                shapes.add(mergedShape(merge.op(), inShapes));
                values.add(merge(merge.op(), inShapes, inValues));
            }
        }
        if (offset != parameters.length) {
            throw new IllegalArgumentException("expected " + offset + " parameters, got " + parameters.length);
        }
        return nodes.isEmpty() ? x.clone() : values.get(values.size() - 1);
    }

    private static int[] mergedShape(String op, List<int[]> shapes) {
        int[] out = shapes.get(0).clone();
        if (op.equals("Concatenate")) {
            out[out.length - 1] = 0;
            for (int[] s : shapes) {
                out[out.length - 1] += s[s.length - 1];
            }
        }
        return out;
    }

    private static float[] merge(String op, List<int[]> shapes, List<float[]> values) {
        if (op.equals("Concatenate")) {
            int[] first = shapes.get(0);
            int pixels = 1;
            for (int d = 0; d < first.length - 1; d++) {
                pixels *= first[d];
            }
            int channels = 0;
            for (int[] s : shapes) {
                channels += s[s.length - 1];
            }
            float[] out = new float[pixels * channels];
            for (int p = 0; p < pixels; p++) {
                int at = p * channels;
                for (int k = 0; k < values.size(); k++) {
                    int c = shapes.get(k)[shapes.get(k).length - 1];
                    System.arraycopy(values.get(k), p * c, out, at, c);
                    at += c;
                }
            }
            return out;
        }
        float[] out = values.get(0).clone();
        for (int k = 1; k < values.size(); k++) {
            float[] next = values.get(k);
            for (int i = 0; i < out.length; i++) {
                out[i] = switch (op) {
                    case "Add", "Average" -> out[i] + next[i];
                    case "Subtract" -> out[i] - next[i];
                    case "Multiply" -> out[i] * next[i];
                    case "Maximum" -> Math.max(out[i], next[i]);
                    case "Minimum" -> Math.min(out[i], next[i]);
                    default -> throw new IllegalArgumentException("unknown merge " + op);
                };
            }
        }
        if (op.equals("Average")) {
            for (int i = 0; i < out.length; i++) {
                out[i] /= values.size();
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
