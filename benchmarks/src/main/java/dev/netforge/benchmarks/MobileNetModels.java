package dev.netforge.benchmarks;

import dev.netforge.samples.MobileNetV2Forward;
import java.util.List;

/**
 * Weights, input, reference output and ONNX export of {@link dev.netforge.samples.MobileNetV2} (the samples module's declaration), all from one description
 * of the network ({@link #walk}), as {@link ResNetModels} does for the ResNet-style model: the NetForge
 * declaration, the naive reference and the ONNX graph cannot drift apart unnoticed, since each is checked
 * against the others before any timing.
 *
 * <p>Seeded ({@link WeightSource.Seeded}, {@code java.util.Random}): convolution kernels He-normal
 * ({@code N(0, 2 / fanIn)}; a 3x3 depthwise
 * kernel's fan-in is 9, a k x k convolution's {@code k * k * channels}), no convolution biases (Keras's
 * MobileNetV2 has none), BatchNormalization gamma in [0.5, 1), beta and moving mean in [-0.1, 0.1), moving
 * variance in [0.5, 1.5), epsilon 1e-3 (what Keras's MobileNetV2 passes, and the declaration's default);
 * Dense He-normal with a bias in [-0.1, 0.1); input in [0, 1).
 *
 * <p>The ONNX graph is NCHW, with each BatchNormalization folded into the convolution before it (kernel
 * times {@code gamma / sqrt(variance + epsilon)} per output channel, bias {@code beta - mean * that}), as
 * exporters do for inference; Conv kernels permuted from HWIO to OIHW, depthwise kernels from
 * {@code (KH, KW, C, 1)} to {@code (C, 1, KH, KW)} with {@code group = C}; ReLU6 as {@code Clip} with min
 * 0 and max 6 given as scalar initializers (opset 13 takes them as inputs); each ZeroPadding2D
 * ((0, 1), (0, 1)) folded into the next convolution's asymmetric pads ({@code [top, left, bottom, right]}
 * = {@code [0, 0, 1, 1]}); the residual Add, GlobalAveragePool, Flatten, Gemm, Softmax. The Clip and Add
 * nodes are left for ONNX Runtime to fuse into the convolutions (at the optimisation level
 * {@link OnnxRuntimeRunner} sets).
 */
final class MobileNetModels {
    static final long[] ONNX_INPUT_SHAPE = {1, 3, 224, 224};
    static final long[] ONNX_OUTPUT_SHAPE = {1, 1000};
    static final int SIZE = 224;
    static final int CLASSES = 1000;
    static final double EPSILON = 1e-3;
    private static final long WEIGHTS_SEED = 20_251_201L;
    private static final long INPUT_SEED = 20_251_202L;
    /** Keras's inverted residual blocks 1 to 16: output channels, stride (expansion 6 for all). */
    private static final int[][] BLOCKS = {
        {24, 2}, {24, 1}, {32, 2}, {32, 1}, {32, 1}, {64, 2}, {64, 1}, {64, 1}, {64, 1},
        {96, 1}, {96, 1}, {96, 1}, {160, 2}, {160, 1}, {160, 1}, {320, 1},
    };
    private static final int EXPANSION = 6;
    private static final int LAST_CONV_FILTERS = 1280;

    private static float[] reference;

    private MobileNetModels() {
    }

    /** What {@link #walk} builds: tensors of type {@code T}, NHWC shapes given with each call. */
    interface Graph<T> {
        T input();

        /**
         * A 'same' convolution without bias of the h x w x c tensor {@code in} with a k x k kernel of
         * {@code f} filters at stride {@code stride}, then its BatchNormalization.
         */
        T convNorm(T in, int h, int w, int c, int f, int k, int stride, float[] kernel, float[] norm);

        /** ZeroPadding2D(((0, 1), (0, 1))) of the h x w x c tensor: one zero row at the bottom, one column at the right. */
        T zeroPad(T in, int h, int w, int c);

        /**
         * A 3x3 depthwise convolution (depth multiplier 1) without bias of the h x w x c tensor at
         * {@code stride}, 'same' padding if {@code same}, else 'valid'; then its BatchNormalization.
         */
        T depthwiseNorm(T in, int h, int w, int c, int stride, boolean same, float[] kernel, float[] norm);

