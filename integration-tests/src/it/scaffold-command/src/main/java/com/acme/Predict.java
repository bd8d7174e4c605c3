package com.acme;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** The scaffolded Net, built from its bundled weights, on the reference inputs: the largest difference. */
public final class Predict {
    private Predict() {
    }

    public static void main(String[] args) throws IOException {
        NetForward net = new NetForward();
        double worst = 0;
        for (int i = 0; i < 5; i++) {
            float[] input = floats("inputs" + i + ".f32");
            float[] expected = floats("outputs" + i + ".f32");
            float[] output = new float[NetForward.OUTPUT_SIZE];
            net.forward(input, output);
            for (int j = 0; j < output.length; j++) {
                worst = Math.max(worst, Math.abs(output[j] - expected[j]));
            }
        }
        System.out.println("scaffolded model: largest abs error " + worst);
    }

    private static float[] floats(String name) throws IOException {
        try (InputStream in = Predict.class.getResourceAsStream(name)) {
            byte[] bytes = in.readAllBytes();
            float[] values = new float[bytes.length / 4];
            ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
            return values;
        }
    }
}
