package dev.netforge.processor.writer;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeName;
import dev.netforge.Activation;
import dev.netforge.processor.model.LayerSpec;
import dev.netforge.processor.model.LayerSpec.ActivationSpec;
import dev.netforge.processor.model.LayerSpec.BatchNormalizationSpec;
import dev.netforge.processor.model.LayerSpec.Conv2DSpec;
import dev.netforge.processor.model.LayerSpec.DenseSpec;
import dev.netforge.processor.model.LayerSpec.DepthwiseConv2DSpec;
import dev.netforge.processor.model.LayerSpec.GlobalPoolSpec;
import dev.netforge.processor.model.LayerSpec.Conv2DTransposeSpec;
import dev.netforge.processor.model.LayerSpec.LeakyReLUSpec;
import dev.netforge.processor.model.LayerSpec.MergeSpec;
import dev.netforge.processor.model.LayerSpec.SeparableConv2DSpec;
import dev.netforge.processor.model.LayerSpec.UpSamplingSpec;
import dev.netforge.processor.model.LayerSpec.PoolSpec;
import dev.netforge.processor.model.LayerSpec.ZeroPaddingSpec;
import dev.netforge.processor.model.Shape;
import dev.netforge.processor.model.Window;
import dev.netforge.processor.writer.MemoryPlan.Step;
import java.util.ArrayList;
import java.util.List;
import javax.lang.model.element.Modifier;

/**
 * Writes one specialised static method per step: every size a literal, loops with constant bounds,
 * small windows unrolled; the hot convolutions and Dense layers call the runtime's kernels with
 * constant arguments. A method's size does not grow with the layer's sizes (only with the
 * window when unrolled, which is capped), so it stays far below HotSpot's 8,000-byte limit for any
 * accepted model.
 *
 * <p>Generated loops (dilated convolutions, depthwise convolutions, pooling) put the output
 * channels innermost, with unit stride in both the weights and the output.
 */
final class LayerWriter {
    /** Kernel rows unrolled up to this height; taller kernels keep a loop. */
    static final int MAX_UNROLLED_ROWS = 7;
    /** Pool windows unrolled up to this many cells. */
    static final int MAX_UNROLLED_CELLS = 16;

    private static final TypeName FLOATS = ArrayTypeName.of(TypeName.FLOAT);

    private LayerWriter() {
    }

    /** The names of the prepared weight arrays a step's method takes, in order. */
    static List<String> weightParameters(Step step) {
        // a folded BatchNormalization gives a layer without bias one
        boolean bias = step.layer().useBias() || step.foldedNorm() != null;
        List<String> kernelAndBias = bias ? List.of("kernel", "bias") : List.of("kernel");
        return step.layer().accept(new LayerSpec.Visitor<List<String>>() {
            @Override
            public List<String> conv2D(Conv2DSpec layer) {
                return kernelAndBias;
            }

            @Override
            public List<String> depthwiseConv2D(DepthwiseConv2DSpec layer) {
                return kernelAndBias;
            }

            @Override
            public List<String> pool(PoolSpec layer) {
                return List.of();
            }

            @Override
            public List<String> globalPool(GlobalPoolSpec layer) {
                return List.of();
            }

            @Override
            public List<String> flatten(LayerSpec.FlattenSpec layer) {
                return List.of();
            }

            @Override
            public List<String> dense(DenseSpec layer) {
                return kernelAndBias;
            }

            @Override
            public List<String> batchNormalization(BatchNormalizationSpec layer) {
                return List.of("scale", "shift");
            }

            @Override
            public List<String> zeroPadding(ZeroPaddingSpec layer) {
                return List.of();
            }

            @Override
            public List<String> dropout(LayerSpec.DropoutSpec layer) {
                return List.of();
            }

            @Override
            public List<String> activation(ActivationSpec layer) {
                return List.of();
            }

            @Override
            public List<String> merge(MergeSpec layer) {
                return List.of();
            }

            @Override
            public List<String> upSampling(UpSamplingSpec layer) {
                return List.of();
            }

            @Override
            public List<String> conv2DTranspose(Conv2DTransposeSpec layer) {
                return kernelAndBias;
            }

            @Override
            public List<String> separableConv2D(SeparableConv2DSpec layer) {
                return layer.useBias() ? List.of("depthwiseKernel", "pointwiseKernel", "bias")
                        : List.of("depthwiseKernel", "pointwiseKernel");
            }

            @Override
            public List<String> reshape(LayerSpec.ReshapeSpec layer) {
                return List.of();
            }

            @Override
            public List<String> leakyReLU(LeakyReLUSpec layer) {
                return List.of();
            }

            @Override
            public List<String> rescaling(LayerSpec.RescalingSpec layer) {
                return List.of();
            }

            @Override
            public List<String> cropping(LayerSpec.CroppingSpec layer) {
                return List.of();
            }
        });
    }

