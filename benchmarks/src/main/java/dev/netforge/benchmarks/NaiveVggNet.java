package dev.netforge.benchmarks;

import dev.netforge.samples.CifarVgg;

/**
 * {@link CifarVgg} in textbook loops ({@link NaiveLayers}): the reference {@link VggBenchmark} checks
 * every other implementation against, and its "naive Java" row.
 */
final class NaiveVggNet {
    private final float[][] convKernels = new float[4][];
    private final float[][] convBiases = new float[4][];
    private final float[] dense1Kernel;
    private final float[] dense1Bias;
    private final float[] dense2Kernel;
    private final float[] dense2Bias;
    private final float[] block1A = new float[32 * 32 * 16];
    private final float[] block1B = new float[32 * 32 * 16];
    private final float[] block2A = new float[16 * 16 * 16];
    private final float[] block2B = new float[16 * 16 * 16];
    private final float[] pooled = new float[8 * 8 * 16];
    private final float[] dense1 = new float[128];

    NaiveVggNet(float[] parameters) {
        NaiveLayers.Cursor cursor = new NaiveLayers.Cursor(parameters);
        int channels = 3;
        for (int i = 0; i < 4; i++) {
            convKernels[i] = cursor.take(3 * 3 * channels * 16);
            convBiases[i] = cursor.take(16);
            channels = 16;
        }
        dense1Kernel = cursor.take(8 * 8 * 16 * 128);
        dense1Bias = cursor.take(128);
        dense2Kernel = cursor.take(128 * 10);
        dense2Bias = cursor.take(10);
        cursor.expectEnd("CifarVgg");
    }

    void forward(float[] input, float[] output) {
        NaiveLayers.conv3x3SameRelu(input, 32, 32, 3, convKernels[0], convBiases[0], 16, block1A);
        NaiveLayers.conv3x3SameRelu(block1A, 32, 32, 16, convKernels[1], convBiases[1], 16, block1B);
        NaiveLayers.maxPool2(block1B, 32, 32, 16, block2A);
        NaiveLayers.conv3x3SameRelu(block2A, 16, 16, 16, convKernels[2], convBiases[2], 16, block2B);
        NaiveLayers.conv3x3SameRelu(block2B, 16, 16, 16, convKernels[3], convBiases[3], 16, block2A);
        NaiveLayers.maxPool2(block2A, 16, 16, 16, pooled);
        NaiveLayers.dense(pooled, 8 * 8 * 16, dense1Kernel, dense1Bias, 128, dense1, true);
        NaiveLayers.dense(dense1, 128, dense2Kernel, dense2Bias, 10, output, false);
        NaiveLayers.softmax(output);
    }
}
