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
        return layer.accept(new LayerSpec.Visitor<List<WeightTensor>>() {
            @Override
            public List<WeightTensor> conv2D(Conv2DSpec conv) {
                return kernelAndBias(new int[] {conv.window().height(), conv.window().width(), conv.input().channels(),
                    conv.filters()}, conv.useBias(), conv.filters());
            }

            @Override
            public List<WeightTensor> depthwiseConv2D(DepthwiseConv2DSpec depthwise) {
                List<WeightTensor> tensors = new ArrayList<>();
                tensors.add(new WeightTensor("depthwise_kernel", new int[] {depthwise.window().height(),
                    depthwise.window().width(), depthwise.input().channels(), depthwise.depthMultiplier()}));
                if (depthwise.useBias()) {
                    tensors.add(new WeightTensor("bias", new int[] {depthwise.output().channels()}));
                }
                return tensors;
            }

            @Override
            public List<WeightTensor> pool(LayerSpec.PoolSpec layer) {
                return List.of();
            }

            @Override
            public List<WeightTensor> globalPool(LayerSpec.GlobalPoolSpec layer) {
                return List.of();
            }

            @Override
            public List<WeightTensor> flatten(LayerSpec.FlattenSpec layer) {
                return List.of();
            }

            @Override
            public List<WeightTensor> dense(DenseSpec dense) {
                return kernelAndBias(new int[] {dense.input().size(), dense.units()}, dense.useBias(), dense.units());
            }

            @Override
            public List<WeightTensor> batchNormalization(BatchNormalizationSpec norm) {
                List<WeightTensor> tensors = new ArrayList<>();
                for (String role : new String[] {"gamma", "beta", "moving_mean", "moving_variance"}) {
                    tensors.add(new WeightTensor(role, new int[] {norm.input().channels()}));
                }
                return tensors;
            }

            @Override
            public List<WeightTensor> zeroPadding(LayerSpec.ZeroPaddingSpec layer) {
                return List.of();
            }

            @Override
            public List<WeightTensor> dropout(LayerSpec.DropoutSpec layer) {
                return List.of();
            }

            @Override
            public List<WeightTensor> activation(LayerSpec.ActivationSpec layer) {
                return List.of();
            }

            @Override
            public List<WeightTensor> merge(LayerSpec.MergeSpec layer) {
                return List.of();
            }

            @Override
            public List<WeightTensor> upSampling(LayerSpec.UpSamplingSpec layer) {
                return List.of();
            }

            @Override
            public List<WeightTensor> conv2DTranspose(LayerSpec.Conv2DTransposeSpec transpose) {
                return kernelAndBias(new int[] {transpose.window().height(), transpose.window().width(),
                    transpose.filters(), transpose.input().channels()}, transpose.useBias(), transpose.filters());
            }

            @Override
            public List<WeightTensor> separableConv2D(LayerSpec.SeparableConv2DSpec separable) {
                int channels = separable.input().channels();
                List<WeightTensor> tensors = new ArrayList<>();
                tensors.add(new WeightTensor("depthwise_kernel", new int[] {separable.window().height(),
                    separable.window().width(), channels, separable.depthMultiplier()}));
                tensors.add(new WeightTensor("pointwise_kernel", new int[] {1, 1,
                    channels * separable.depthMultiplier(), separable.filters()}));
                if (separable.useBias()) {
                    tensors.add(new WeightTensor("bias", new int[] {separable.filters()}));
                }
                return tensors;
            }

            @Override
            public List<WeightTensor> reshape(LayerSpec.ReshapeSpec layer) {
                return List.of();
            }

            @Override
            public List<WeightTensor> leakyReLU(LayerSpec.LeakyReLUSpec layer) {
                return List.of();
            }

            @Override
            public List<WeightTensor> rescaling(LayerSpec.RescalingSpec layer) {
                return List.of();
            }

            @Override
            public List<WeightTensor> cropping(LayerSpec.CroppingSpec layer) {
                return List.of();
            }
        });
    }

    private static List<WeightTensor> kernelAndBias(int[] kernel, boolean bias, int units) {
        List<WeightTensor> tensors = new ArrayList<>();
        tensors.add(new WeightTensor("kernel", kernel));
        if (bias) {
            tensors.add(new WeightTensor("bias", new int[] {units}));
        }
        return tensors;
    }
}
