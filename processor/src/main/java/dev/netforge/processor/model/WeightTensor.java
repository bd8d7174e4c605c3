package dev.netforge.processor.model;

import dev.netforge.shapes.KerasWeights;
import dev.netforge.processor.kinds.LayerKinds;
import java.util.ArrayList;
import java.util.List;

/**
 * One weight tensor of a layer in the parameter vector, as Keras's {@code get_weights()} lists it:
 * its role ({@code kernel}, {@code bias}) and Keras shape. The parameter vector is these tensors,
 * layer after layer, each flattened in C order.
 */
public record WeightTensor(String role, int[] shape) {
    public WeightTensor {
        shape = shape.clone();
    }

    @Override
    public int[] shape() {
        return shape.clone();
    }

    public int size() {
        long size = 1;
        for (int d : shape) {
            size *= d;
        }
        return Math.toIntExact(size);
    }

    /** {@code (3, 3, 1, 32)}, as Keras and NumPy print shapes. */
    public String describeShape() {
        StringBuilder text = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            text.append(i > 0 ? ", " : "").append(shape[i]);
        }
        return text.append(shape.length == 1 ? ",)" : ")").toString();
    }

    /** The tensors of one layer in {@code get_weights()} order; empty for a layer without parameters. */
    public static List<WeightTensor> of(LayerSpec layer) {
        return LayerKinds.weights(layer);
    }

    /** Keras's tensors (the arithmetic the importer shares) as the processor's. */
    public static List<WeightTensor> of(List<KerasWeights.Tensor> tensors) {
        List<WeightTensor> out = new ArrayList<>();
        for (KerasWeights.Tensor tensor : tensors) {
            out.add(new WeightTensor(tensor.role(), tensor.shape()));
        }
        return out;
    }
}
