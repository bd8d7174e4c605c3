package dev.netforge.samples.fashion;

import dev.netforge.Activation;
import dev.netforge.ActivationLayer;
import dev.netforge.Add;
import dev.netforge.Conv2D;
import dev.netforge.Dense;
import dev.netforge.From;
import dev.netforge.GlobalAveragePooling2D;
import dev.netforge.Layer;
import dev.netforge.Model;
import dev.netforge.Padding;
import dev.netforge.ZeroPadding2D;

/**
 * A small ResNet (ResNet-8: a 3x3 stem and three basic blocks at 16, 32 and 64 filters, the first
 * with an identity shortcut, the other two strided with 1x1 projection shortcuts) trained on
 * Fashion-MNIST with PyTorch ({@code samples/training/train_fashion_resnet.py}) and exported to
 * ONNX in eval mode, which folds every BatchNorm into the convolution before it.
 *
 * <p>The class is what {@code netforge-import.jar scaffold fashion_resnet.onnx} writes; the fields
 * follow the ONNX graph (field names are PyTorch's module paths, {@code layer2.0.conv1} as
 * {@code layer2_0_conv1}). Two things differ from a Keras ResNet: the exporter emits each projection
 * shortcut before its block's main path, and a strided 3x3 convolution with PyTorch's
 * {@code padding=1} pads one row and column on both sides of the even 28x28 and 14x14 inputs, where
 * TensorFlow's 'same' pads only bottom and right; the importer therefore reads it as a
 * {@code @ZeroPadding2D} and a 'valid' {@code @Conv2D}. The processor reads
 * {@code fashion_resnet.onnx} while compiling this class, checks every layer, connection and weight
 * shape against this declaration, and runs the declared network on the golden input (PyTorch's
 * probabilities for test image 0 must be reproduced within 1e-4).
 */
@Model(input = {28, 28, 1}, weights = "fashion_resnet.onnx", golden = "resnet-golden")
public class FashionResNet {
    @Conv2D(filters = 16, kernel = 3, padding = Padding.SAME, activation = Activation.RELU) Layer conv1;
    @Conv2D(filters = 16, kernel = 3, padding = Padding.SAME, activation = Activation.RELU) Layer layer1_0_conv1;
    @Conv2D(filters = 16, kernel = 3, padding = Padding.SAME) Layer layer1_0_conv2;
    @Add @From({"layer1_0_conv2", "conv1"}) Layer layer1_0_add;
    @ActivationLayer(Activation.RELU) Layer layer1_0_relu_1;
    @Conv2D(filters = 32, kernel = 1, strides = 2) Layer layer2_0_downsample_0;
    @ZeroPadding2D @From("layer1_0_relu_1") Layer layer2_0_conv1_pad;
    @Conv2D(filters = 32, kernel = 3, strides = 2, activation = Activation.RELU) Layer layer2_0_conv1;
    @Conv2D(filters = 32, kernel = 3, padding = Padding.SAME) Layer layer2_0_conv2;
    @Add @From({"layer2_0_conv2", "layer2_0_downsample_0"}) Layer layer2_0_add;
    @ActivationLayer(Activation.RELU) Layer layer2_0_relu_1;
    @Conv2D(filters = 64, kernel = 1, strides = 2) Layer layer3_0_downsample_0;
    @ZeroPadding2D @From("layer2_0_relu_1") Layer layer3_0_conv1_pad;
    @Conv2D(filters = 64, kernel = 3, strides = 2, activation = Activation.RELU) Layer layer3_0_conv1;
    @Conv2D(filters = 64, kernel = 3, padding = Padding.SAME) Layer layer3_0_conv2;
    @Add @From({"layer3_0_conv2", "layer3_0_downsample_0"}) Layer layer3_0_add;
    @ActivationLayer(Activation.RELU) Layer layer3_0_relu_1;
    @GlobalAveragePooling2D Layer avgpool;
    @Dense(units = 10, activation = Activation.SOFTMAX) Layer fc;
}
