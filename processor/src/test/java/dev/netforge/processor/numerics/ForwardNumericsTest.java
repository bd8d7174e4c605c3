package dev.netforge.processor.numerics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netforge.processor.reference.RefLayer;
import dev.netforge.processor.reference.RefLayer.Conv2D;
import dev.netforge.processor.reference.RefLayer.Dense;
import dev.netforge.processor.reference.RefLayer.Flatten;
import dev.netforge.processor.reference.RefLayer.MaxPool;
import dev.netforge.processor.reference.ReferenceNetwork;
import dev.netforge.processor.testing.CompiledModel;
import dev.netforge.processor.testing.ModelSource;
import dev.netforge.processor.testing.RandomModels;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The generated forward pass against the independent double-precision {@link ReferenceNetwork},
 * on seeded random weights and inputs. Tolerance: max abs error 1e-5 (float32 accumulation of
 * order-1 values over at most a few thousand terms stays well inside it).
 */
class ForwardNumericsTest {
    static final double TOLERANCE = 1e-5;

    static Conv2D conv(int filters, int kh, int kw, int sh, int sw, boolean same, String activation) {
        return new Conv2D(filters, kh, kw, sh, sw, 1, 1, same, activation, true);
    }

    static MaxPool pool(int ph, int pw, int sh, int sw, boolean same) {
        return new MaxPool(ph, pw, sh, sw, same);
    }

    static Dense dense(int units, String activation) {
        return new Dense(units, activation, true);
    }

