package dev.netforge.benchmarks;

import dev.netforge.samples.CifarVgg;
import dev.netforge.samples.CifarVggForward;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Weights, inputs and ONNX exports for the synthetic models {@link CifarVgg} and {@link MlpNet}, so
 * every implementation computes with the same numbers and no binary is committed. Everything is
 * derived from fixed seeds with {@link Random}, whose algorithm the JDK specifies, so every JVM
 * builds the same weights.
 *
 * <p>Kernels are He-normal ({@code N(0, 2 / fanIn)}, which keeps ReLU activations of order 1 from
 * layer to layer), biases uniform in [-0.1, 0.1), inputs uniform in [0, 1). The parameter vectors are
 * in NetForge's order (SEMANTICS.md): layers in declaration order, kernel then bias, Conv2D kernels
 * HWIO, Dense kernels {@code (inputs, units)}.
 */
final class SyntheticModels {
    /** How far any implementation's output may be from the naive Java reference's. */
    static final float TOLERANCE = 1e-5f;

    static final long[] VGG_ONNX_INPUT_SHAPE = {1, 3, 32, 32};
    static final long[] MLP_ONNX_INPUT_SHAPE = {1, 784};
    static final long[] ONNX_OUTPUT_SHAPE = {1, 10};

    private static final long VGG_WEIGHTS_SEED = 20_240_301L;
    private static final long VGG_INPUT_SEED = 20_240_302L;
    private static final long MLP_WEIGHTS_SEED = 20_240_303L;
    private static final long MLP_INPUT_SEED = 20_240_304L;
    private static final int VGG_CONV_FILTERS = 16;
    private static final int[] MLP_UNITS = {784, 512, 256, 10};

    private SyntheticModels() {
    }

    /** {@link CifarVgg}'s parameter vector. */
    static float[] vggParameters() {
        ParameterGenerator generator = new ParameterGenerator(VGG_WEIGHTS_SEED, CifarVggForward.PARAMETER_COUNT);
        int channels = 3;
        for (int conv = 0; conv < 4; conv++) {
            generator.layer(3 * 3 * channels, 3 * 3 * channels * VGG_CONV_FILTERS, VGG_CONV_FILTERS);
            channels = VGG_CONV_FILTERS;
        }
        generator.layer(1024, 1024 * 128, 128);
        generator.layer(128, 128 * 10, 10);
        return generator.parameters();
    }

    /** A 32x32x3 image, channels last (NetForge's layout). */
    static float[] vggInput() {
        return uniformInput(VGG_INPUT_SEED, 32 * 32 * 3);
    }

    /** The naive Java output of {@link CifarVgg} on {@link #vggInput()}: the reference for the checks. */
    static float[] vggReference() {
        float[] output = new float[CifarVggForward.OUTPUT_SIZE];
        new NaiveVggNet(vggParameters()).forward(vggInput(), output);
        return output;
    }

    /** {@link MlpNet}'s parameter vector. */
    static float[] mlpParameters() {
        ParameterGenerator generator = new ParameterGenerator(MLP_WEIGHTS_SEED, MlpNetForward.PARAMETER_COUNT);
        for (int layer = 0; layer + 1 < MLP_UNITS.length; layer++) {
            int n = MLP_UNITS[layer];
            int units = MLP_UNITS[layer + 1];
            generator.layer(n, n * units, units);
        }
        return generator.parameters();
    }

    /** A 784-value input vector. */
    static float[] mlpInput() {
        return uniformInput(MLP_INPUT_SEED, 784);
    }

    /** The naive Java output of {@link MlpNet} on {@link #mlpInput()}: the reference for the checks. */
    static float[] mlpReference() {
        float[] output = new float[MlpNetForward.OUTPUT_SIZE];
        new NaiveMlpNet(mlpParameters()).forward(mlpInput(), output);
        return output;
    }