        /** ReLU6: {@code min(max(x, 0), 6)}. */
        T relu6(T in, int size);

        T add(T shortcut, T main, int size);

        /** Global average pooling of the h x w x c tensor, Dense to {@code units}, softmax. */
        T head(T in, int h, int w, int c, float[] kernel, float[] bias, int units);
    }

    /** The network, in {@link dev.netforge.samples.MobileNetV2} (the samples module's declaration)'s declaration order (Keras's {@code model.layers}). */
    static <T> T walk(WeightSource source, Graph<T> graph) {
        int h = SIZE / 2;
        int c = 32;
        // Conv1, bn_Conv1, Conv1_relu
        T x = graph.relu6(graph.convNorm(graph.input(), SIZE, SIZE, 3, c, 3, 2, source.kernel(27, 27 * c),
                source.norm(c)), h * h * c);
        // expanded_conv: no expansion, depthwise, project to 16
        T d = graph.relu6(graph.depthwiseNorm(x, h, h, c, 1, true, source.kernel(9, 9 * c), source.norm(c)),
                h * h * c);
        x = graph.convNorm(d, h, h, c, 16, 1, 1, source.kernel(c, c * 16), source.norm(16));
        c = 16;
        for (int[] block : BLOCKS) {
            int f = block[0];
            int stride = block[1];
            int e = c * EXPANSION;
            T expanded = graph.relu6(graph.convNorm(x, h, h, c, e, 1, 1, source.kernel(c, c * e), source.norm(e)),
                    h * h * e);
            int oh = stride == 1 ? h : (h + 1 - 3) / 2 + 1;
            T depthwise;
            if (stride == 1) {
                depthwise = graph.depthwiseNorm(expanded, h, h, e, 1, true, source.kernel(9, 9 * e), source.norm(e));
            } else {
                T padded = graph.zeroPad(expanded, h, h, e);
                depthwise = graph.depthwiseNorm(padded, h + 1, h + 1, e, 2, false, source.kernel(9, 9 * e),
                        source.norm(e));
            }
            depthwise = graph.relu6(depthwise, oh * oh * e);
            T projected = graph.convNorm(depthwise, oh, oh, e, f, 1, 1, source.kernel(e, e * f), source.norm(f));
            x = stride == 1 && c == f ? graph.add(x, projected, oh * oh * f) : projected;
            h = oh;
            c = f;
        }
        // Conv_1, Conv_1_bn, out_relu
        x = graph.relu6(graph.convNorm(x, h, h, c, LAST_CONV_FILTERS, 1, 1, source.kernel(c, c * LAST_CONV_FILTERS),
                source.norm(LAST_CONV_FILTERS)), h * h * LAST_CONV_FILTERS);
        return graph.head(x, h, h, LAST_CONV_FILTERS, source.kernel(LAST_CONV_FILTERS, LAST_CONV_FILTERS * CLASSES),
                source.bias(CLASSES), CLASSES);
    }

    /** The parameter vector, in NetForge's order (SEMANTICS.md): {@link MobileNetV2Forward#PARAMETER_COUNT} values. */
    static float[] parameters() {
        WeightSource.Seeded seeded = new WeightSource.Seeded(WEIGHTS_SEED);
        walk(seeded, new Graph<Void>() {
            @Override
            public Void input() {
                return null;
            }

            @Override
            public Void convNorm(Void in, int h, int w, int c, int f, int k, int stride, float[] kernel, float[] norm) {
                return null;
            }

            @Override
            public Void zeroPad(Void in, int h, int w, int c) {
                return null;
            }

            @Override
            public Void depthwiseNorm(Void in, int h, int w, int c, int stride, boolean same, float[] kernel,
                    float[] norm) {
                return null;
            }

            @Override
            public Void relu6(Void in, int size) {
                return null;
            }

            @Override
            public Void add(Void shortcut, Void main, int size) {
                return null;
            }

            @Override
            public Void head(Void in, int h, int w, int c, float[] kernel, float[] bias, int units) {
                return null;
            }
        });
        float[] parameters = seeded.parameters();
        if (parameters.length != MobileNetV2Forward.PARAMETER_COUNT || parameters.length != 3_538_984) {
            throw new IllegalStateException("generated " + parameters.length + " parameters, MobileNetV2 has "
                    + MobileNetV2Forward.PARAMETER_COUNT + " and Keras's MobileNetV2 3,538,984");
        }
        return parameters;
    }