    /** Whether this step's method takes the shared pad array. */
    static boolean usesPadArray(Step step) {
        return step.layer().paddedInputWindow() != null;
    }

    /** Whether the step's method takes the runtime kernels' scratch array (their convolutions do). */
    static boolean usesKernelScratch(Step step) {
        return usesKernels(step) && (step.layer() instanceof Conv2DSpec || step.layer() instanceof SeparableConv2DSpec);
    }

    /** Whether the step's method takes the array a separable convolution's depthwise half writes. */
    static boolean usesMiddleArray(Step step) {
        return step.layer() instanceof SeparableConv2DSpec;
    }

    /**
     * Whether a step runs on the runtime's {@code Kernels}: undilated convolutions (with a fused max
     * pool) and Dense layers, the hot loops. Their register-blocked plain-Java implementation is
     * about 2x faster than loops C2 would compile here (on JDK 17 C2 does not vectorise a
     * multiply-add across two float arrays at different offsets), and the Vector API one is used
     * when the JVM has {@code jdk.incubator.vector}.
     */
    static boolean usesKernels(Step step) {
        return step.layer() instanceof DenseSpec || step.layer() instanceof SeparableConv2DSpec
                || step.layer() instanceof Conv2DSpec conv && !conv.window().dilated();
    }

    /**
     * The method computing {@code step}: {@code (in[, residual], out[, padded][, kernelScratch], weights...)}
     * ({@code residual} for a step with a fused Add: the Add's other input).
     * Sizes are literals; a convolution on the kernels is a pad copy (when padded), one kernel call
     * with constant arguments, and the activation the kernel does not apply.
     */
    static MethodSpec method(String name, Step step, String description) {
        if (step.layer() instanceof MergeSpec) {
            return MergeWriter.method(name, step, description);
        }
        MethodSpec.Builder method = MethodSpec.methodBuilder(name)
                .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
                .addJavadoc("$L\n", description)
                .addParameter(FLOATS, "in");
        if (step.fusedAdd() != null) {
            method.addParameter(FLOATS, "residual");
        }
        method.addParameter(FLOATS, "out");
        if (usesPadArray(step)) {
            method.addParameter(FLOATS, "padded");
        }
        if (usesMiddleArray(step)) {
            method.addParameter(FLOATS, "middle");
        }
        if (usesKernelScratch(step)) {
            method.addParameter(FLOATS, "kernelScratch");
        }
        for (String weight : weightParameters(step)) {
            method.addParameter(FLOATS, weight);
        }
        return method.addCode(body(step)).build();
    }