    /**
     * {@link CifarVgg} as an ONNX model with input {@link #VGG_ONNX_INPUT_SHAPE} (NCHW): Conv kernels
     * permuted from HWIO to ONNX's OIHW, 'same' padding as explicit pads of one on each side (exact
     * for a 3x3 kernel at stride 1), and a Transpose back to NHWC before Flatten, so that the
     * flattened vector is in NetForge's (h, w, c) order and dense1's kernel is used as it is.
     */
    static byte[] vggOnnx(float[] parameters) {
        return vggOnnx(parameters, 1);
    }

    /** {@link #vggOnnx(float[])} for {@code batch} images per run. */
    static byte[] vggOnnx(float[] parameters, int batch) {
        OnnxWriter onnx = new OnnxWriter().input("input", batch, 3, 32, 32).output("output", batch, 10);
        int offset = 0;
        String tensor = "input";
        int channels = 3;
        for (int conv = 1; conv <= 4; conv++) {
            int kernelSize = 3 * 3 * channels * VGG_CONV_FILTERS;
            float[] kernel = hwioToOihw(slice(parameters, offset, kernelSize), 3, 3, channels, VGG_CONV_FILTERS);
            offset += kernelSize;
            String weight = "conv" + conv + ".weight";
            String bias = "conv" + conv + ".bias";
            onnx.initializer(weight, kernel, VGG_CONV_FILTERS, channels, 3, 3);
            onnx.initializer(bias, slice(parameters, offset, VGG_CONV_FILTERS), VGG_CONV_FILTERS);
            offset += VGG_CONV_FILTERS;
            onnx.node("Conv", List.of(tensor, weight, bias), "conv" + conv,
                    OnnxWriter.intsAttribute("kernel_shape", 3, 3),
                    OnnxWriter.intsAttribute("pads", 1, 1, 1, 1),
                    OnnxWriter.intsAttribute("strides", 1, 1));
            onnx.node("Relu", List.of("conv" + conv), "relu" + conv);
            tensor = "relu" + conv;
            if (conv % 2 == 0) {
                onnx.node("MaxPool", List.of(tensor), "pool" + conv / 2,
                        OnnxWriter.intsAttribute("kernel_shape", 2, 2),
                        OnnxWriter.intsAttribute("strides", 2, 2));
                tensor = "pool" + conv / 2;
            }
            channels = VGG_CONV_FILTERS;
        }
        onnx.node("Transpose", List.of(tensor), "nhwc", OnnxWriter.intsAttribute("perm", 0, 2, 3, 1));
        onnx.node("Flatten", List.of("nhwc"), "flatten", OnnxWriter.intAttribute("axis", 1));
        offset = gemm(onnx, parameters, offset, "flatten", "dense1", 1024, 128);
        onnx.node("Relu", List.of("dense1"), "dense1.relu");
        offset = gemm(onnx, parameters, offset, "dense1.relu", "logits", 128, 10);
        onnx.node("Softmax", List.of("logits"), "output", OnnxWriter.intAttribute("axis", 1));
        expectEnd(parameters, offset);
        return onnx.toBytes();
    }

    /** {@link MlpNet} as an ONNX model with input {@link #MLP_ONNX_INPUT_SHAPE}: Gemm, Relu, ..., Softmax. */
    static byte[] mlpOnnx(float[] parameters) {
        return mlpOnnx(parameters, 1);
    }

    /** {@link #mlpOnnx(float[])} for {@code batch} inputs per run. */
    static byte[] mlpOnnx(float[] parameters, int batch) {
        OnnxWriter onnx = new OnnxWriter().input("input", batch, 784).output("output", batch, 10);
        int offset = 0;
        String tensor = "input";
        for (int layer = 0; layer + 1 < MLP_UNITS.length; layer++) {
            boolean last = layer + 2 == MLP_UNITS.length;
            String dense = last ? "logits" : "dense" + (layer + 1);
            offset = gemm(onnx, parameters, offset, tensor, dense, MLP_UNITS[layer], MLP_UNITS[layer + 1]);
            tensor = dense + ".relu";
            if (!last) {
                onnx.node("Relu", List.of(dense), tensor);
            }
        }
        onnx.node("Softmax", List.of("logits"), "output", OnnxWriter.intAttribute("axis", 1));
        expectEnd(parameters, offset);
        return onnx.toBytes();
    }

