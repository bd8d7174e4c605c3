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
 * @param layers     the layers in order (Keras {@code InputLayer}s are dropped)
 */
public record ImportedModel(String format, String producer, int[] inputShape, List<ImportedLayer> layers) {

    public ImportedModel {
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(producer, "producer");
        inputShape = inputShape == null ? null : inputShape.clone();
        layers = List.copyOf(layers);
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
        int[] shape = inputShape;
        for (ImportedLayer l : layers) {
            shape = Shapes.output(l, shape);
            out.add(shape == null ? null : shape.clone());
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ImportedModel m && format.equals(m.format) && producer.equals(m.producer)
                && Arrays.equals(inputShape, m.inputShape) && layers.equals(m.layers);
    }

    @Override
    public int hashCode() {
        return Objects.hash(format, producer, Arrays.hashCode(inputShape), layers);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("ImportedModel[").append(format).append(", ").append(producer)
                .append(", input ").append(Arrays.toString(inputShape)).append(']');
        for (ImportedLayer l : layers) {
            sb.append("\n  ").append(l);
        }
        return sb.toString();
    }
}