    /** The statements of a step's method, by kind. */
    private static CodeBlock body(Step step) {
        Activation activation = step.activation();
        boolean bias = weightParameters(step).contains("bias");
        return step.layer().accept(new LayerSpec.Visitor<CodeBlock>() {
            @Override
            public CodeBlock conv2D(Conv2DSpec conv) {
                return usesKernels(step) ? conv2DOnKernels(conv, step, bias, activation)
                        : LayerWriter.conv2D(conv, bias, activation);
            }

            @Override
            public CodeBlock depthwiseConv2D(DepthwiseConv2DSpec depthwise) {
                return depthwise(depthwise, bias, activation);
            }

            @Override
            public CodeBlock pool(PoolSpec pool) {
                return LayerWriter.pool(pool);
            }

            @Override
            public CodeBlock globalPool(GlobalPoolSpec global) {
                return LayerWriter.globalPool(global);
            }

            @Override
            public CodeBlock flatten(LayerSpec.FlattenSpec layer) {
                throw new IllegalStateException("Flatten moves no data and has no step");
            }

            @Override
            public CodeBlock dense(DenseSpec dense) {
                CodeBlock.Builder code = CodeBlock.builder().addStatement("KERNELS.dense(in, $L, kernel, $L, $L, out, $L)",
                        dense.input().size(), dense.units(), bias ? "bias" : "null", activation == Activation.RELU);
                if (activation != Activation.RELU) {
                    code.add(ActivationWriter.applyInPlace(activation, "out", "0", dense.units()));
                }
                return code.build();
            }

            @Override
            public CodeBlock batchNormalization(BatchNormalizationSpec norm) {
                return LayerWriter.batchNormalization(norm, activation);
            }

            @Override
            public CodeBlock zeroPadding(ZeroPaddingSpec padding) {
                return padCopy("out", padding.input(), padding.top(), padding.bottom(), padding.left(), padding.right());
            }

            @Override
            public CodeBlock dropout(LayerSpec.DropoutSpec layer) {
                throw new IllegalStateException("Dropout moves no data and has no step");
            }

            @Override
            public CodeBlock activation(ActivationSpec act) {
                return CodeBlock.builder().addStatement("System.arraycopy(in, 0, out, 0, $L)", act.input().size())
                        .add(ActivationWriter.applyToTensor(activation, "out", act.output())).build();
            }

            @Override
            public CodeBlock merge(MergeSpec merge) {
                throw new IllegalStateException("a merge's method is MergeWriter's");
            }

            @Override
            public CodeBlock upSampling(UpSamplingSpec up) {
                return LayerWriter.upSampling(up);
            }

            @Override
            public CodeBlock conv2DTranspose(Conv2DTransposeSpec transpose) {
                return LayerWriter.conv2DTranspose(transpose, bias, activation);
            }

            @Override
            public CodeBlock separableConv2D(SeparableConv2DSpec separable) {
                return LayerWriter.separable(separable, bias, activation);
            }

            @Override
            public CodeBlock reshape(LayerSpec.ReshapeSpec layer) {
                throw new IllegalStateException("Reshape moves no data and has no step");
            }

            @Override
            public CodeBlock leakyReLU(LeakyReLUSpec leaky) {
                return LayerWriter.leakyReLU(leaky);
            }

            @Override
            public CodeBlock rescaling(LayerSpec.RescalingSpec rescaling) {
                return CodeBlock.builder()
                        .beginControlFlow("for (int i = 0; i < $L; i++)", rescaling.output().size())
                        .addStatement("out[i] = in[i] * $Lf + $Lf", rescaling.scale(), rescaling.offset())
                        .endControlFlow()
                        .build();
            }

            @Override
            public CodeBlock cropping(LayerSpec.CroppingSpec cropping) {
                Shape in = cropping.input();
                Shape out = cropping.output();
                long rowLength = (long) out.width() * out.channels();
                return CodeBlock.builder()
                        .beginControlFlow("for (int h = 0; h < $L; h++)", out.height())
                        .addStatement("System.arraycopy(in, ((h + $L) * $L + $L) * $L, out, h * $L, $L)", cropping.top(),
                                in.width(), cropping.left(), in.channels(), rowLength, rowLength)
                        .endControlFlow()
                        .build();
            }
        });
    }

    /**
     * An undilated convolution on the runtime kernels: a pad copy when padded, one kernel call with
     * constant arguments, and the activation the kernel does not apply; with a fused max pool the
     * kernels compute only the outputs the pool reads; with a fused Add they add {@code residual} to
     * each output as they store it (before the ReLU).
     */
    private static CodeBlock conv2DOnKernels(Conv2DSpec conv, Step step, boolean bias, Activation activation) {
        CodeBlock.Builder method = CodeBlock.builder();
        Window window = conv.window();
        Source source = Source.of(conv, window);
        method.add(source.preparation());
        PoolSpec pool = step.fusedPool();
        if (pool != null) {
            method.addStatement("KERNELS.conv2dMaxPool($L, $L, $L, $L, kernel, $L, $L, $L, $L, $L, $L, $L, $L, $L, $L,"
                            + " out, $L, $L, $L, kernelScratch)", source.array(), source.height(), source.width(),
                    conv.input().channels(), window.height(), window.width(), conv.filters(),
                    bias ? "bias" : "null", window.strideHeight(), window.strideWidth(),
                    pool.window().height(), pool.window().width(), pool.window().strideHeight(),
                    pool.window().strideWidth(), pool.output().height(), pool.output().width(),
                    activation == Activation.RELU);
        } else if (step.fusedAdd() != null) {
            method.addStatement("KERNELS.conv2d($L, $L, $L, $L, kernel, $L, $L, $L, $L, $L, $L, out, $L, $L, residual,"
                            + " $L, kernelScratch)", source.array(), source.height(), source.width(),
                    conv.input().channels(), window.height(), window.width(), conv.filters(),
                    bias ? "bias" : "null", window.strideHeight(), window.strideWidth(), conv.output().height(),
                    conv.output().width(), activation == Activation.RELU);
        } else {
            method.addStatement("KERNELS.conv2d($L, $L, $L, $L, kernel, $L, $L, $L, $L, $L, $L, out, $L, $L, $L,"
                            + " kernelScratch)", source.array(), source.height(), source.width(),
                    conv.input().channels(), window.height(), window.width(), conv.filters(),
                    bias ? "bias" : "null", window.strideHeight(), window.strideWidth(), conv.output().height(),
                    conv.output().width(), activation == Activation.RELU);
        }
        if (activation != Activation.RELU) {
            method.add(ActivationWriter.applyToTensor(activation, "out", step.output()));
        }
        return method.build();
    }

