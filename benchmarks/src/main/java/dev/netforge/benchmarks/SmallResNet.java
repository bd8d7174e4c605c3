package dev.netforge.benchmarks;

import dev.netforge.Activation;
import dev.netforge.ActivationLayer;
import dev.netforge.Add;
import dev.netforge.BatchNormalization;
import dev.netforge.Conv2D;
import dev.netforge.Dense;
import dev.netforge.From;
import dev.netforge.GlobalAveragePooling2D;
import dev.netforge.Layer;
import dev.netforge.Model;
import dev.netforge.Padding;

/**
 * A small CIFAR-style ResNet for {@link ResNetBenchmark}: 32x32x3 input, a 3x3 stem of 16 filters,
 * three stages of two basic blocks (16, 32, 64 filters; two 3x3 convolutions each, identity
 * shortcuts within a stage, a strided 1x1 projection where a stage starts), BatchNormalization after
 * every convolution (convolutions without bias, as in Keras's ResNets), ReLU after every add, global
 * average pooling and Dense 10 softmax: 15 convolutions, 6 residual adds, 26.7 M
 * multiply-adds, 176,378 parameters. The processor generates {@code SmallResNetForward}, where every block's last
 * convolution stores {@code conv + shortcut} and its ReLU in one pass (the Add fused into it).
 */
@Model(input = {32, 32, 3})
public class SmallResNet {
    @Conv2D(filters = 16, kernel = 3, padding = Padding.SAME, useBias = false) Layer stem;
    @BatchNormalization Layer stemBn;
    @ActivationLayer(Activation.RELU) Layer stemRelu;
    // stage 1, block 1: identity shortcut
    @Conv2D(filters = 16, kernel = 3, padding = Padding.SAME, useBias = false) @From("stemRelu") Layer s1b1Conv1;
    @BatchNormalization Layer s1b1Bn1;
    @ActivationLayer(Activation.RELU) Layer s1b1Relu1;
    @Conv2D(filters = 16, kernel = 3, padding = Padding.SAME, useBias = false) Layer s1b1Conv2;
    @BatchNormalization Layer s1b1Bn2;
    @Add @From({"stemRelu", "s1b1Bn2"}) Layer s1b1Add;
    @ActivationLayer(Activation.RELU) Layer s1b1Out;
    // stage 1, block 2: identity shortcut
    @Conv2D(filters = 16, kernel = 3, padding = Padding.SAME, useBias = false) @From("s1b1Out") Layer s1b2Conv1;
    @BatchNormalization Layer s1b2Bn1;
    @ActivationLayer(Activation.RELU) Layer s1b2Relu1;
    @Conv2D(filters = 16, kernel = 3, padding = Padding.SAME, useBias = false) Layer s1b2Conv2;
    @BatchNormalization Layer s1b2Bn2;
    @Add @From({"s1b1Out", "s1b2Bn2"}) Layer s1b2Add;
    @ActivationLayer(Activation.RELU) Layer s1b2Out;
    // stage 2, block 1: strided, with a projection shortcut
    @Conv2D(filters = 32, kernel = 3, strides = 2, padding = Padding.SAME, useBias = false) @From("s1b2Out") Layer s2b1Conv1;
    @BatchNormalization Layer s2b1Bn1;
    @ActivationLayer(Activation.RELU) Layer s2b1Relu1;
    @Conv2D(filters = 32, kernel = 3, padding = Padding.SAME, useBias = false) Layer s2b1Conv2;
    @BatchNormalization Layer s2b1Bn2;
    @Conv2D(filters = 32, kernel = 1, strides = 2, useBias = false) @From("s1b2Out") Layer s2b1Proj;
    @BatchNormalization Layer s2b1ProjBn;
    @Add @From({"s2b1ProjBn", "s2b1Bn2"}) Layer s2b1Add;
    @ActivationLayer(Activation.RELU) Layer s2b1Out;
    // stage 2, block 2: identity shortcut
    @Conv2D(filters = 32, kernel = 3, padding = Padding.SAME, useBias = false) @From("s2b1Out") Layer s2b2Conv1;
    @BatchNormalization Layer s2b2Bn1;
    @ActivationLayer(Activation.RELU) Layer s2b2Relu1;
    @Conv2D(filters = 32, kernel = 3, padding = Padding.SAME, useBias = false) Layer s2b2Conv2;
    @BatchNormalization Layer s2b2Bn2;
    @Add @From({"s2b1Out", "s2b2Bn2"}) Layer s2b2Add;
    @ActivationLayer(Activation.RELU) Layer s2b2Out;
    // stage 3, block 1: strided, with a projection shortcut
    @Conv2D(filters = 64, kernel = 3, strides = 2, padding = Padding.SAME, useBias = false) @From("s2b2Out") Layer s3b1Conv1;
    @BatchNormalization Layer s3b1Bn1;
    @ActivationLayer(Activation.RELU) Layer s3b1Relu1;
    @Conv2D(filters = 64, kernel = 3, padding = Padding.SAME, useBias = false) Layer s3b1Conv2;
    @BatchNormalization Layer s3b1Bn2;
    @Conv2D(filters = 64, kernel = 1, strides = 2, useBias = false) @From("s2b2Out") Layer s3b1Proj;
    @BatchNormalization Layer s3b1ProjBn;
    @Add @From({"s3b1ProjBn", "s3b1Bn2"}) Layer s3b1Add;
    @ActivationLayer(Activation.RELU) Layer s3b1Out;
    // stage 3, block 2: identity shortcut
    @Conv2D(filters = 64, kernel = 3, padding = Padding.SAME, useBias = false) @From("s3b1Out") Layer s3b2Conv1;
    @BatchNormalization Layer s3b2Bn1;
    @ActivationLayer(Activation.RELU) Layer s3b2Relu1;
    @Conv2D(filters = 64, kernel = 3, padding = Padding.SAME, useBias = false) Layer s3b2Conv2;
    @BatchNormalization Layer s3b2Bn2;
    @Add @From({"s3b1Out", "s3b2Bn2"}) Layer s3b2Add;
    @ActivationLayer(Activation.RELU) Layer s3b2Out;
    @GlobalAveragePooling2D Layer gap;
    @Dense(units = 10, activation = Activation.SOFTMAX) Layer output;
}
