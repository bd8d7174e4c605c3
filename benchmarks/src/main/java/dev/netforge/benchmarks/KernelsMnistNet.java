package dev.netforge.benchmarks;

import dev.netforge.runtime.Kernels;
import java.util.Arrays;

/**
 * MnistNet assembled by hand from {@link Kernels}, as generated code on the kernels would be: each
 * conv fused with the max pool after it (conv2's last row and column, which the pool drops, are
 * never computed), weights prepared once, scratch arrays owned by the instance.
 */
final class KernelsMnistNet {
    private final Kernels kernels;
    private final float[] conv1Kernel;
    private final float[] conv1Bias;
    private final float[] conv2Kernel;
    private final float[] conv2Bias;
    private final float[] dense1Kernel;
    private final float[] dense1Bias;
    private final float[] dense2Kernel;
    private final float[] dense2Bias;
    private final float[] pool1 = new float[13 * 13 * 32];
    private final float[] pool2 = new float[5 * 5 * 64];
    private final float[] dense1 = new float[128];
    private final float[] scratch = new float[Math.max(Kernels.convScratch(3, 3, 1, 32), Kernels.convScratch(3, 3, 32, 64))];

    KernelsMnistNet(Kernels kernels, float[] parameters) {
        this.kernels = kernels;
        int o = 0;
        conv1Kernel = kernels.prepareConv2d(Arrays.copyOfRange(parameters, o, o += 288), 3, 3, 1, 32);
        conv1Bias = Arrays.copyOfRange(parameters, o, o += 32);
        conv2Kernel = kernels.prepareConv2d(Arrays.copyOfRange(parameters, o, o += 18432), 3, 3, 32, 64);
        conv2Bias = Arrays.copyOfRange(parameters, o, o += 64);
        dense1Kernel = kernels.prepareDense(Arrays.copyOfRange(parameters, o, o += 204800), 1600, 128);
        dense1Bias = Arrays.copyOfRange(parameters, o, o += 128);
        dense2Kernel = kernels.prepareDense(Arrays.copyOfRange(parameters, o, o += 1280), 128, 10);
        dense2Bias = Arrays.copyOfRange(parameters, o, o += 10);
        if (o != parameters.length) {
            throw new IllegalArgumentException(parameters.length + " parameters, MnistNet has " + o);
        }
    }

    void forward(float[] input, float[] output) {
        Kernels k = kernels;
        k.conv2dMaxPool(input, 28, 28, 1, conv1Kernel, 3, 3, 32, conv1Bias, 1, 1, 2, 2, 2, 2, pool1, 13, 13, true,
                scratch);
        k.conv2dMaxPool(pool1, 13, 13, 32, conv2Kernel, 3, 3, 64, conv2Bias, 1, 1, 2, 2, 2, 2, pool2, 5, 5, true,
                scratch);
        k.dense(pool2, 1600, dense1Kernel, 128, dense1Bias, dense1, true);
        k.dense(dense1, 128, dense2Kernel, 10, dense2Bias, output, false);
        NaiveLayers.softmax(output);
    }
}