    static String describe(LayerSpec layer) {
        if (layer instanceof MergeSpec merge) {
            StringBuilder inputs = new StringBuilder();
            for (Shape in : merge.inputs()) {
                inputs.append(inputs.length() > 0 ? " + " : "").append(in);
            }
            return layer.kerasName() + " of " + merge.inputs().size() + " inputs, " + inputs + " -> " + layer.output();
        }
        String shapes = layer.input() + " -> " + layer.output();
        if (layer instanceof Conv2DSpec conv) {
            return "Conv2D " + conv.filters() + " filters " + conv.window().describe()
                    + (conv.window().padded() ? " same" : "") + ", " + shapes + (conv.useBias() ? "" : ", no bias");
        } else if (layer instanceof DepthwiseConv2DSpec depthwise) {
            return "DepthwiseConv2D x" + depthwise.depthMultiplier() + " " + depthwise.window().describe()
                    + (depthwise.window().padded() ? " same" : "") + ", " + shapes
                    + (depthwise.useBias() ? "" : ", no bias");
        } else if (layer instanceof PoolSpec pool) {
            return layer.kerasName() + " " + pool.window().describe() + (pool.window().padded() ? " same" : "")
                    + ", " + shapes;
        } else if (layer instanceof DenseSpec dense) {
            return "Dense " + dense.units() + ", " + shapes + (dense.useBias() ? "" : ", no bias");
        } else if (layer instanceof Conv2DTransposeSpec transpose) {
            return "Conv2DTranspose " + transpose.filters() + " filters " + transpose.window().describe()
                    + (transpose.window().padded() ? " same" : "") + ", " + shapes;
        } else if (layer instanceof SeparableConv2DSpec separable) {
            return "SeparableConv2D " + separable.filters() + " filters " + separable.window().describe()
                    + (separable.depthMultiplier() == 1 ? "" : " x" + separable.depthMultiplier())
                    + (separable.window().padded() ? " same" : "") + ", " + shapes;
        }
        return layer.kerasName() + ", " + shapes;
    }

    /**
     * Writes {@code input} inside a zero border into {@code target}, rewriting the whole padded
     * region: the pad array is shared by every padded layer, so no cell may keep another layer's data.
     */
    private static CodeBlock padCopy(String target, Shape input, int top, int bottom, int left, int right) {
        int channels = input.channels();
        long paddedRow = ((long) input.width() + left + right) * channels;
        long rowLength = (long) input.width() * channels;
        long leftRun = (long) left * channels, rightRun = (long) right * channels;
        CodeBlock.Builder code = CodeBlock.builder()
                .add("// zero border: $L top, $L bottom, $L left, $L right\n", top, bottom, left, right);
        if (top > 0) {
            code.addStatement("java.util.Arrays.fill($L, 0, $L, 0f)", target, top * paddedRow);
        }
        code.beginControlFlow("for (int h = 0; h < $L; h++)", input.height())
                .addStatement("int row = $L", top == 0 ? "h * " + paddedRow : "(h + " + top + ") * " + paddedRow);
        if (leftRun > 0) {
            code.addStatement("java.util.Arrays.fill($L, row, row + $L, 0f)", target, leftRun);
        }
        code.addStatement("System.arraycopy(in, h * $L, $L, row + $L, $L)", rowLength, target, leftRun, rowLength);
        if (rightRun > 0) {
            code.addStatement("java.util.Arrays.fill($L, row + $L, row + $L, 0f)", target, leftRun + rowLength,
                    leftRun + rowLength + rightRun);
        }
        code.endControlFlow();
        if (bottom > 0) {
            long from = (top + (long) input.height()) * paddedRow;
            code.addStatement("java.util.Arrays.fill($L, $L, $L, 0f)", target, from, from + bottom * paddedRow);
        }
        return code.build();
    }

