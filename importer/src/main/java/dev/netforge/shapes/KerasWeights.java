package dev.netforge.shapes;

import java.util.ArrayList;
import java.util.List;

/**
 * The weight tensors of each layer kind, in {@code model.get_weights()} order, with Keras's names
 * and shapes. A dimension the caller does not know (the importer before the input is traced) is
 * {@link #ANY}; products of {@code ANY} stay {@code ANY}.
 */
public final class KerasWeights {
    /** An unknown dimension. */
    public static final int ANY = -1;

    private KerasWeights() {
    }

    /** One tensor: its Keras name ({@code kernel}, {@code bias}, {@code gamma}, ...) and shape. */
    public record Tensor(String role, int[] shape) {
        public Tensor {
            shape = shape.clone();
        }

        @Override
        public int[] shape() {
            return shape.clone();
        }
    }

    /** Conv2D: kernel {@code (KH, KW, CIN, F)}, bias {@code (F,)}. */
    public static List<Tensor> conv2D(int kh, int kw, int inChannels, int filters, boolean bias) {
        return withBias(new Tensor("kernel", new int[] {kh, kw, inChannels, filters}), bias, filters);
    }

    /** DepthwiseConv2D: depthwise_kernel {@code (KH, KW, CIN, DM)}, bias {@code (CIN * DM,)}. */
    public static List<Tensor> depthwiseConv2D(int kh, int kw, int inChannels, int depthMultiplier, boolean bias) {
        return withBias(new Tensor("depthwise_kernel", new int[] {kh, kw, inChannels, depthMultiplier}), bias,
                times(inChannels, depthMultiplier));
    }

    /**
     * SeparableConv2D: depthwise_kernel {@code (KH, KW, CIN, DM)}, pointwise_kernel
     * {@code (1, 1, CIN * DM, F)}, bias {@code (F,)}.
     */
    public static List<Tensor> separableConv2D(int kh, int kw, int inChannels, int depthMultiplier, int filters,
                                               boolean bias) {
        List<Tensor> tensors = new ArrayList<>();
        tensors.add(new Tensor("depthwise_kernel", new int[] {kh, kw, inChannels, depthMultiplier}));
        tensors.add(new Tensor("pointwise_kernel", new int[] {1, 1, times(inChannels, depthMultiplier), filters}));
        if (bias) {
            tensors.add(new Tensor("bias", new int[] {filters}));
        }
        return tensors;
    }

    /** Conv2DTranspose: kernel {@code (KH, KW, F, CIN)} (filters before input channels), bias {@code (F,)}. */
    public static List<Tensor> conv2DTranspose(int kh, int kw, int inChannels, int filters, boolean bias) {
        return withBias(new Tensor("kernel", new int[] {kh, kw, filters, inChannels}), bias, filters);
    }

    /** Dense: kernel {@code (N, UNITS)}, bias {@code (UNITS,)}. */
    public static List<Tensor> dense(int inputs, int units, boolean bias) {
        return withBias(new Tensor("kernel", new int[] {inputs, units}), bias, units);
    }

    /** BatchNormalization: gamma (if scale), beta (if center), moving_mean, moving_variance, each {@code (C,)}. */
    public static List<Tensor> batchNormalization(int channels, boolean center, boolean scale) {
        List<Tensor> tensors = new ArrayList<>();
        if (scale) {
            tensors.add(new Tensor("gamma", new int[] {channels}));
        }
        if (center) {
            tensors.add(new Tensor("beta", new int[] {channels}));
        }
        tensors.add(new Tensor("moving_mean", new int[] {channels}));
        tensors.add(new Tensor("moving_variance", new int[] {channels}));
        return tensors;
    }

    /** {@code a * b}, {@link #ANY} when either is, and an error beyond the largest dimension. */
    public static int times(int a, int b) {
        if (a == ANY || b == ANY) {
            return ANY;
        }
        long product = (long) a * b;
        if (product > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(a + " x " + b + " = " + product + " is more than the largest"
                    + " dimension (" + Integer.MAX_VALUE + ")");
        }
        return (int) product;
    }

    private static List<Tensor> withBias(Tensor kernel, boolean bias, int biasLength) {
        return bias ? List.of(kernel, new Tensor("bias", new int[] {biasLength})) : List.of(kernel);
    }
}