    static Stream<Arguments> models() {
        return Stream.of(
                Arguments.of("MnistNet", new int[] {28, 28, 1}, List.of(
                        conv(32, 3, 3, 1, 1, false, "relu"), pool(2, 2, 2, 2, false),
                        conv(64, 3, 3, 1, 1, false, "relu"), pool(2, 2, 2, 2, false),
                        new Flatten(), dense(128, "relu"), dense(10, "softmax"))),
                Arguments.of("OddSizes", new int[] {7, 9, 3}, List.of(
                        conv(5, 3, 3, 1, 1, false, "relu"), pool(2, 2, 2, 2, false),
                        new Flatten(), dense(7, "sigmoid"))),
                Arguments.of("RectangularKernels", new int[] {9, 11, 2}, List.of(
                        conv(4, 2, 3, 1, 1, false, "tanh"), conv(3, 3, 1, 1, 1, false, "linear"),
                        pool(2, 3, 2, 3, false), new Flatten(), dense(4, "linear"))),
                Arguments.of("Strides", new int[] {11, 10, 2}, List.of(
                        conv(6, 3, 3, 2, 2, false, "relu"), conv(5, 2, 2, 1, 2, false, "relu"),
                        new Flatten(), dense(3, "softmax"))),
                Arguments.of("SamePaddingStride2OddAndEven", new int[] {7, 8, 3}, List.of(
                        conv(4, 3, 3, 2, 2, true, "relu"), conv(4, 2, 2, 2, 2, true, "linear"),
                        conv(3, 3, 3, 1, 1, true, "tanh"))),
                Arguments.of("MaxPoolSameAndStrides", new int[] {7, 7, 3}, List.of(
                        pool(2, 2, 2, 2, true), pool(3, 3, 1, 1, true), pool(3, 2, 2, 1, false))),
                Arguments.of("ConvSoftmaxOverChannels", new int[] {5, 6, 3}, List.of(
                        conv(4, 3, 3, 1, 1, false, "softmax"))),
                Arguments.of("MlpEveryActivation", new int[] {20}, List.of(
                        dense(16, "relu"), dense(12, "tanh"), dense(10, "sigmoid"), dense(8, "linear"),
                        dense(3, "softmax"))),
                Arguments.of("NoBias", new int[] {6, 6, 2}, List.of(
                        new Conv2D(3, 3, 3, 1, 1, 1, 1, false, "relu", false), new Flatten(),
                        new Dense(4, "sigmoid", false))),
                Arguments.of("LargeWindowsNotUnrolled", new int[] {14, 13, 2}, List.of(
                        conv(3, 9, 8, 1, 1, false, "relu"), pool(5, 4, 1, 1, false),
                        pool(2, 1, 1, 1, false))),
                Arguments.of("StrideBeyondInputSame", new int[] {5, 4, 2}, List.of(
                        conv(3, 3, 3, 7, 9, true, "relu"), pool(2, 2, 5, 6, true), new Flatten(),
                        dense(2, "linear"))),
                Arguments.of("OneByOneAndFlattenLast", new int[] {4, 3, 5}, List.of(
                        conv(6, 1, 1, 1, 1, false, "linear"), new Flatten())),
                Arguments.of("OnlyFlatten", new int[] {3, 2, 2}, List.of(new Flatten())),
                Arguments.of("BatchNormFoldedFusedAndStandalone", new int[] {9, 8, 3}, List.of(
                        conv(6, 3, 3, 1, 1, true, "linear"), new RefLayer.BatchNorm(0.001),
                        new RefLayer.ActivationLayer("relu"), pool(2, 2, 2, 2, false), new RefLayer.BatchNorm(0.01),
                        new RefLayer.ActivationLayer("swish"), new RefLayer.Dropout(0.5), new Flatten(),
                        new Dense(8, "linear", false), new RefLayer.BatchNorm(1e-5), dense(3, "softmax"))),
                Arguments.of("BatchNormWithoutGammaOrBeta", new int[] {9, 8, 3}, List.of(
                        conv(6, 3, 3, 1, 1, true, "linear"), new RefLayer.BatchNorm(0.001, true, false),
                        new RefLayer.ActivationLayer("mish"), pool(2, 2, 2, 2, false),
                        new RefLayer.BatchNorm(0.01, false, true), new RefLayer.ActivationLayer("softsign"),
                        new RefLayer.BatchNorm(1e-5, false, false), new Flatten(),
                        new Dense(8, "linear", false), new RefLayer.BatchNorm(1e-3, false, false),
                        dense(3, "gelu_tanh"))),
                Arguments.of("DepthwiseDilationZeroPadding", new int[] {7, 6, 4}, List.of(
                        new RefLayer.ZeroPadding(1, 2, 0, 3),
                        new RefLayer.DepthwiseConv2D(3, 3, 1, 1, 2, 2, true, 2, "relu6", true),
                        new RefLayer.AvgPool(3, 3, 2, 2, true), new RefLayer.DepthwiseConv2D(2, 3, 2, 1, 1, 1, false,
                                1, "linear", false), new RefLayer.BatchNorm(0.001), new RefLayer.GlobalMaxPool())),
                // a ZeroPadding2D joined to the unpadded depthwise convolution after it (read in place): MobileNets'
                // ((0, 1), (0, 1)) before a strided one, on a channel vector and a half; then uneven padding
                // before a dilated one with a multiplier, on the plain-Java loops
                Arguments.of("ZeroPaddingJoinsDepthwise", new int[] {10, 9, 24}, List.of(
                        new RefLayer.ZeroPadding(0, 1, 0, 1),
                        new RefLayer.DepthwiseConv2D(3, 3, 2, 2, 1, 1, false, 1, "linear", false),
                        new RefLayer.BatchNorm(0.001), new RefLayer.ActivationLayer("relu6"),
                        new RefLayer.ZeroPadding(2, 1, 1, 3),
                        new RefLayer.DepthwiseConv2D(2, 3, 1, 1, 2, 1, false, 2, "relu", true),
                        new RefLayer.GlobalAvgPool(), dense(3, "softmax"))),
                Arguments.of("DilatedConvBothPaddings", new int[] {12, 11, 2}, List.of(
                        new Conv2D(4, 3, 3, 1, 1, 2, 2, false, "elu", true),
                        new Conv2D(3, 2, 3, 1, 1, 1, 3, true, "selu", true), new RefLayer.AvgPool(2, 3, 2, 3, false),
                        new RefLayer.GlobalAvgPool(), dense(5, "gelu"), dense(4, "softplus"), dense(3, "hard_sigmoid"),
                        dense(3, "leaky_relu"))),
                Arguments.of("StandaloneActivations", new int[] {4, 5, 3}, List.of(
                        new RefLayer.ActivationLayer("softmax"), pool(2, 2, 1, 1, false),
                        new RefLayer.ActivationLayer("tanh"), conv(2, 1, 1, 1, 1, false, "relu"),
                        new RefLayer.ActivationLayer("sigmoid"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void forwardMatchesReference(String name, int[] input, List<RefLayer> layers) {
        CompiledModel model = CompiledModel.compile("test", name, ModelSource.of("test", name, input, layers));
        float[] parameters = RandomModels.parameters(input, layers, name.hashCode());
        List<int[]> shapes = ReferenceNetwork.shapes(input, layers);
        int outputSize = size(shapes.get(shapes.size() - 1));
        assertEquals(size(input), model.constant("INPUT_SIZE"));
        assertEquals(outputSize, model.constant("OUTPUT_SIZE"));
        assertEquals(parameters.length, model.constant("PARAMETER_COUNT"));

        CompiledModel.Instance net = model.instance(parameters);
        for (int sample = 0; sample < 3; sample++) {
            float[] x = RandomModels.input(size(input), 31L * sample + name.length());
            float[] actual = new float[outputSize];
            net.forward(x, actual);
            double[] expected = ReferenceNetwork.forward(input, layers, parameters, x);
            double worst = 0;
            for (int i = 0; i < outputSize; i++) {
                worst = Math.max(worst, Math.abs(actual[i] - expected[i]));
            }
            assertTrue(worst <= TOLERANCE, name + ": max abs error " + worst + " > " + TOLERANCE);
            // The same instance again gives the same bits: no state leaks between calls.
            float[] again = new float[outputSize];
            net.forward(x, again);
            assertArrayEquals(actual, again);
        }
    }

    /** SEMANTICS.md's example: pool 2x2 on [1,3,2,1],[4,2,0,3],[1,0,5,1],[3,4,2,0] (rows). */
    @Test
    void maxPoolExampleIsExact() {
        CompiledModel model = CompiledModel.compile("test", "PoolExample",
                ModelSource.of("test", "PoolExample", new int[] {4, 4, 1}, List.of(pool(2, 2, 2, 2, false))));
        float[] input = {1, 3, 2, 1, 4, 2, 0, 3, 1, 0, 5, 1, 3, 4, 2, 0};
        float[] output = new float[4];
        model.instance(new float[0]).forward(input, output);
        // Windows: {1,3,4,2} {2,1,0,3} / {1,0,3,4} {5,1,2,0}.
        assertArrayEquals(new float[] {4, 3, 4, 5}, output);
    }

    private static int size(int[] shape) {
        int size = 1;
        for (int d : shape) {
            size *= d;
        }
        return size;
    }
}