    /** The input a convolution slides over: the caller's, or the padded copy. */
    private record Source(String array, int height, int width, CodeBlock preparation) {
        static Source of(LayerSpec layer, Window window) {
            Shape in = layer.input();
            if (!window.padded()) {
                return new Source("in", in.height(), in.width(), CodeBlock.builder().build());
            }
            return new Source("padded", in.height() + window.padTop() + window.padBottom(),
                    in.width() + window.padLeft() + window.padRight(),
                    padCopy("padded", in, window.padTop(), window.padBottom(), window.padLeft(), window.padRight()));
        }
    }

    private static CodeBlock conv2D(Conv2DSpec conv, boolean bias, Activation activation) {
        Window window = conv.window();
        int channels = conv.input().channels();
        int filters = conv.filters();
        Source source = Source.of(conv, window);
        CodeBlock.Builder code = CodeBlock.builder().add(source.preparation());
        long rowStride = (long) source.width() * channels; // input elements per image row
        pixelLoopStart(code, conv.output(), rowStride, window, channels, bias);
        // A kernel row reads KW x CIN contiguous inputs when undilated, else KW runs of CIN.
        long run = window.dilationWidth() == 1 ? (long) window.width() * channels : channels;
        int runs = window.dilationWidth() == 1 ? 1 : window.width();
        long runStride = (long) window.dilationWidth() * channels;
        long kernelRow = (long) window.width() * channels;
        long rowStep = rowStride * window.dilationHeight();
        if (window.height() <= MAX_UNROLLED_ROWS) {
            for (int kh = 0; kh < window.height(); kh++) {
                code.add("// kernel row $L\n", kh);
                code.add(kernelRow(source.array(), offset(rowStep * kh), offset(kernelRow * kh), run, runs, runStride,
                        filters));
            }
        } else {
            code.beginControlFlow("for (int kh = 0; kh < $L; kh++)", window.height())
                    .add(kernelRow(source.array(), " + kh * " + rowStep, " + kh * " + kernelRow, run, runs, runStride,
                            filters))
                    .endControlFlow();
        }
        code.add(ActivationWriter.applyInPlace(activation, "out", "o", filters));
        return code.endControlFlow().endControlFlow().build();
    }

    /**
     * Opens {@code for oh, for ow}, sets {@code o} (first output of the pixel) and {@code i} (the
     * window's top-left input) and starts the pixel's outputs at the bias or zero.
     */
    private static void pixelLoopStart(CodeBlock.Builder code, Shape out, long rowStride, Window window,
                                       int inputChannels, boolean bias) {
        pixelLoopStart(code, out, rowStride, window, inputChannels, bias, "out");
    }

    private static void pixelLoopStart(CodeBlock.Builder code, Shape out, long rowStride, Window window,
                                       int inputChannels, boolean bias, String target) {
        code.beginControlFlow("for (int oh = 0; oh < $L; oh++)", out.height())
                .beginControlFlow("for (int ow = 0; ow < $L; ow++)", out.width())
                .addStatement("int o = (oh * $L + ow) * $L", out.width(), out.channels());
        if (bias) {
            code.addStatement("System.arraycopy(bias, 0, $L, o, $L)", target, out.channels());
        } else {
            code.addStatement("java.util.Arrays.fill($L, o, o + $L, 0f)", target, out.channels());
        }
        code.addStatement("int i = oh * $L + ow * $L", step(rowStride * window.strideHeight(), out.height()),
                step((long) window.strideWidth() * inputChannels, out.width()));
    }

    /** {@code " + 96"}, or nothing for 0, so generated index expressions stay readable. */
    private static String offset(long value) {
        return value == 0 ? "" : " + " + value;
    }

    /** One kernel row: {@code runs} runs of {@code run} contiguous inputs, each scaled into all F outputs. */
    private static CodeBlock kernelRow(String source, String inputOffset, String kernelRowOffset, long run,
                                       int runs, long runStride, int filters) {
        CodeBlock.Builder code = CodeBlock.builder();
        String runOffset = "";
        String kernelRunOffset = "";
        if (runs > 1) {
            code.beginControlFlow("for (int kw = 0; kw < $L; kw++)", runs);
            runOffset = " + kw * " + runStride;
            kernelRunOffset = " + kw * " + run;
        }
        code.beginControlFlow("for (int j = 0; j < $L; j++)", run)
                .addStatement("float x = $L[i$L$L + j]", source, inputOffset, runOffset)
                .addStatement("int k = (j$L$L) * $L", kernelRowOffset, kernelRunOffset, filters)
                .beginControlFlow("for (int f = 0; f < $L; f++)", filters)
                .addStatement("out[o + f] += x * kernel[k + f]")
                .endControlFlow()
                .endControlFlow();
        if (runs > 1) {
            code.endControlFlow();
        }
        return code.build();
    }

