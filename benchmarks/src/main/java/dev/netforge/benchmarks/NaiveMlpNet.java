package dev.netforge.benchmarks;

/**
 * {@link MlpNet} in textbook loops ({@link NaiveLayers}): the reference {@link MlpBenchmark} checks
 * every other implementation against, and its "naive Java" row.
 */
final class NaiveMlpNet {
    private final float[] dense1Kernel;
    private final float[] dense1Bias;
    private final float[] dense2Kernel;
    private final float[] dense2Bias;
    private final float[] dense3Kernel;
    private final float[] dense3Bias;
    private final float[] dense1 = new float[512];
    private final float[] dense2 = new float[256];

    NaiveMlpNet(float[] parameters) {
        NaiveLayers.Cursor cursor = new NaiveLayers.Cursor(parameters);
        dense1Kernel = cursor.take(784 * 512);
        dense1Bias = cursor.take(512);
        dense2Kernel = cursor.take(512 * 256);
        dense2Bias = cursor.take(256);
        dense3Kernel = cursor.take(256 * 10);
        dense3Bias = cursor.take(10);
        cursor.expectEnd("MlpNet");
    }

    void forward(float[] input, float[] output) {
        NaiveLayers.dense(input, 784, dense1Kernel, dense1Bias, 512, dense1, true);
        NaiveLayers.dense(dense1, 512, dense2Kernel, dense2Bias, 256, dense2, true);
        NaiveLayers.dense(dense2, 256, dense3Kernel, dense3Bias, 10, output, false);
        NaiveLayers.softmax(output);
    }
}
