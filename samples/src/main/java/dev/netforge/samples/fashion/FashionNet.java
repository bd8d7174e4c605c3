package dev.netforge.samples.fashion;

import dev.netforge.Activation;
import dev.netforge.Conv2D;
import dev.netforge.Dense;
import dev.netforge.Flatten;
import dev.netforge.Layer;
import dev.netforge.MaxPool;
import dev.netforge.Model;

/**
 * MnistNet trained on Fashion-MNIST with PyTorch ({@code samples/training/train_fashion_mnist.py})
 * and exported to ONNX. The processor reads {@code fashion_mnist.onnx} while compiling this class,
 * checks every layer's weights against the declaration, converts PyTorch's layouts, and bundles
 * the result; {@code new FashionNetForward()} then needs no file at run time. The golden pair
 * (one image and PyTorch's probabilities for it) is verified when the weights are first loaded.
 */
@Model(input = {28, 28, 1}, weights = "fashion_mnist.onnx", golden = "golden")
public class FashionNet {
    @Conv2D(filters = 32, kernel = 3, activation = Activation.RELU) Layer conv1;
    @MaxPool(2) Layer pool1;
    @Conv2D(filters = 64, kernel = 3, activation = Activation.RELU) Layer conv2;
    @MaxPool(2) Layer pool2;
    @Flatten Layer flatten;
    @Dense(units = 128, activation = Activation.RELU) Layer dense1;
    @Dense(units = 10, activation = Activation.SOFTMAX) Layer output;
}