    /** A 224x224x3 image, channels last. */
    static float[] input() {
        return SyntheticModels.uniformInput(INPUT_SEED, SIZE * SIZE * 3);
    }

    /** TensorFlow's 'same' padding before the data on one axis: the extra row or column goes at the end. */
    private static int samePadBefore(int in, int k, int stride) {
        int out = (in + stride - 1) / stride;
        return Math.max(0, (out - 1) * stride + k - in) / 2;
    }

    /** BatchNormalization of one value of channel {@code q} of {@code channels}, as written: not folded. */
    private static float normalize(float x, float[] norm, int channels, int q) {
        return (float) ((x - norm[2 * channels + q]) / Math.sqrt(norm[3 * channels + q] + EPSILON) * norm[q]
                + norm[channels + q]);
    }

    /**
     * The textbook computation of the network on {@code input}: every layer on its own (the ZeroPadding2D
     * a tensor of its own, the BatchNormalizations applied as written, not folded), sums in double,
     * tensors stored as float between layers. The reference the benchmark's states check NetForge and
     * ONNX Runtime against. Independent of the NetForge runtime.
     */
    static float[] reference(float[] parameters, float[] input) {
        WeightSource.Reader reader = new WeightSource.Reader(parameters);
        float[] output = walk(reader, new Graph<float[]>() {
            @Override
            public float[] input() {
                return input.clone();
            }

            @Override
            public float[] convNorm(float[] in, int h, int w, int c, int f, int k, int stride, float[] kernel,
                    float[] norm) {
                int oh = (h + stride - 1) / stride;
                int ow = (w + stride - 1) / stride;
                int top = samePadBefore(h, k, stride);
                int left = samePadBefore(w, k, stride);
                float[] out = new float[oh * ow * f];
                double[] sums = new double[f];
                for (int y = 0; y < oh; y++) {
                    for (int x = 0; x < ow; x++) {
                        java.util.Arrays.fill(sums, 0);
                        for (int i = 0; i < k; i++) {
                            int iy = y * stride + i - top;
                            for (int j = 0; j < k; j++) {
                                int ix = x * stride + j - left;
                                if (iy < 0 || iy >= h || ix < 0 || ix >= w) {
                                    continue; // a zero of the padding
                                }
                                for (int ci = 0; ci < c; ci++) {
                                    double v = in[(iy * w + ix) * c + ci];
                                    int row = ((i * k + j) * c + ci) * f;
                                    for (int q = 0; q < f; q++) {
                                        sums[q] += v * kernel[row + q];
                                    }
                                }
                            }
                        }
                        for (int q = 0; q < f; q++) {
                            out[(y * ow + x) * f + q] = normalize((float) sums[q], norm, f, q);
                        }
                    }
                }
                return out;
            }

            @Override
            public float[] zeroPad(float[] in, int h, int w, int c) {
                float[] out = new float[(h + 1) * (w + 1) * c];
                for (int y = 0; y < h; y++) {
                    System.arraycopy(in, y * w * c, out, y * (w + 1) * c, w * c);
                }
                return out;
            }

            @Override
            public float[] depthwiseNorm(float[] in, int h, int w, int c, int stride, boolean same, float[] kernel,
                    float[] norm) {
                int oh = same ? (h + stride - 1) / stride : (h - 3) / stride + 1;
                int ow = same ? (w + stride - 1) / stride : (w - 3) / stride + 1;
                int top = same ? samePadBefore(h, 3, stride) : 0;
                int left = same ? samePadBefore(w, 3, stride) : 0;
                float[] out = new float[oh * ow * c];
                for (int y = 0; y < oh; y++) {
                    for (int x = 0; x < ow; x++) {
                        for (int q = 0; q < c; q++) {
                            double s = 0;
                            for (int i = 0; i < 3; i++) {
                                int iy = y * stride + i - top;
                                for (int j = 0; j < 3; j++) {
                                    int ix = x * stride + j - left;
                                    if (iy < 0 || iy >= h || ix < 0 || ix >= w) {
                                        continue;
                                    }
                                    s += (double) in[(iy * w + ix) * c + q] * kernel[(i * 3 + j) * c + q];
                                }
                            }
                            out[(y * ow + x) * c + q] = normalize((float) s, norm, c, q);
                        }
                    }
                }
                return out;
            }

            @Override
            public float[] relu6(float[] in, int size) {
                float[] out = new float[size];
                for (int i = 0; i < size; i++) {
                    out[i] = Math.min(Math.max(in[i], 0f), 6f);
                }
                return out;
            }

            @Override
            public float[] add(float[] shortcut, float[] main, int size) {
                float[] out = new float[size];
                for (int i = 0; i < size; i++) {
                    out[i] = shortcut[i] + main[i];
                }
                return out;
            }

            @Override
            public float[] head(float[] in, int h, int w, int c, float[] kernel, float[] bias, int units) {
                float[] pooled = new float[c];
                for (int q = 0; q < c; q++) {
                    double s = 0;
                    for (int p = 0; p < h * w; p++) {
                        s += in[p * c + q];
                    }
                    pooled[q] = (float) (s / (h * w));
                }
                double[] logits = new double[units];
                double max = Double.NEGATIVE_INFINITY;
                for (int u = 0; u < units; u++) {
                    double s = bias[u];
                    for (int i = 0; i < c; i++) {
                        s += (double) pooled[i] * kernel[i * units + u];
                    }
                    logits[u] = (float) s;
                    max = Math.max(max, logits[u]);
                }
                double sum = 0;
                for (int u = 0; u < units; u++) {
                    logits[u] = Math.exp(logits[u] - max);
                    sum += logits[u];
                }
                float[] out = new float[units];
                for (int u = 0; u < units; u++) {
                    out[u] = (float) (logits[u] / sum);
                }
                return out;
            }
        });
        reader.expectEnd();
        return output;
    }