    /**
     * A Dense layer as Gemm: Keras's {@code (inputs, units)} kernel is exactly Gemm's B without
     * {@code transB}. Returns the offset after the layer's kernel and bias.
     */
    static int gemm(OnnxWriter onnx, float[] parameters, int offset, String in, String out, int n, int units) {
        onnx.initializer(out + ".weight", slice(parameters, offset, n * units), n, units);
        offset += n * units;
        onnx.initializer(out + ".bias", slice(parameters, offset, units), units);
        offset += units;
        onnx.node("Gemm", List.of(in, out + ".weight", out + ".bias"), out);
        return offset;
    }

    /** A channels-last image (h, w, c) in ONNX's channels-first order (c, h, w). */
    static float[] nhwcToNchw(float[] image, int h, int w, int c) {
        float[] nchw = new float[image.length];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int ch = 0; ch < c; ch++) {
                    nchw[(ch * h + y) * w + x] = image[(y * w + x) * c + ch];
                }
            }
        }
        return nchw;
    }

    /** A Conv2D kernel from NetForge's (kh, kw, in, out) order to ONNX's (out, in, kh, kw). */
    static float[] hwioToOihw(float[] kernel, int kh, int kw, int in, int out) {
        float[] oihw = new float[kernel.length];
        for (int i = 0; i < kh; i++) {
            for (int j = 0; j < kw; j++) {
                for (int ci = 0; ci < in; ci++) {
                    for (int f = 0; f < out; f++) {
                        oihw[((f * in + ci) * kh + i) * kw + j] = kernel[((i * kw + j) * in + ci) * out + f];
                    }
                }
            }
        }
        return oihw;
    }

    /**
     * Fails loudly unless {@code actual} is within {@link #TOLERANCE} of {@code reference}, the naive
     * Java output on the same input.
     */
    static void check(String implementation, float[] actual, float[] reference) {
        if (actual.length != reference.length) {
            throw new IllegalStateException(implementation + ": " + actual.length + " outputs, expected "
                    + reference.length);
        }
        for (int i = 0; i < reference.length; i++) {
            float error = Math.abs(actual[i] - reference[i]);
            if (!(error <= TOLERANCE)) {
                throw new IllegalStateException(implementation + " vs naive Java: output " + i + " is " + actual[i]
                        + ", expected " + reference[i] + " (error " + error + " > " + TOLERANCE + ")");
            }
        }
    }

    static float[] uniformInput(long seed, int n) {
        Random random = new Random(seed);
        float[] input = new float[n];
        for (int i = 0; i < n; i++) {
            input[i] = random.nextFloat();
        }
        return input;
    }

    static float[] slice(float[] parameters, int offset, int n) {
        return Arrays.copyOfRange(parameters, offset, offset + n);
    }

    static void expectEnd(float[] parameters, int offset) {
        if (offset != parameters.length) {
            throw new IllegalArgumentException("the ONNX graph used " + offset + " of " + parameters.length
                    + " parameters");
        }
    }

    /** Fills a parameter vector of a known length with He-scaled layers, in NetForge's order. */
    private static final class ParameterGenerator {
        private final Random random;
        private final float[] parameters;
        private int size;

        /** {@code count}: the generated class's {@code PARAMETER_COUNT}, checked by {@link #parameters()}. */
        ParameterGenerator(long seed, int count) {
            random = new Random(seed);
            parameters = new float[count];
        }

        /** A layer's kernel ({@code kernelSize} values, fan-in {@code fanIn}), then its bias. */
        void layer(int fanIn, int kernelSize, int biasSize) {
            double scale = Math.sqrt(2.0 / fanIn);
            for (int i = 0; i < kernelSize; i++) {
                parameters[size++] = (float) (random.nextGaussian() * scale);
            }
            for (int i = 0; i < biasSize; i++) {
                parameters[size++] = (float) (random.nextDouble() * 0.2 - 0.1);
            }
        }

        float[] parameters() {
            if (size != parameters.length) {
                throw new IllegalStateException("generated " + size + " parameters, the model has " + parameters.length);
            }
            return parameters;
        }
    }
}
