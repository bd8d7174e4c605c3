package dev.netforge.samples.resnet;

import dev.netforge.Activation;
import dev.netforge.ActivationLayer;
import dev.netforge.Add;
import dev.netforge.AvgPool;
import dev.netforge.BatchNormalization;
import dev.netforge.Conv2D;
import dev.netforge.Dense;
import dev.netforge.Flatten;
import dev.netforge.From;
import dev.netforge.Layer;
import dev.netforge.Model;
import dev.netforge.Padding;

/**
 * The MLPerf Tiny ResNet-8 (CIFAR-10 image classification, trained with Keras 2.4 by MLCommons,
 * Apache-2.0): a stem and three residual stages, with identity and strided 1x1 projection
 * shortcuts. The class is what {@code Scaffold} writes for {@code pretrainedResnet.h5}: the fields
 * follow Keras's {@code model.layers}, so the parameter vector is {@code get_weights()}, and
 * {@code @From} names each input that is not the field above.
 *
 * <p>The processor reads {@code src/main/netforge/dev/netforge/samples/resnet/pretrainedResnet.h5}
 * ({@code -Anetforge.weightsDir}, so the 1.1 MB training file stays out of the jar), checks every
 * layer, attribute, connection and weight shape against this declaration, and runs the declared
 * network on the golden input at compile time: its output must match Keras's within 1e-4.
 */
@Model(input = {32, 32, 3}, weights = "pretrainedResnet.h5", golden = "golden")
public class ResNet8 {
    @Conv2D(filters = 16, kernel = 3, padding = Padding.SAME) Layer conv2d;
    @BatchNormalization Layer batch_normalization;
    @ActivationLayer(Activation.RELU) Layer activation;
    @Conv2D(filters = 16, kernel = 3, padding = Padding.SAME) Layer conv2d_1;
    @BatchNormalization Layer batch_normalization_1;
    @ActivationLayer(Activation.RELU) Layer activation_1;
    @Conv2D(filters = 16, kernel = 3, padding = Padding.SAME) Layer conv2d_2;
    @BatchNormalization Layer batch_normalization_2;
    @Add @From({"activation", "batch_normalization_2"}) Layer add;
    @ActivationLayer(Activation.RELU) Layer activation_2;
    @Conv2D(filters = 32, kernel = 3, strides = 2, padding = Padding.SAME) Layer conv2d_3;
    @BatchNormalization Layer batch_normalization_3;
    @ActivationLayer(Activation.RELU) Layer activation_3;
    @Conv2D(filters = 32, kernel = 3, padding = Padding.SAME) Layer conv2d_4;
    @Conv2D(filters = 32, kernel = 1, strides = 2, padding = Padding.SAME) @From("activation_2") Layer conv2d_5;
    @BatchNormalization @From("conv2d_4") Layer batch_normalization_4;
    @Add @From({"conv2d_5", "batch_normalization_4"}) Layer add_1;
    @ActivationLayer(Activation.RELU) Layer activation_4;
    @Conv2D(filters = 64, kernel = 3, strides = 2, padding = Padding.SAME) Layer conv2d_6;
    @BatchNormalization Layer batch_normalization_5;
    @ActivationLayer(Activation.RELU) Layer activation_5;
    @Conv2D(filters = 64, kernel = 3, padding = Padding.SAME) Layer conv2d_7;
    @Conv2D(filters = 64, kernel = 1, strides = 2, padding = Padding.SAME) @From("activation_4") Layer conv2d_8;
    @BatchNormalization @From("conv2d_7") Layer batch_normalization_6;
    @Add @From({"conv2d_8", "batch_normalization_6"}) Layer add_2;
    @ActivationLayer(Activation.RELU) Layer activation_6;
    @AvgPool(8) Layer average_pooling2d;
    @Flatten Layer flatten;
    @Dense(units = 10, activation = Activation.SOFTMAX) Layer dense;
}
