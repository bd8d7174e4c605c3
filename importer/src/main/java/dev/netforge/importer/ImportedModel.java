package dev.netforge.importer;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A model read from a Keras or ONNX file, in neutral NetForge terms.
 *
 * @param format     the file format: {@code "keras-h5"}, {@code "keras-zip"} or {@code "onnx"}
 * @param producer   who wrote the file, e.g. {@code "Keras 2.6.0"} or {@code "pytorch 1.13.1"};
 *                   {@code "unknown"} when the file does not say
 * @param inputShape {@code {H, W, C}} or {@code {N}} without the batch dimension, or null when the
 *                   file does not fix it
 * @param layers     the layers in order (Keras {@code InputLayer}s are dropped): Keras's
 *                   {@code model.layers}, so their weights joined are {@code get_weights()}
 * @param inputs     for each layer, the layers it takes (indices into {@code layers}, {@link #INPUT}
 *                   for the model's input), in order; every producer comes before its consumer and
 *                   the output is the last layer
 */
public record ImportedModel(String format, String producer, int[] inputShape, List<ImportedLayer> layers,
                            List<List<Integer>> inputs) {
    /** The producer index that stands for the model's input. */
    public static final int INPUT = -1;

    public ImportedModel {
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(producer, "producer");
        inputShape = inputShape == null ? null : inputShape.clone();
        layers = List.copyOf(layers);
        inputs = inputs.stream().map(List::copyOf).toList();
        if (inputs.size() != layers.size()) {
            throw new IllegalArgumentException(layers.size() + " layers, " + inputs.size() + " input lists");
        }
        for (int i = 0; i < inputs.size(); i++) {
            for (int from : inputs.get(i)) {
                if (from < INPUT || from >= i) {
                    throw new IllegalArgumentException("layer " + i + " takes " + from + ", not an earlier layer");
                }
            }
        }
    }

    /** A chain: each layer takes the one before it. */
    public ImportedModel(String format, String producer, int[] inputShape, List<ImportedLayer> layers) {
        this(format, producer, inputShape, layers, chain(layers.size()));
    }

    static List<List<Integer>> chain(int size) {
        List<List<Integer>> inputs = new java.util.ArrayList<>();
        for (int i = 0; i < size; i++) {
            inputs.add(List.of(i - 1));
        }
        return inputs;
    }

    /** Whether each layer takes exactly the one before it. */
    public boolean isChain() {
        return inputs.equals(chain(layers.size()));
    }

    /** A copy of the input shape, or null. */
    @Override
    public int[] inputShape() {
        return inputShape == null ? null : inputShape.clone();
    }

    /** Total number of weight elements. */
    public long parameterCount() {
        long n = 0;
        for (ImportedLayer l : layers) {
            n += l.parameterCount();
        }
        return n;
    }

    /**
     * The NetForge parameter vector: every layer's weights in order, flattened in C order and
     * joined (Keras {@code get_weights()} order).
     */
    public float[] parameters() {
        long n = parameterCount();
        if (n > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException("too many parameters for one array: " + n);
        }
        float[] out = new float[(int) n];
        int offset = 0;
        for (ImportedLayer l : layers) {
            for (Tensor t : l.weights()) {
                offset = t.copyTo(out, offset);
            }
        }
        return out;
    }

    /**
     * The output shape of each layer ({@code {H, W, C}} or {@code {N}}), computed with NetForge's
     * (Keras's) shape arithmetic from the input shape; an entry is null where it cannot be known
     * (no input shape, or after a layer of a kind the importer does not know).
     */
    public List<int[]> outputShapes() {
        List<int[]> out = new java.util.ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            List<int[]> in = new java.util.ArrayList<>();
            for (int p : inputs.get(i)) {
                in.add(p == INPUT ? inputShape : out.get(p));
            }
            int[] shape = Shapes.output(layers.get(i), in);
            out.add(shape == null ? null : shape.clone());
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ImportedModel m && format.equals(m.format) && producer.equals(m.producer)
                && Arrays.equals(inputShape, m.inputShape) && layers.equals(m.layers) && inputs.equals(m.inputs);
    }

    @Override
    public int hashCode() {
        return Objects.hash(format, producer, Arrays.hashCode(inputShape), layers, inputs);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("ImportedModel[").append(format).append(", ").append(producer)
                .append(", input ").append(Arrays.toString(inputShape)).append(']');
        for (int i = 0; i < layers.size(); i++) {
            sb.append("\n  ").append(layers.get(i));
            if (!inputs.get(i).equals(List.of(i - 1))) {
                sb.append(" <- ").append(inputs.get(i));
            }
        }
        return sb.toString();
    }
}
