package com.acme;

import dev.netforge.*;

// The README's MnistNet, its weights and golden check read from src/main/resources/com/acme/.
@Model(input = {28, 28, 1}, weights = "model.onnx", golden = "golden")
public class MnistNet {
    @Conv2D(filters = 32, kernel = 3, activation = Activation.RELU) Layer conv1;
    @MaxPool(2) Layer pool1;
    @Conv2D(filters = 64, kernel = 3, activation = Activation.RELU) Layer conv2;
    @MaxPool(2) Layer pool2;
    @Flatten Layer flatten;
    @Dense(units = 128, activation = Activation.RELU) Layer dense1;
    @Dense(units = 10, activation = Activation.SOFTMAX) Layer output;
}
