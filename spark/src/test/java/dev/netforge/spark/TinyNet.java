package dev.netforge.spark;

import dev.netforge.Activation;
import dev.netforge.Dense;
import dev.netforge.Layer;
import dev.netforge.Model;

/**
 * A model without bundled weights (4 inputs, 3 softmax outputs, 15 parameters): its parameter
 * vector is the test resource {@code dev/netforge/spark/tiny-parameters.f32}.
 */
@Model(input = {4})
public class TinyNet {
    @Dense(units = 3, activation = Activation.SOFTMAX) Layer output;
}
