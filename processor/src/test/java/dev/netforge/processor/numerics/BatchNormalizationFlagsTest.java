package dev.netforge.processor.numerics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.netforge.processor.testing.CompiledModel;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code @BatchNormalization(center, scale)} against Keras's formula written out here, with a moving
 * variance of exactly 0 in one channel (Keras divides by {@code sqrt(0 + epsilon)}), both folded into
 * the Dense before it and standing alone (after an activation, so nothing folds).
 */
class BatchNormalizationFlagsTest {

    @ParameterizedTest(name = "center {0}, scale {1}, folded {2}")
    @CsvSource({"true, true, true", "false, true, true", "true, false, true", "false, false, true",
        "true, true, false", "false, true, false", "true, false, false", "false, false, false"})
    void keras(boolean center, boolean scale, boolean folded) {
        String source = "package bnflags;\nimport dev.netforge.*;\n@Model(input = {2})\npublic class Norm {\n"
                + "    @Dense(units = 3" + (folded ? "" : ", activation = Activation.TANH") + ") Layer dense;\n"
                + "    @BatchNormalization(epsilon = 0.01, center = " + center + ", scale = " + scale + ") Layer bn;\n}\n";
        CompiledModel model = CompiledModel.compile("bnflags", "Norm", source);
        float[] kernel = {0.5f, -1f, 2f, 1.5f, 0.25f, -0.75f}; // (2, 3)
        float[] bias = {0.1f, -0.2f, 0.3f};
        float[] gamma = {2f, 0.5f, -1f};
        float[] beta = {0.25f, -0.5f, 1f};
        float[] mean = {0.2f, -0.1f, 0.05f};
        float[] variance = {0f, 0.25f, 4f}; // exactly 0 in the first channel
        int n = 6 + 3 + (scale ? 3 : 0) + (center ? 3 : 0) + 6;
        assertEquals(n, model.constant("PARAMETER_COUNT"));
        float[] parameters = new float[n];
        int at = 0;
        for (float[] part : new float[][] {kernel, bias, scale ? gamma : null, center ? beta : null, mean, variance}) {
            if (part != null) {
                System.arraycopy(part, 0, parameters, at, part.length);
                at += part.length;
            }
        }
        float[] x = {0.8f, -1.3f};
        float[] out = new float[3];
        model.instance(parameters).forward(x, out);
        for (int u = 0; u < 3; u++) {
            double dense = bias[u] + x[0] * kernel[u] + x[1] * kernel[3 + u];
            double in = folded ? dense : Math.tanh(dense);
            double expected = (scale ? gamma[u] : 1.0) * (in - mean[u]) / Math.sqrt(variance[u] + 0.01)
                    + (center ? beta[u] : 0.0);
            assertEquals(expected, out[u], 1e-5 * Math.max(1, Math.abs(expected)), "unit " + u);
        }
    }
}
