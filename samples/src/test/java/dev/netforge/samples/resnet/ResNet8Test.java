package dev.netforge.samples.resnet;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/**
 * The trained ResNet-8, built from the weights bundled at compile time, gives the reference
 * outputs of the five shared CIFAR-sized inputs (computed without Keras in float64) within 1e-5.
 */
class ResNet8Test {
    @Test
    void bundledWeightsReproduceTheReferenceOutputs() throws IOException {
        ResNet8Forward net = new ResNet8Forward();
        float[] output = new float[ResNet8Forward.OUTPUT_SIZE];
        double worst = 0;
        for (int i = 0; i < 5; i++) {
            net.forward(floats("inputs" + i + ".f32"), output);
            float[] expected = floats("outputs" + i + ".f32");
            for (int k = 0; k < expected.length; k++) {
                worst = Math.max(worst, Math.abs(output[k] - expected[k]));
            }
        }
        assertTrue(worst <= 1e-5, "largest abs error " + worst);
        assertTrue(ResNet8Forward.summary().contains("Connected to"), ResNet8Forward.summary());
    }

    private static float[] floats(String name) throws IOException {
        try (InputStream in = ResNet8Test.class.getResourceAsStream(name)) {
            byte[] bytes = in.readAllBytes();
            float[] values = new float[bytes.length / 4];
            ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
            return values;
        }
    }
}
