package dev.netforge.benchmarks;

import dev.netforge.Activation;
import dev.netforge.ActivationLayer;
import dev.netforge.Add;
import dev.netforge.BatchNormalization;
import dev.netforge.Conv2D;
import dev.netforge.Dense;
import dev.netforge.Dropout;
import dev.netforge.From;
import dev.netforge.GlobalAveragePooling2D;
import dev.netforge.Layer;
import dev.netforge.Model;
import dev.netforge.Padding;

/**
 * {@link SmallResNet} with a Dropout (the identity at inference) between each Add and the
 * BatchNormalizations it reads: the same numbers from the same parameter vector, but a Add that reads
 * a Dropout is not fused, so every Add and the ReLU after it are passes of their own, as before the
 * fusion. {@link ResNetBenchmark} times both to measure what the fusion gives.
 */
@Model(input = {32, 32, 3})
public class SmallResNetUnfused {
    @Conv2D(filters = 16, kernel = 3, padding = Padding.SAME, useBias = false) Layer stem;
    @BatchNormalization Layer stemBn;
    @ActivationLayer(Activation.RELU) Layer stemRelu;
    // stage 1, block 1: identity shortcut
    @Conv2D(filters = 16, kernel = 3, padding = Padding.SAME, useBias = false) @From("stemRelu") Layer s1b1Conv1;
    @BatchNormalization Layer s1b1Bn1;
    @ActivationLayer(Activation.RELU) Layer s1b1Relu1;
    @Conv2D(filters = 16, kernel = 3, padding = Padding.SAME, useBias = false) Layer s1b1Conv2;
    @BatchNormalization Layer s1b1Bn2;
    @Dropout(rate = 0.1) Layer s1b1Keep2;
    @Add @From({"stemRelu", "s1b1Keep2"}) Layer s1b1Add;
    @ActivationLayer(Activation.RELU) Layer s1b1Out;
    // stage 1, block 2: identity shortcut
    @Conv2D(filters = 16, kernel = 3, padding = Padding.SAME, useBias = false) @From("s1b1Out") Layer s1b2Conv1;
    @BatchNormalization Layer s1b2Bn1;
    @ActivationLayer(Activation.RELU) Layer s1b2Relu1;
    @Conv2D(filters = 16, kernel = 3, padding = Padding.SAME, useBias = false) Layer s1b2Conv2;
    @BatchNormalization Layer s1b2Bn2;
    @Dropout(rate = 0.1) Layer s1b2Keep2;
    @Add @From({"s1b1Out", "s1b2Keep2"}) Layer s1b2Add;
    @ActivationLayer(Activation.RELU) Layer s1b2Out;
    // stage 2, block 1: strided, with a projection shortcut
    @Conv2D(filters = 32, kernel = 3, strides = 2, padding = Padding.SAME, useBias = false) @From("s1b2Out") Layer s2b1Conv1;
    @BatchNormalization Layer s2b1Bn1;
    @ActivationLayer(Activation.RELU) Layer s2b1Relu1;
    @Conv2D(filters = 32, kernel = 3, padding = Padding.SAME, useBias = false) Layer s2b1Conv2;
    @BatchNormalization Layer s2b1Bn2;
    @Dropout(rate = 0.1) Layer s2b1Keep2;
    @Conv2D(filters = 32, kernel = 1, strides = 2, useBias = false) @From("s1b2Out") Layer s2b1Proj;
    @BatchNormalization Layer s2b1ProjBn;
    @Dropout(rate = 0.1) Layer s2b1KeepProj;
    @Add @From({"s2b1KeepProj", "s2b1Keep2"}) Layer s2b1Add;
    @ActivationLayer(Activation.RELU) Layer s2b1Out;
    // stage 2, block 2: identity shortcut
    @Conv2D(filters = 32, kernel = 3, padding = Padding.SAME, useBias = false) @From("s2b1Out") Layer s2b2Conv1;
    @BatchNormalization Layer s2b2Bn1;
    @ActivationLayer(Activation.RELU) Layer s2b2Relu1;
    @Conv2D(filters = 32, kernel = 3, padding = Padding.SAME, useBias = false) Layer s2b2Conv2;
    @BatchNormalization Layer s2b2Bn2;
    @Dropout(rate = 0.1) Layer s2b2Keep2;
    @Add @From({"s2b1Out", "s2b2Keep2"}) Layer s2b2Add;
    @ActivationLayer(Activation.RELU) Layer s2b2Out;
    // stage 3, block 1: strided, with a projection shortcut
    @Conv2D(filters = 64, kernel = 3, strides = 2, padding = Padding.SAME, useBias = false) @From("s2b2Out") Layer s3b1Conv1;
    @BatchNormalization Layer s3b1Bn1;
    @ActivationLayer(Activation.RELU) Layer s3b1Relu1;
    @Conv2D(filters = 64, kernel = 3, padding = Padding.SAME, useBias = false) Layer s3b1Conv2;
    @BatchNormalization Layer s3b1Bn2;
    @Dropout(rate = 0.1) Layer s3b1Keep2;
    @Conv2D(filters = 64, kernel = 1, strides = 2, useBias = false) @From("s2b2Out") Layer s3b1Proj;
    @BatchNormalization Layer s3b1ProjBn;
    @Dropout(rate = 0.1) Layer s3b1KeepProj;
    @Add @From({"s3b1KeepProj", "s3b1Keep2"}) Layer s3b1Add;
    @ActivationLayer(Activation.RELU) Layer s3b1Out;
    // stage 3, block 2: identity shortcut
    @Conv2D(filters = 64, kernel = 3, padding = Padding.SAME, useBias = false) @From("s3b1Out") Layer s3b2Conv1;
    @BatchNormalization Layer s3b2Bn1;
    @ActivationLayer(Activation.RELU) Layer s3b2Relu1;
    @Conv2D(filters = 64, kernel = 3, padding = Padding.SAME, useBias = false) Layer s3b2Conv2;
    @BatchNormalization Layer s3b2Bn2;
    @Dropout(rate = 0.1) Layer s3b2Keep2;
    @Add @From({"s3b1Out", "s3b2Keep2"}) Layer s3b2Add;
    @ActivationLayer(Activation.RELU) Layer s3b2Out;
    @GlobalAveragePooling2D Layer gap;
    @Dense(units = 10, activation = Activation.SOFTMAX) Layer output;
}
