package dev.netforge.benchmarks;

/**
 * MnistNet as a textbook would write it: one loop nest per layer, the reduction innermost, no
 * blocking, no fusion. The reference every other implementation is checked against, and the
 * "naive Java" row of the benchmark.
 */
final class NaiveMnistNet {
    private final float[] conv1Kernel;
    private final float[] conv1Bias;
    private final float[] conv2Kernel;
    private final float[] conv2Bias;
    private final float[] dense1Kernel;
    private final float[] dense1Bias;
    private final float[] dense2Kernel;
    private final float[] dense2Bias;
    private final float[] conv1 = new float[26 * 26 * 32];
    private final float[] pool1 = new float[13 * 13 * 32];
    private final float[] conv2 = new float[11 * 11 * 64];
    private final float[] pool2 = new float[5 * 5 * 64];
    private final float[] dense1 = new float[128];

    NaiveMnistNet(float[] parameters) {
        int[] offset = {0};
        conv1Kernel = take(parameters, offset, 3 * 3 * 1 * 32);
        conv1Bias = take(parameters, offset, 32);
        conv2Kernel = take(parameters, offset, 3 * 3 * 32 * 64);
        conv2Bias = take(parameters, offset, 64);
        dense1Kernel = take(parameters, offset, 1600 * 128);
        dense1Bias = take(parameters, offset, 128);
        dense2Kernel = take(parameters, offset, 128 * 10);
        dense2Bias = take(parameters, offset, 10);
        if (offset[0] != parameters.length) {
            throw new IllegalArgumentException(parameters.length + " parameters, MnistNet has " + offset[0]);
        }
    }

    private static float[] take(float[] parameters, int[] offset, int n) {
        float[] a = java.util.Arrays.copyOfRange(parameters, offset[0], offset[0] + n);
        offset[0] += n;
        return a;
    }

    void forward(float[] input, float[] output) {
        conv(input, 28, 28, 1, conv1Kernel, conv1Bias, 32, conv1);
        NaiveLayers.maxPool2(conv1, 26, 26, 32, pool1);
        conv(pool1, 13, 13, 32, conv2Kernel, conv2Bias, 64, conv2);
        NaiveLayers.maxPool2(conv2, 11, 11, 64, pool2);
        NaiveLayers.dense(pool2, 1600, dense1Kernel, dense1Bias, 128, dense1, true);
        NaiveLayers.dense(dense1, 128, dense2Kernel, dense2Bias, 10, output, false);
        NaiveLayers.softmax(output);
    }

    /** Valid 3x3 convolution, stride 1, ReLU. */
    private static void conv(float[] in, int h, int w, int c, float[] kernel, float[] bias, int f, float[] out) {
        int oh = h - 2;
        int ow = w - 2;
        for (int y = 0; y < oh; y++) {
            for (int x = 0; x < ow; x++) {
                for (int q = 0; q < f; q++) {
                    float s = bias[q];
                    for (int i = 0; i < 3; i++) {
                        for (int j = 0; j < 3; j++) {
                            for (int ci = 0; ci < c; ci++) {
                                s += in[((y + i) * w + x + j) * c + ci] * kernel[((i * 3 + j) * c + ci) * f + q];
                            }
                        }
                    }
                    out[(y * ow + x) * f + q] = Math.max(s, 0f);
                }
            }
        }
    }
}
