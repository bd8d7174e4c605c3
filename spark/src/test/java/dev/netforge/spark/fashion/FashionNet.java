package dev.netforge.spark.fashion;

import dev.netforge.Activation;
import dev.netforge.Conv2D;
import dev.netforge.Dense;
import dev.netforge.Flatten;
import dev.netforge.Layer;
import dev.netforge.MaxPool;
import dev.netforge.Model;

/**
 * The Fashion-MNIST sample's model ({@code samples/.../fashion/FashionNet.java}), declared again
 * here so that this module's tests and example job have a generated class ({@code FashionNetForward})
 * built as a user's build would: {@code fashion_mnist.onnx} and the golden pair are copied into this
 * module's test resources and bundled by the processor at test-compile time.
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
