package com.acme;

/** Builds the model from its bundled weights (no parameter vector) and classifies the golden input. */
public final class Predict {
    private Predict() {
    }

    public static void main(String[] args) throws java.io.IOException {
        float[] image = new float[MnistNetForward.INPUT_SIZE];
        try (java.io.InputStream in = Predict.class.getResourceAsStream("golden-input.f32")) {
            java.nio.ByteBuffer.wrap(in.readAllBytes()).order(java.nio.ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(image);
        }
        float[] probabilities = new float[MnistNetForward.OUTPUT_SIZE];
        new MnistNetForward().forward(image, probabilities);
        int best = 0;
        for (int i = 1; i < probabilities.length; i++) {
            best = probabilities[i] > probabilities[best] ? i : best;
        }
        System.out.println("predicted class " + best + " (p = " + probabilities[best] + ")");
    }
}