    private static CodeBlock depthwise(DepthwiseConv2DSpec conv, boolean bias, Activation activation) {
        return depthwise(conv, bias, activation, "out", "kernel");
    }

    /** A depthwise convolution into {@code target} with the kernel {@code kernel}. */
    private static CodeBlock depthwise(DepthwiseConv2DSpec conv, boolean bias, Activation activation, String target,
                                       String kernel) {
        Window window = conv.window();
        int channels = conv.input().channels();
        int multiplier = conv.depthMultiplier();
        Source source = Source.of(conv, window);
        CodeBlock.Builder code = CodeBlock.builder().add(source.preparation());
        long rowStride = (long) source.width() * channels;
        pixelLoopStart(code, conv.output(), rowStride, window, channels, bias, target);
        code.beginControlFlow("for (int kh = 0; kh < $L; kh++)", window.height())
                .beginControlFlow("for (int kw = 0; kw < $L; kw++)", window.width())
                .addStatement("int t = i + kh * $L + kw * $L",
                        window.height() == 1 ? 0 : rowStride * window.dilationHeight(),
                        window.width() == 1 ? 0 : (long) window.dilationWidth() * channels)
                .addStatement("int k = (kh * $L + kw) * $L", window.width(), (long) channels * multiplier);
        if (multiplier == 1) {
            code.beginControlFlow("for (int c = 0; c < $L; c++)", channels)
                    .addStatement("$L[o + c] += $L[t + c] * $L[k + c]", target, source.array(), kernel)
                    .endControlFlow();
        } else {
            code.beginControlFlow("for (int c = 0; c < $L; c++)", channels)
                    .addStatement("float x = $L[t + c]", source.array())
                    .addStatement("int m0 = c * $L", multiplier)
                    .beginControlFlow("for (int m = 0; m < $L; m++)", multiplier)
                    .addStatement("$L[o + m0 + m] += x * $L[k + m0 + m]", target, kernel)
                    .endControlFlow()
                    .endControlFlow();
        }
        code.endControlFlow().endControlFlow();
        code.add(ActivationWriter.applyInPlace(activation, target, "o", conv.output().channels()));
        return code.endControlFlow().endControlFlow().build();
    }

    /**
     * The depthwise half into {@code middle} (no bias, no activation), then the pointwise 1x1
     * convolution on the kernels with the bias and the activation.
     */
    private static CodeBlock separable(SeparableConv2DSpec conv, boolean bias, Activation activation) {
        Shape middle = conv.depthwiseOutput();
        DepthwiseConv2DSpec depthwise = new DepthwiseConv2DSpec(conv.name(), conv.input(), middle,
                conv.depthMultiplier(), conv.window(), Activation.LINEAR, false);
        return CodeBlock.builder()
                .add("// depthwise: $L -> $L\n", conv.input(), middle)
                .add(depthwise(depthwise, false, Activation.LINEAR, "middle", "depthwiseKernel"))
                .add("// pointwise: 1x1 convolution to $L filters\n", conv.filters())
                .addStatement("KERNELS.conv2d(middle, $L, $L, $L, pointwiseKernel, 1, 1, $L, $L, 1, 1, out, $L, $L, $L,"
                                + " kernelScratch)", middle.height(), middle.width(), middle.channels(), conv.filters(),
                        bias ? "bias" : "null", middle.height(), middle.width(), activation == Activation.RELU)
                .add(activation == Activation.RELU ? CodeBlock.builder().build()
                        : ActivationWriter.applyToTensor(activation, "out", conv.output()))
                .build();
    }

