package dev.netforge.benchmarks;

import dev.netforge.Activation;
import dev.netforge.Conv2D;
import dev.netforge.Dense;
import dev.netforge.Flatten;
import dev.netforge.Layer;
import dev.netforge.MaxPool;
import dev.netforge.Model;
import dev.netforge.Padding;

/**
 * A small VGG-style network for {@link VggBenchmark}: two blocks of two 'same' 3x3 convolutions and a
 * max pool, then two Dense layers. The processor generates {@code VggNetForward}.
 */
@Model(input = {32, 32, 3})
public class VggNet {
    @Conv2D(filters = 16, kernel = 3, padding = Padding.SAME, activation = Activation.RELU) Layer block1Conv1;
    @Conv2D(filters = 16, kernel = 3, padding = Padding.SAME, activation = Activation.RELU) Layer block1Conv2;
    @MaxPool(2) Layer block1Pool;
    @Conv2D(filters = 16, kernel = 3, padding = Padding.SAME, activation = Activation.RELU) Layer block2Conv1;
    @Conv2D(filters = 16, kernel = 3, padding = Padding.SAME, activation = Activation.RELU) Layer block2Conv2;
    @MaxPool(2) Layer block2Pool;
    @Flatten Layer flatten;
    @Dense(units = 128, activation = Activation.RELU) Layer dense1;
    @Dense(units = 10, activation = Activation.SOFTMAX) Layer output;
}