    /**
     * {@link #reference} on {@link #parameters()} and {@link #input()}: computed once per JVM (a few
     * seconds of naive loops), a copy returned.
     */
    static synchronized float[] reference() {
        if (reference == null) {
            reference = reference(parameters(), input());
        }
        return reference.clone();
    }

    /** A tensor of the ONNX graph: its name, and whether a ZeroPadding2D waits to be folded into the next Conv. */
    private record Pending(String name, boolean padded) {
        String plain() {
            if (padded) {
                throw new IllegalStateException(name + ": a ZeroPadding2D must be followed by a convolution");
            }
            return name;
        }
    }

    /**
     * The network as an ONNX model with input {@link #ONNX_INPUT_SHAPE} (NCHW): Conv (BatchNormalization
     * folded in; 'same' padding as explicit pads, the extra row and column at the end; a ZeroPadding2D's
     * (0, 1), (0, 1) as the next Conv's pads), depthwise Conv ({@code group = C}), Clip(0, 6), Add,
     * GlobalAveragePool, Flatten, Gemm, Softmax.
     */
    static byte[] onnx(float[] parameters) {
        OnnxWriter onnx = new OnnxWriter().input("input", ONNX_INPUT_SHAPE).output("output", ONNX_OUTPUT_SHAPE)
                .scalar("relu6.min", 0f).scalar("relu6.max", 6f);
        int[] counter = {0};
        WeightSource.Reader reader = new WeightSource.Reader(parameters);
        walk(reader, new Graph<Pending>() {
            private String next(String kind) {
                return kind + counter[0]++;
            }

            @Override
            public Pending input() {
                return new Pending("input", false);
            }

            /** A Conv node with the BatchNormalization {@code norm} folded into {@code oihw}, which it scales. */
            private Pending conv(Pending in, float[] oihw, float[] norm, int f, int perFilter, int c, int k,
                    int stride, int group, long[] pads) {
                float[] bias = new float[f];
                for (int q = 0; q < f; q++) {
                    double scale = norm[q] / Math.sqrt((double) norm[3 * f + q] + EPSILON);
                    for (int i = 0; i < perFilter; i++) {
                        oihw[q * perFilter + i] = (float) (oihw[q * perFilter + i] * scale);
                    }
                    bias[q] = (float) (norm[f + q] - norm[2 * f + q] * scale);
                }
                String out = next("conv");
                onnx.initializer(out + ".weight", oihw, f, c / group, k, k);
                onnx.initializer(out + ".bias", bias, f);
                onnx.node("Conv", List.of(in.name(), out + ".weight", out + ".bias"), out,
                        OnnxWriter.intAttribute("group", group),
                        OnnxWriter.intsAttribute("kernel_shape", k, k),
                        OnnxWriter.intsAttribute("pads", pads),
                        OnnxWriter.intsAttribute("strides", stride, stride));
                return new Pending(out, false);
            }

            /** ONNX pads {@code [top, left, bottom, right]}: 'same' (or 'valid') padding, plus a pending ZeroPadding2D. */
            private long[] pads(Pending in, int h, int w, int k, int stride, boolean same) {
                long top = 0;
                long left = 0;
                long bottom = 0;
                long right = 0;
                if (same) {
                    int oh = (h + stride - 1) / stride;
                    int ow = (w + stride - 1) / stride;
                    int padH = Math.max(0, (oh - 1) * stride + k - h);
                    int padW = Math.max(0, (ow - 1) * stride + k - w);
                    top = padH / 2;
                    left = padW / 2;
                    bottom = padH - top;
                    right = padW - left;
                }
                if (in.padded()) { // ZeroPadding2D(((0, 1), (0, 1))) before this convolution
                    bottom++;
                    right++;
                }
                return new long[] {top, left, bottom, right};
            }

            @Override
            public Pending convNorm(Pending in, int h, int w, int c, int f, int k, int stride, float[] kernel,
                    float[] norm) {
                if (in.padded()) {
                    throw new IllegalStateException("the walk pads only before depthwise convolutions");
                }
                return conv(in, SyntheticModels.hwioToOihw(kernel, k, k, c, f), norm, f, c * k * k, c, k, stride, 1,
                        pads(in, h, w, k, stride, true));
            }

            @Override
            public Pending zeroPad(Pending in, int h, int w, int c) {
                return new Pending(in.plain(), true);
            }

            @Override
            public Pending depthwiseNorm(Pending in, int h, int w, int c, int stride, boolean same, float[] kernel,
                    float[] norm) {
                // the walk gives the padded tensor's size; ONNX's Conv reads the unpadded one and pads it
                int hIn = in.padded() ? h - 1 : h;
                int wIn = in.padded() ? w - 1 : w;
                float[] c1hw = new float[kernel.length];
                for (int i = 0; i < 3; i++) {
                    for (int j = 0; j < 3; j++) {
                        for (int q = 0; q < c; q++) {
                            c1hw[q * 9 + i * 3 + j] = kernel[(i * 3 + j) * c + q];
                        }
                    }
                }
                return conv(in, c1hw, norm, c, 9, c, 3, stride, c, pads(in, hIn, wIn, 3, stride, same));
            }

            @Override
            public Pending relu6(Pending in, int size) {
                String out = next("relu6_");
                onnx.node("Clip", List.of(in.plain(), "relu6.min", "relu6.max"), out);
                return new Pending(out, false);
            }

            @Override
            public Pending add(Pending shortcut, Pending main, int size) {
                String out = next("add");
                onnx.add(shortcut.plain(), main.plain(), out);
                return new Pending(out, false);
            }

            @Override
            public Pending head(Pending in, int h, int w, int c, float[] kernel, float[] bias, int units) {
                onnx.node("GlobalAveragePool", List.of(in.plain()), "gap");
                onnx.node("Flatten", List.of("gap"), "flatten", OnnxWriter.intAttribute("axis", 1));
                onnx.initializer("logits.weight", kernel, c, units);
                onnx.initializer("logits.bias", bias, units);
                onnx.node("Gemm", List.of("flatten", "logits.weight", "logits.bias"), "logits");
                onnx.node("Softmax", List.of("logits"), "output", OnnxWriter.intAttribute("axis", 1));
                return new Pending("output", false);
            }
        });
        reader.expectEnd();
        return onnx.toBytes();
    }
}