    /**
     * A transposed convolution: every input pixel adds its kernel-weighted values to the outputs
     * its window covers, {@code (y * S + kh - top, x * S + kw - left)}; outputs outside are cropped.
     * Kernel {@code (KH, KW, F, CIN)}, so the innermost loop over input channels reads it contiguously.
     */
    private static CodeBlock conv2DTranspose(Conv2DTransposeSpec conv, boolean bias, Activation activation) {
        Window window = conv.window();
        Shape in = conv.input();
        Shape out = conv.output();
        int channels = in.channels();
        int filters = conv.filters();
        CodeBlock.Builder code = CodeBlock.builder();
        if (bias) {
            code.beginControlFlow("for (int p = 0; p < $L; p++)", out.height() * out.width())
                    .addStatement("System.arraycopy(bias, 0, out, p * $L, $L)", filters, filters)
                    .endControlFlow();
        } else {
            code.addStatement("java.util.Arrays.fill(out, 0, $L, 0f)", out.size());
        }
        code.beginControlFlow("for (int y = 0; y < $L; y++)", in.height())
                .beginControlFlow("for (int x = 0; x < $L; x++)", in.width())
                .addStatement("int i = (y * $L + x) * $L", in.width(), channels)
                .beginControlFlow("for (int kh = 0; kh < $L; kh++)", window.height())
                .addStatement("int oh = y * $L + kh - $L", window.strideHeight(), window.padTop())
                .beginControlFlow("if (oh < 0 || oh >= $L)", out.height())
                .addStatement("continue")
                .endControlFlow()
                .beginControlFlow("for (int kw = 0; kw < $L; kw++)", window.width())
                .addStatement("int ow = x * $L + kw - $L", window.strideWidth(), window.padLeft())
                .beginControlFlow("if (ow < 0 || ow >= $L)", out.width())
                .addStatement("continue")
                .endControlFlow()
                .addStatement("int o = (oh * $L + ow) * $L", out.width(), filters)
                .addStatement("int k = (kh * $L + kw) * $L", window.width(), (long) filters * channels)
                .beginControlFlow("for (int f = 0; f < $L; f++)", filters)
                .addStatement("float sum = 0f")
                .addStatement("int kf = k + f * $L", channels)
                .beginControlFlow("for (int c = 0; c < $L; c++)", channels)
                .addStatement("sum += in[i + c] * kernel[kf + c]")
                .endControlFlow()
                .addStatement("out[o + f] += sum")
                .endControlFlow()
                .endControlFlow()
                .endControlFlow()
                .endControlFlow()
                .endControlFlow();
        return code.add(ActivationWriter.applyToTensor(activation, "out", out)).build();
    }

    private static CodeBlock upSampling(UpSamplingSpec up) {
        Shape in = up.input();
        Shape out = up.output();
        int channels = in.channels();
        return CodeBlock.builder()
                .beginControlFlow("for (int oh = 0; oh < $L; oh++)", out.height())
                .addStatement("int row = (oh / $L) * $L", up.rows(), (long) in.width() * channels)
                .beginControlFlow("for (int ow = 0; ow < $L; ow++)", out.width())
                .addStatement("System.arraycopy(in, row + (ow / $L) * $L, out, (oh * $L + ow) * $L, $L)", up.columns(),
                        channels, out.width(), channels, channels)
                .endControlFlow()
                .endControlFlow()
                .build();
    }

    private static CodeBlock leakyReLU(LeakyReLUSpec leaky) {
        return CodeBlock.builder()
                .beginControlFlow("for (int i = 0; i < $L; i++)", leaky.output().size())
                .addStatement("float x = in[i]")
                .addStatement("out[i] = x >= 0f ? x : $Lf * x", leaky.alpha())
                .endControlFlow()
                .build();
    }

