package dev.netforge.benchmarks;

import dev.netforge.Activation;
import dev.netforge.Dense;
import dev.netforge.Layer;
import dev.netforge.Model;

/**
 * A multi-layer perceptron on a flattened 28x28 image for {@link MlpBenchmark}: 784 -> 512 -> 256
 * -> 10. The processor generates {@code MlpNetForward}.
 */
@Model(input = {784})
public class MlpNet {
    @Dense(units = 512, activation = Activation.RELU) Layer dense1;
    @Dense(units = 256, activation = Activation.RELU) Layer dense2;
    @Dense(units = 10, activation = Activation.SOFTMAX) Layer output;
}
