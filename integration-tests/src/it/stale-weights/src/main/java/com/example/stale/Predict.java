package com.example.stale;

/** Loads the bundled weights and classifies a blank image. */
public final class Predict {
    private Predict() {
    }

    public static void main(String[] args) {
        float[] image = new float[NetForward.INPUT_SIZE];
        float[] probabilities = new float[NetForward.OUTPUT_SIZE];
        new NetForward().forward(image, probabilities);
        int best = 0;
        for (int i = 1; i < probabilities.length; i++) {
            best = probabilities[i] > probabilities[best] ? i : best;
        }
        System.out.println("NetForge IT: predicted class " + best + " (p = " + probabilities[best] + ")");
    }
}
