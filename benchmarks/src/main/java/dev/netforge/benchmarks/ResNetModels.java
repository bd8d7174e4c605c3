package dev.netforge.benchmarks;

import java.util.List;

/**
 * Weights, input, reference output and ONNX export of {@link SmallResNet} (and of
 * {@link SmallResNetUnfused}, which has the same parameter vector), all from one description of the
 * network ({@link #walk}), so the NetForge declaration, the naive reference and the ONNX graph cannot
 * drift apart unnoticed: each is checked against the others before any timing.
 *
 * <p>Seeded ({@link WeightSource.Seeded}, {@code java.util.Random}): convolution kernels He-normal
 * ({@code N(0, 2 / fanIn)}), no conv
 * biases, BatchNormalization gamma in [0.5, 1), beta and moving mean in [-0.1, 0.1), moving variance in
 * [0.5, 1.5), epsilon 1e-3 (Keras's default); Dense He-normal with a bias in [-0.1, 0.1); input in [0, 1).
 *
 * <p>The ONNX graph has each BatchNormalization folded into the convolution before it (kernel times
 * {@code gamma / sqrt(variance + epsilon)} per filter, bias {@code beta - mean * that}), as exporters
 * do for inference (PyTorch's {@code torch.onnx.export} in eval mode, tf2onnx), and as NetForge folds
 * it; ONNX Runtime's own Conv+BatchNormalization fusion would do the same. Its Add and Relu nodes are
 * left for ONNX Runtime to fuse into the convolution (its {@code FusedConv}, at the optimisation level
 * the benchmark sets).
 */
final class ResNetModels {
    static final long[] ONNX_INPUT_SHAPE = {1, 3, 32, 32};
    static final double EPSILON = 1e-3;
    private static final long WEIGHTS_SEED = 20_251_101L;
    private static final long INPUT_SEED = 20_251_102L;
    private static final int[] STAGE_FILTERS = {16, 32, 64};
    private static final int BLOCKS_PER_STAGE = 2;
    private static final int CLASSES = 10;

    private ResNetModels() {
    }

    /** What {@link #walk} builds: tensors of type {@code T}, NHWC shapes given with each call. */
    interface Graph<T> {
        T input();

        /**
         * A 'same' convolution without bias of the h x w x c tensor {@code in} with a k x k kernel of
         * {@code f} filters at stride {@code stride}, then its BatchNormalization.
         */
        T convNorm(T in, int h, int w, int c, int f, int k, int stride, float[] kernel, float[] norm);

        T add(T shortcut, T main, int size);

        T relu(T in, int size);

        /** Global average pooling of the h x w x c tensor, Dense to {@code units}, softmax. */
        T head(T in, int h, int w, int c, float[] kernel, float[] bias, int units);
    }

    /** The network, in {@link SmallResNet}'s declaration order. */
    static <T> T walk(WeightSource source, Graph<T> graph) {
        int h = 32;
        int c = 16;
        T x = graph.relu(graph.convNorm(graph.input(), 32, 32, 3, c, 3, 1, source.kernel(27, 27 * c), source.norm(c)),
                h * h * c);
        for (int stage = 0; stage < STAGE_FILTERS.length; stage++) {
            int f = STAGE_FILTERS[stage];
            for (int block = 0; block < BLOCKS_PER_STAGE; block++) {
                int stride = stage > 0 && block == 0 ? 2 : 1;
                int oh = (h + stride - 1) / stride;
                T a = graph.relu(graph.convNorm(x, h, h, c, f, 3, stride, source.kernel(9 * c, 9 * c * f),
                        source.norm(f)), oh * oh * f);
                T main = graph.convNorm(a, oh, oh, f, f, 3, 1, source.kernel(9 * f, 9 * f * f), source.norm(f));
                T shortcut = stride == 1 ? x
                        : graph.convNorm(x, h, h, c, f, 1, stride, source.kernel(c, c * f), source.norm(f));
                x = graph.relu(graph.add(shortcut, main, oh * oh * f), oh * oh * f);
                h = oh;
                c = f;
            }
        }
        return graph.head(x, h, h, c, source.kernel(c, c * CLASSES), source.bias(CLASSES), CLASSES);
    }

    /** The parameter vector, in NetForge's order (SEMANTICS.md). */
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
            public Void add(Void shortcut, Void main, int size) {
                return null;
            }

            @Override
            public Void relu(Void in, int size) {
                return null;
            }

