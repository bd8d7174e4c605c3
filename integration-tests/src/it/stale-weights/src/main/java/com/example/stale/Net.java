package com.example.stale;

import dev.netforge.Activation;
import dev.netforge.Conv2D;
import dev.netforge.Dense;
import dev.netforge.Flatten;
import dev.netforge.Layer;
import dev.netforge.MaxPool;
import dev.netforge.Model;

/** MnistNet trained on Fashion-MNIST (as netforge-samples' FashionNet), its weights bundled from net.onnx. */
@Model(input = {28, 28, 1}, weights = "net.onnx")
public class Net {
    @Conv2D(filters = 32, kernel = 3, activation = Activation.RELU) Layer conv1;
    @MaxPool(2) Layer pool1;
    @Conv2D(filters = 64, kernel = 3, activation = Activation.RELU) Layer conv2;
    @MaxPool(2) Layer pool2;
    @Flatten Layer flatten;
    @Dense(units = 128, activation = Activation.RELU) Layer dense1;
    @Dense(units = 10, activation = Activation.SOFTMAX) Layer output;
}
