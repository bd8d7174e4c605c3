package dev.netforge.samples;

import dev.netforge.Activation;
import dev.netforge.Conv2D;
import dev.netforge.Dense;
import dev.netforge.Flatten;
import dev.netforge.Layer;
import dev.netforge.MaxPool;
import dev.netforge.Model;
import dev.netforge.Padding;

/**
 * A small VGG-style network for 32x32 RGB images (CIFAR-10's size): two blocks of two 'same' 3x3
 * convolutions of 16 filters and a max pool, then two Dense layers. Its 16-filter layers fill one
 * 512-bit vector and take kernels of their own; no trained weights are shipped.
 * {@code FirstCallsAllocationTest} runs it with drawn parameters to hold those kernels to 0 bytes per
 * call from the first one, and the benchmarks module's {@code VggBenchmark} and {@code BatchBenchmark}
 * time it against ONNX Runtime.
 */
@Model(input = {32, 32, 3})
public class CifarVgg {
    @Conv2D(filters = 16, kernel = 3, padding = Padding.SAME, activation = Activation.RELU) Layer block1_conv1;
    @Conv2D(filters = 16, kernel = 3, padding = Padding.SAME, activation = Activation.RELU) Layer block1_conv2;
    @MaxPool(2) Layer block1_pool;
    @Conv2D(filters = 16, kernel = 3, padding = Padding.SAME, activation = Activation.RELU) Layer block2_conv1;
    @Conv2D(filters = 16, kernel = 3, padding = Padding.SAME, activation = Activation.RELU) Layer block2_conv2;
    @MaxPool(2) Layer block2_pool;
    @Flatten Layer flatten;
    @Dense(units = 128, activation = Activation.RELU) Layer dense1;
    @Dense(units = 10, activation = Activation.SOFTMAX) Layer predictions;
}