            @Override
            public Void head(Void in, int h, int w, int c, float[] kernel, float[] bias, int units) {
                return null;
            }
        });
        float[] parameters = seeded.parameters();
        if (parameters.length != SmallResNetForward.PARAMETER_COUNT
                || parameters.length != SmallResNetUnfusedForward.PARAMETER_COUNT) {
            throw new IllegalStateException("generated " + parameters.length + " parameters, SmallResNet has "
                    + SmallResNetForward.PARAMETER_COUNT);
        }
        return parameters;
    }

    /** A 32x32x3 image, channels last. */
    static float[] input() {
        return SyntheticModels.uniformInput(INPUT_SEED, 32 * 32 * 3);
    }

    /**
     * The textbook computation of the network on {@code input}: every layer on its own, the
     * BatchNormalizations applied as written (not folded), sums in double, tensors stored as float.
     * The reference the benchmark's states check NetForge and ONNX Runtime against.
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
                int top = Math.max(0, (oh - 1) * stride + k - h) / 2; // TensorFlow's 'same': the extra row at the bottom
                int left = Math.max(0, (ow - 1) * stride + k - w) / 2;
                float[] out = new float[oh * ow * f];
                for (int y = 0; y < oh; y++) {
                    for (int x = 0; x < ow; x++) {
                        for (int q = 0; q < f; q++) {
                            double s = 0;
                            for (int i = 0; i < k; i++) {
                                int iy = y * stride + i - top;
                                for (int j = 0; j < k; j++) {
                                    int ix = x * stride + j - left;
                                    if (iy < 0 || iy >= h || ix < 0 || ix >= w) {
                                        continue;
                                    }
                                    for (int ci = 0; ci < c; ci++) {
                                        s += (double) in[(iy * w + ix) * c + ci] * kernel[((i * k + j) * c + ci) * f + q];
                                    }
                                }
                            }
                            float conv = (float) s;
                            double normed = (conv - norm[2 * f + q]) / Math.sqrt(norm[3 * f + q] + EPSILON) * norm[q]
                                    + norm[f + q];
                            out[(y * ow + x) * f + q] = (float) normed;
                        }
                    }
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
            public float[] relu(float[] in, int size) {
                float[] out = new float[size];
                for (int i = 0; i < size; i++) {
                    out[i] = Math.max(in[i], 0f);
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
                float[] out = new float[units];
                NaiveLayers.dense(pooled, c, kernel, bias, units, out, false);
                NaiveLayers.softmax(out);
                return out;
            }
        });
        reader.expectEnd();
        return output;
    }

    /** {@link #reference} on {@link #parameters()} and {@link #input()}. */
    static float[] reference() {
        return reference(parameters(), input());
    }

    /**
     * The network as an ONNX model with input {@link #ONNX_INPUT_SHAPE} (NCHW): Conv (BatchNormalization
     * folded in, kernels permuted from HWIO to OIHW, TensorFlow's 'same' padding as explicit pads, the
     * extra row and column at the end for the strided 3x3 convolutions), Add, Relu, GlobalAveragePool,
     * Flatten, Gemm, Softmax.
     */
    static byte[] onnx(float[] parameters) {
        OnnxWriter onnx = new OnnxWriter().input("input", ONNX_INPUT_SHAPE)
                .output("output", SyntheticModels.ONNX_OUTPUT_SHAPE);
        int[] counter = {0};
        WeightSource.Reader reader = new WeightSource.Reader(parameters);
        walk(reader, new Graph<String>() {
            private String next(String kind) {
                return kind + counter[0]++;
            }

            @Override
            public String input() {
                return "input";
            }

            @Override
            public String convNorm(String in, int h, int w, int c, int f, int k, int stride, float[] kernel,
                    float[] norm) {
                int oh = (h + stride - 1) / stride;
                int ow = (w + stride - 1) / stride;
                int padH = Math.max(0, (oh - 1) * stride + k - h);
                int padW = Math.max(0, (ow - 1) * stride + k - w);
                float[] oihw = SyntheticModels.hwioToOihw(kernel, k, k, c, f);
                float[] bias = new float[f];
                int perFilter = c * k * k;
                for (int q = 0; q < f; q++) {
                    double scale = norm[q] / Math.sqrt((double) norm[3 * f + q] + EPSILON);
                    for (int i = 0; i < perFilter; i++) {
                        oihw[q * perFilter + i] = (float) (oihw[q * perFilter + i] * scale);
                    }
                    bias[q] = (float) (norm[f + q] - norm[2 * f + q] * scale);
                }
                String out = next("conv");
                onnx.initializer(out + ".weight", oihw, f, c, k, k);
                onnx.initializer(out + ".bias", bias, f);
                onnx.node("Conv", List.of(in, out + ".weight", out + ".bias"), out,
                        OnnxWriter.intsAttribute("kernel_shape", k, k),
                        OnnxWriter.intsAttribute("pads", padH / 2, padW / 2, padH - padH / 2, padW - padW / 2),
                        OnnxWriter.intsAttribute("strides", stride, stride));
                return out;
            }

            @Override
            public String add(String shortcut, String main, int size) {
                String out = next("add");
                onnx.add(shortcut, main, out);
                return out;
            }

            @Override
            public String relu(String in, int size) {
                String out = next("relu");
                onnx.node("Relu", List.of(in), out);
                return out;
            }

            @Override
            public String head(String in, int h, int w, int c, float[] kernel, float[] bias, int units) {
                onnx.node("GlobalAveragePool", List.of(in), "gap");
                onnx.node("Flatten", List.of("gap"), "flatten", OnnxWriter.intAttribute("axis", 1));
                onnx.initializer("logits.weight", kernel, c, units);
                onnx.initializer("logits.bias", bias, units);
                onnx.node("Gemm", List.of("flatten", "logits.weight", "logits.bias"), "logits");
                onnx.node("Softmax", List.of("logits"), "output", OnnxWriter.intAttribute("axis", 1));
                return "output";
            }
        });
        reader.expectEnd();
        return onnx.toBytes();
    }
}
