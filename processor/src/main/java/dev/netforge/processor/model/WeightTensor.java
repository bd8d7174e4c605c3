package dev.netforge.processor.model;

import dev.netforge.processor.model.LayerSpec.BatchNormalizationSpec;
import dev.netforge.processor.model.LayerSpec.Conv2DSpec;
import dev.netforge.processor.model.LayerSpec.DenseSpec;
import dev.netforge.processor.model.LayerSpec.DepthwiseConv2DSpec;
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
        List<WeightTensor> tensors = new ArrayList<>();
        if (layer instanceof Conv2DSpec conv) {
            tensors.add(new WeightTensor("kernel", new int[] {
                conv.window().height(), conv.window().width(), conv.input().channels(), conv.filters()}));
            if (conv.useBias()) {
                tensors.add(new WeightTensor("bias", new int[] {conv.filters()}));
            }
        } else if (layer instanceof DepthwiseConv2DSpec depthwise) {
            int channels = depthwise.input().channels();
            tensors.add(new WeightTensor("depthwise_kernel", new int[] {
                depthwise.window().height(), depthwise.window().width(), channels, depthwise.depthMultiplier()}));
            if (depthwise.useBias()) {
                tensors.add(new WeightTensor("bias", new int[] {depthwise.output().channels()}));
            }
        } else if (layer instanceof BatchNormalizationSpec norm) {
            for (String role : new String[] {"gamma", "beta", "moving_mean", "moving_variance"}) {
                tensors.add(new WeightTensor(role, new int[] {norm.input().channels()}));
            }
        } else if (layer instanceof DenseSpec dense) {
            tensors.add(new WeightTensor("kernel", new int[] {dense.input().size(), dense.units()}));
            if (dense.useBias()) {
                tensors.add(new WeightTensor("bias", new int[] {dense.units()}));
            }
        } else if (layer instanceof LayerSpec.Conv2DTransposeSpec transpose) {
            tensors.add(new WeightTensor("kernel", new int[] {transpose.window().height(), transpose.window().width(),
                transpose.filters(), transpose.input().channels()}));
            if (transpose.useBias()) {
                tensors.add(new WeightTensor("bias", new int[] {transpose.filters()}));
            }
        } else if (layer instanceof LayerSpec.SeparableConv2DSpec separable) {
            int channels = separable.input().channels();
            tensors.add(new WeightTensor("depthwise_kernel", new int[] {separable.window().height(),
                separable.window().width(), channels, separable.depthMultiplier()}));
            tensors.add(new WeightTensor("pointwise_kernel", new int[] {1, 1, channels * separable.depthMultiplier(),
                separable.filters()}));
            if (separable.useBias()) {
                tensors.add(new WeightTensor("bias", new int[] {separable.filters()}));
            }
        }
        return tensors;
    }
}
