package dev.netforge.samples;

import dev.netforge.Activation;
import dev.netforge.Conv2D;
import dev.netforge.Dense;
import dev.netforge.Flatten;
import dev.netforge.Layer;
import dev.netforge.MaxPool;
import dev.netforge.Model;

/**
 * The classic small convolutional network for 28x28 grey-scale digits or clothes (MNIST,
 * Fashion-MNIST): 225,034 parameters, 2.6 million multiply-accumulates per image. NetForge checks
 * it when it is compiled and generates {@link MnistNetForward}.
 */
@Model(input = {28, 28, 1})
public class MnistNet {
    @Conv2D(filters = 32, kernel = 3, activation = Activation.RELU) Layer conv1;
    @MaxPool(2) Layer pool1;
    @Conv2D(filters = 64, kernel = 3, activation = Activation.RELU) Layer conv2;
    @MaxPool(2) Layer pool2;
    @Flatten Layer flatten;
    @Dense(units = 128, activation = Activation.RELU) Layer dense1;
    @Dense(units = 10, activation = Activation.SOFTMAX) Layer output;
}