    private static CodeBlock pool(PoolSpec pool) {
        Window window = pool.window();
        boolean average = pool.average();
        int channels = pool.input().channels(), width = pool.input().width(), height = pool.input().height();
        int outHeight = pool.output().height(), outWidth = pool.output().width();
        CodeBlock.Builder code = CodeBlock.builder();
        if (window.padded()) {
            // 'same': clip each window to the real input, so padded cells never take part.
            code.beginControlFlow("for (int oh = 0; oh < $L; oh++)", outHeight)
                    // long: with huge windows or strides the window's ends need not fit an int
                    .addStatement("long top = (long) oh * $L - $L", window.strideHeight(), window.padTop())
                    .addStatement("int hFrom = (int) Math.max(top, 0L)")
                    .addStatement("int hTo = (int) Math.min(top + $L, $L)", window.height(), height)
                    .beginControlFlow("for (int ow = 0; ow < $L; ow++)", outWidth)
                    .addStatement("long left = (long) ow * $L - $L", window.strideWidth(), window.padLeft())
                    .addStatement("int wFrom = (int) Math.max(left, 0L)")
                    .addStatement("int wTo = (int) Math.min(left + $L, $L)", window.width(), width)
                    .addStatement("int o = (oh * $L + ow) * $L", outWidth, channels)
                    .addStatement("java.util.Arrays.fill(out, o, o + $L, $L)", channels,
                            average ? "0f" : "Float.NEGATIVE_INFINITY")
                    .beginControlFlow("for (int h = hFrom; h < hTo; h++)")
                    .beginControlFlow("for (int w = wFrom; w < wTo; w++)")
                    .add(reduceInto("(h * " + width + " + w) * " + channels, channels, average))
                    .endControlFlow()
                    .endControlFlow();
            if (average) {
                code.addStatement("float count = (hTo - hFrom) * (wTo - wFrom)")
                        .beginControlFlow("for (int c = 0; c < $L; c++)", channels)
                        .addStatement("out[o + c] /= count")
                        .endControlFlow();
            }
            return code.endControlFlow().endControlFlow().build();
        }
        long rowStride = (long) width * channels;
        code.beginControlFlow("for (int oh = 0; oh < $L; oh++)", outHeight)
                .beginControlFlow("for (int ow = 0; ow < $L; ow++)", outWidth)
                .addStatement("int o = (oh * $L + ow) * $L", outWidth, channels)
                .addStatement("int i = oh * $L + ow * $L", step(rowStride * window.strideHeight(), outHeight),
                        step((long) window.strideWidth() * channels, outWidth))
                .addStatement("System.arraycopy(in, i, out, o, $L)", channels);
        if ((long) window.height() * window.width() <= MAX_UNROLLED_CELLS) {
            for (int ph = 0; ph < window.height(); ph++) {
                for (int pw = 0; pw < window.width(); pw++) {
                    if (ph != 0 || pw != 0) {
                        code.add(reduceInto("i + " + (ph * rowStride + (long) pw * channels), channels, average));
                    }
                }
            }
        } else {
            code.beginControlFlow("for (int cell = 1; cell < $L; cell++)", window.height() * window.width())
                    .add(reduceInto("i + cell / " + window.width() + " * " + rowStride + " + cell % " + window.width()
                            + " * " + channels, channels, average))
                    .endControlFlow();
        }
        if (average) {
            code.beginControlFlow("for (int c = 0; c < $L; c++)", channels)
                    .addStatement("out[o + c] /= $Lf", window.height() * window.width())
                    .endControlFlow();
        }
        return code.endControlFlow().endControlFlow().build();
    }

    /** {@code out[o + c]} = max or sum of itself and {@code in[from + c]}, over all channels. */
    private static CodeBlock reduceInto(String from, int channels, boolean sum) {
        return CodeBlock.builder()
                .beginControlFlow("for (int c = 0, t = $L; c < $L; c++)", from, channels)
                .addStatement(sum ? "out[o + c] += in[t + c]" : "out[o + c] = Math.max(out[o + c], in[t + c])")
                .endControlFlow()
                .build();
    }

    private static CodeBlock globalPool(GlobalPoolSpec global) {
        int channels = global.input().channels();
        int pixels = global.input().height() * global.input().width();
        CodeBlock.Builder code = CodeBlock.builder()
                .addStatement("System.arraycopy(in, 0, out, 0, $L)", channels)
                .beginControlFlow("for (int p = 1; p < $L; p++)", pixels)
                .addStatement("int o = 0")
                .add(reduceInto("p * " + channels, channels, global.average()))
                .endControlFlow();
        if (global.average()) {
            code.beginControlFlow("for (int c = 0; c < $L; c++)", channels)
                    .addStatement("out[c] /= $Lf", pixels)
                    .endControlFlow();
        }
        return code.build();
    }

    /** {@code out = in * scale + shift} per channel; scale and shift are computed once, from the weights. */
    private static CodeBlock batchNormalization(BatchNormalizationSpec norm, Activation activation) {
        int channels = norm.input().channels();
        int pixels = norm.input().size() / channels;
        return CodeBlock.builder()
                .beginControlFlow("for (int p = 0; p < $L; p++)", pixels)
                .addStatement("int o = p * $L", channels)
                .beginControlFlow("for (int c = 0; c < $L; c++)", channels)
                .addStatement("out[o + c] = in[o + c] * scale[c] + shift[c]")
                .endControlFlow()
                .add(ActivationWriter.applyInPlace(activation, "out", "o", channels))
                .endControlFlow()
                .build();
    }

    /**
     * The input offset between consecutive output rows or columns. With a single output position the
     * index is always 0, and the stride (which may then exceed the input) is not written at all, so
     * every literal fits an {@code int}: with two or more positions it is below the input's size.
     */
    private static long step(long offset, int positions) {
        return positions == 1 ? 0 : offset;
    }
}
