package dev.netforge.processor.writer;

import com.palantir.javapoet.CodeBlock;
import dev.netforge.Activation;
import dev.netforge.processor.kinds.Conv2DKind;
import dev.netforge.processor.kinds.DepthwiseConv2DKind;
import dev.netforge.processor.kinds.PoolKind;
import dev.netforge.processor.kinds.SeparableConv2DKind;
import dev.netforge.processor.model.LayerSpec;
import dev.netforge.processor.model.Shape;
import dev.netforge.processor.model.Window;
import dev.netforge.processor.writer.MemoryPlan.Step;

/**
 * The code of the convolutions: Conv2D (on the runtime kernels, or as generated loops when dilated),
 * DepthwiseConv2D and SeparableConv2D (both halves on the runtime kernels), and the zero-padded copy
 * of an input they (and ZeroPadding2D) slide over. The kinds call it from their {@code body}.
 *
 * <p>Generated loops put the output channels innermost, with unit stride in both the weights and
 * the output.
 */
public final class ConvolutionCode {
    /** Kernel rows unrolled up to this height; taller kernels keep a loop. */
    static final int MAX_UNROLLED_ROWS = 7;

    private ConvolutionCode() {
    }

    /**
     * An undilated convolution on the runtime kernels: a pad copy when padded, one kernel call with
     * constant arguments, and the activation the kernel does not apply; with a fused max pool the
     * kernels compute only the outputs the pool reads; with a fused Add they add {@code residual} to
     * each output as they store it (before the ReLU).
     */
    public static CodeBlock conv2DOnKernels(Conv2DKind.Spec conv, Step step, boolean bias, Activation activation) {
        CodeBlock.Builder method = CodeBlock.builder();
        Window window = conv.window();
        Source source = Source.of(conv, window);
        method.add(source.preparation());
        PoolKind.Spec pool = step.fusedPool();
        if (pool != null) {
            method.addStatement("KERNELS.conv2dMaxPool($L, $L, $L, $L, kernel, $L, $L, $L, $L, $L, $L, $L, $L, $L, $L,"
                            + " out, $L, $L, $L, kernelScratch)", source.array(), source.height(), source.width(),
                    conv.input().channels(), window.height(), window.width(), conv.filters(),
                    bias ? "bias" : "null", window.strideHeight(), window.strideWidth(),
                    pool.window().height(), pool.window().width(), pool.window().strideHeight(),
                    pool.window().strideWidth(), pool.output().height(), pool.output().width(),
                    activation == Activation.RELU);
        } else if (activation == Activation.RELU6) { // the kernels clamp as they store: no pass of its own
            method.addStatement("KERNELS.conv2d($L, $L, $L, $L, kernel, $L, $L, $L, $L, $L, $L, out, $L, $L, $L, true,"
                            + " 6f, kernelScratch)", source.array(), source.height(), source.width(),
                    conv.input().channels(), window.height(), window.width(), conv.filters(),
                    bias ? "bias" : "null", window.strideHeight(), window.strideWidth(), conv.output().height(),
                    conv.output().width(), step.fusedAdd() != null ? "residual" : "null");
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
        if (activation != Activation.RELU && (pool != null || activation != Activation.RELU6)) {
            method.add(ActivationWriter.applyToTensor(activation, "out", step.output()));
        }
        return method.build();
    }

    /**
     * Writes {@code input} inside a zero border into {@code target}, rewriting the whole padded
     * region: the pad array is shared by every padded layer, so no cell may keep another layer's data.
     */
    public static CodeBlock padCopy(String target, Shape input, int top, int bottom, int left, int right) {
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

    public static CodeBlock conv2D(Conv2DKind.Spec conv, boolean bias, Activation activation) {
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
        code.beginControlFlow("for (int oh = 0; oh < $L; oh++)", out.height())
                .beginControlFlow("for (int ow = 0; ow < $L; ow++)", out.width())
                .addStatement("int o = (oh * $L + ow) * $L", out.width(), out.channels());
        if (bias) {
            code.addStatement("System.arraycopy(bias, 0, out, o, $L)", out.channels());
        } else {
            code.addStatement("java.util.Arrays.fill(out, o, o + $L, 0f)", out.channels());
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

    public static CodeBlock depthwise(DepthwiseConv2DKind.Spec conv, boolean bias, Activation activation) {
        return depthwise(conv, bias, activation, "out", "kernel");
    }

    /**
     * A depthwise convolution into {@code target} with the kernel {@code kernel}: one call of the runtime
     * kernels, which read the zero padding in place (no padded copy) and take the kernel as Keras
     * stores it, with ReLU or ReLU6 as their clamp; any other activation a pass of its own after it.
     */
    private static CodeBlock depthwise(DepthwiseConv2DKind.Spec conv, boolean bias, Activation activation, String target,
                                       String kernel) {
        Window window = conv.window();
        String floor = activation == Activation.RELU || activation == Activation.RELU6 ? "0f" : "Float.NEGATIVE_INFINITY";
        String ceiling = activation == Activation.RELU6 ? "6f" : "Float.POSITIVE_INFINITY";
        CodeBlock.Builder code = CodeBlock.builder();
        code.addStatement("KERNELS.depthwiseConv2d(in, $L, $L, $L, $L, $L, $L, $L, $L, $L, $L, $L, $L, $L, $L, $L, $L, $L, $L,"
                        + " $L)", conv.input().height(), conv.input().width(), conv.input().channels(), kernel,
                window.height(), window.width(), conv.depthMultiplier(), window.dilationHeight(),
                window.dilationWidth(), bias ? "bias" : "null", window.strideHeight(), window.strideWidth(),
                window.padTop(), window.padLeft(), target, conv.output().height(), conv.output().width(), floor,
                ceiling);
        if (activation != Activation.LINEAR && activation != Activation.RELU && activation != Activation.RELU6) {
            code.add(ActivationWriter.applyToTensor(activation, target, conv.output()));
        }
        return code.build();
    }

    /**
     * The depthwise half into {@code middle} (no bias, no activation), then the pointwise 1x1
     * convolution on the kernels with the bias and the activation.
     */
    public static CodeBlock separable(SeparableConv2DKind.Spec conv, boolean bias, Activation activation) {
        Shape middle = conv.depthwiseOutput();
        DepthwiseConv2DKind.Spec depthwise = new DepthwiseConv2DKind.Spec(conv.name(), conv.input(), middle,
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
     * The input offset between consecutive output rows or columns. With a single output position the
     * index is always 0, and the stride (which may then exceed the input) is not written at all, so
     * every literal fits an {@code int}: with two or more positions it is below the input's size.
     */
    public static long step(long offset, int positions) {
        return positions == 1 ? 0 : offset;
    }
}
