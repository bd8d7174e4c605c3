package dev.netforge.processor.writer;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeName;
import dev.netforge.processor.model.LayerSpec;
import dev.netforge.processor.model.LayerSpec.Conv2DSpec;
import dev.netforge.processor.model.LayerSpec.DenseSpec;
import dev.netforge.processor.model.LayerSpec.FlattenSpec;
import dev.netforge.processor.model.LayerSpec.MaxPoolSpec;
import dev.netforge.processor.model.Window;
import javax.lang.model.element.Modifier;

/**
 * Writes one specialised static method per computing layer: every size a literal, loops with
 * constant bounds, small windows unrolled. The method's size does not grow with the layer's sizes
 * (only with the window when unrolled, which is capped), so it stays far below HotSpot's 8,000-byte
 * limit for any accepted model.
 *
 * <p>The loops are ordered for C2's auto-vectoriser: the innermost loop runs over output channels
 * (filters, units) with unit stride in both the weights (HWIO, {@code (N, U)}) and the output,
 * reading one scalar input per iteration of the loop around it.
 */
final class LayerWriter {
    /** Kernel rows unrolled up to this height; taller kernels keep a loop. */
    static final int MAX_UNROLLED_ROWS = 7;
    /** Pool windows unrolled up to this many cells. */
    static final int MAX_UNROLLED_CELLS = 16;

    private static final TypeName FLOATS = ArrayTypeName.of(TypeName.FLOAT);

    private LayerWriter() {
    }

    /** The method computing {@code layer}; parameters as {@link #arguments} lists them. */
    static MethodSpec method(String name, LayerSpec layer) {
        MethodSpec.Builder method = MethodSpec.methodBuilder(name)
                .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
                .addJavadoc("$L: $L\n", layer.name(), describe(layer))
                .addParameter(FLOATS, "in")
                .addParameter(FLOATS, "out");
        if (layer instanceof Conv2DSpec conv) {
            if (conv.window().padded()) {
                method.addParameter(FLOATS, "padded");
            }
            method.addParameter(FLOATS, "kernel");
            if (conv.useBias()) {
                method.addParameter(FLOATS, "bias");
            }
            method.addCode(conv2D(conv));
        } else if (layer instanceof DenseSpec dense) {
            method.addParameter(FLOATS, "kernel");
            if (dense.useBias()) {
                method.addParameter(FLOATS, "bias");
            }
            method.addCode(dense(dense));
        } else if (layer instanceof MaxPoolSpec pool) {
            method.addCode(maxPool(pool));
        } else {
            throw new IllegalArgumentException("no code for " + layer);
        }
        return method.build();
    }

    /** Whether this layer's method takes the shared pad array. */
    static boolean usesPadArray(LayerSpec layer) {
        return layer instanceof Conv2DSpec conv && conv.window().padded();
    }

    static String describe(LayerSpec layer) {
        String shapes = layer.input() + " -> " + layer.output();
        if (layer instanceof Conv2DSpec conv) {
            return "Conv2D " + conv.filters() + " filters " + conv.window().describe()
                    + (conv.window().padded() ? " same" : "") + ", " + shapes + ", " + conv.activation()
                    + (conv.useBias() ? "" : ", no bias");
        } else if (layer instanceof MaxPoolSpec pool) {
            return "MaxPooling2D " + pool.window().describe() + (pool.window().padded() ? " same" : "") + ", " + shapes;
        } else if (layer instanceof DenseSpec dense) {
            return "Dense " + dense.units() + ", " + shapes + ", " + dense.activation()
                    + (dense.useBias() ? "" : ", no bias");
        } else if (layer instanceof FlattenSpec) {
            return "Flatten, " + shapes + " (no data moves)";
        }
        return layer.kerasName() + ", " + shapes;
    }

    private static CodeBlock conv2D(Conv2DSpec conv) {
        Window window = conv.window();
        int channels = conv.input().channels();
        int filters = conv.filters();
        String source = "in";
        int height = conv.input().height(), width = conv.input().width();
        CodeBlock.Builder code = CodeBlock.builder();
        if (window.padded()) {
            // Rewrite the whole padded region each call: the pad array is shared by every padded
            // layer, so a border cell here may hold another layer's data. Zeroing the border costs
            // as little as the copy, and no layer trusts what an earlier one left.
            long paddedRow = (long) MemoryPlan.paddedWidth(conv) * channels;
            long rowLength = (long) width * channels;
            long left = (long) window.padLeft() * channels, right = (long) window.padRight() * channels;
            code.add("// 'same' padding: the input inside a zero border ($L top, $L bottom, $L left, $L right)\n",
                    window.padTop(), window.padBottom(), window.padLeft(), window.padRight());
            if (window.padTop() > 0) {
                code.addStatement("java.util.Arrays.fill(padded, 0, $L, 0f)", window.padTop() * paddedRow);
            }
            code.beginControlFlow("for (int h = 0; h < $L; h++)", height)
                    .addStatement("int row = (h + $L) * $L", window.padTop(), paddedRow);
            if (left > 0) {
                code.addStatement("java.util.Arrays.fill(padded, row, row + $L, 0f)", left);
            }
            code.addStatement("System.arraycopy(in, h * $L, padded, row + $L, $L)", rowLength, left, rowLength);
            if (right > 0) {
                code.addStatement("java.util.Arrays.fill(padded, row + $L, row + $L, 0f)", left + rowLength,
                        left + rowLength + right);
            }
            code.endControlFlow();
            if (window.padBottom() > 0) {
                long from = (window.padTop() + (long) height) * paddedRow;
                code.addStatement("java.util.Arrays.fill(padded, $L, $L, 0f)", from, from + window.padBottom() * paddedRow);
            }
            source = "padded";
            height = MemoryPlan.paddedHeight(conv);
            width = MemoryPlan.paddedWidth(conv);
        }
        int outHeight = conv.output().height(), outWidth = conv.output().width();
        long rowStride = (long) width * channels;     // input elements per image row
        long tapRun = (long) window.width() * channels; // one kernel row: KW x CIN contiguous inputs
        code.beginControlFlow("for (int oh = 0; oh < $L; oh++)", outHeight)
                .beginControlFlow("for (int ow = 0; ow < $L; ow++)", outWidth)
                .addStatement("int o = (oh * $L + ow) * $L", outWidth, filters);
        if (conv.useBias()) {
            code.addStatement("System.arraycopy(bias, 0, out, o, $L)", filters);
        } else {
            code.addStatement("java.util.Arrays.fill(out, o, o + $L, 0f)", filters);
        }
        code.addStatement("int i = oh * $L + ow * $L", step(rowStride * window.strideHeight(), outHeight),
                step((long) window.strideWidth() * channels, outWidth));
        CodeBlock.Builder row = CodeBlock.builder();
        if (window.height() <= MAX_UNROLLED_ROWS) {
            for (int kh = 0; kh < window.height(); kh++) {
                row.add("// kernel row $L\n", kh);
                row.add(kernelRow(source, String.valueOf(rowStride * kh), String.valueOf(tapRun * kh), tapRun, filters));
            }
        } else {
            row.beginControlFlow("for (int kh = 0; kh < $L; kh++)", window.height())
                    .add(kernelRow(source, "kh * " + rowStride, "kh * " + tapRun, tapRun, filters))
                    .endControlFlow();
        }
        code.add(row.build());
        code.add(ActivationWriter.applyInPlace(conv.activation(), "out", "o", filters));
        code.endControlFlow().endControlFlow();
        return code.build();
    }

    /** One kernel row: KW x CIN contiguous inputs, each scaled into all F outputs of the pixel. */
    private static CodeBlock kernelRow(String source, String inputOffset, String kernelRowOffset, long tapRun,
                                       int filters) {
        return CodeBlock.builder()
                .beginControlFlow("for (int j = 0; j < $L; j++)", tapRun)
                .addStatement("float x = $L[i + $L + j]", source, inputOffset)
                .addStatement("int k = ($L + j) * $L", kernelRowOffset, filters)
                .beginControlFlow("for (int f = 0; f < $L; f++)", filters)
                .addStatement("out[o + f] += x * kernel[k + f]")
                .endControlFlow()
                .endControlFlow()
                .build();
    }

    private static CodeBlock dense(DenseSpec dense) {
        int units = dense.units();
        CodeBlock.Builder code = CodeBlock.builder();
        if (dense.useBias()) {
            code.addStatement("System.arraycopy(bias, 0, out, 0, $L)", units);
        } else {
            code.addStatement("java.util.Arrays.fill(out, 0, $L, 0f)", units);
        }
        code.beginControlFlow("for (int i = 0; i < $L; i++)", dense.input().size())
                .addStatement("float x = in[i]")
                .addStatement("int k = i * $L", units)
                .beginControlFlow("for (int u = 0; u < $L; u++)", units)
                .addStatement("out[u] += x * kernel[k + u]")
                .endControlFlow()
                .endControlFlow();
        code.add(ActivationWriter.applyInPlace(dense.activation(), "out", "0", units));
        return code.build();
    }

    private static CodeBlock maxPool(MaxPoolSpec pool) {
        Window window = pool.window();
        int channels = pool.input().channels(), width = pool.input().width(), height = pool.input().height();
        int outHeight = pool.output().height(), outWidth = pool.output().width();
        CodeBlock.Builder code = CodeBlock.builder();
        if (window.padded()) {
            // 'same': clip each window to the real input, so padded cells never take part.
            code.beginControlFlow("for (int oh = 0; oh < $L; oh++)", outHeight)
                    .addStatement("int top = oh * $L - $L", window.strideHeight(), window.padTop())
                    .addStatement("int hFrom = Math.max(top, 0)")
                    .addStatement("int hTo = Math.min(top + $L, $L)", window.height(), height)
                    .beginControlFlow("for (int ow = 0; ow < $L; ow++)", outWidth)
                    .addStatement("int left = ow * $L - $L", window.strideWidth(), window.padLeft())
                    .addStatement("int wFrom = Math.max(left, 0)")
                    .addStatement("int wTo = Math.min(left + $L, $L)", window.width(), width)
                    .addStatement("int o = (oh * $L + ow) * $L", outWidth, channels)
                    .addStatement("java.util.Arrays.fill(out, o, o + $L, Float.NEGATIVE_INFINITY)", channels)
                    .beginControlFlow("for (int h = hFrom; h < hTo; h++)")
                    .beginControlFlow("for (int w = wFrom; w < wTo; w++)")
                    .addStatement("int t = (h * $L + w) * $L", width, channels)
                    .add(maxInto("t", channels))
                    .endControlFlow()
                    .endControlFlow()
                    .endControlFlow()
                    .endControlFlow();
            return code.build();
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
                        code.add(maxInto("i + " + (ph * rowStride + (long) pw * channels), channels));
                    }
                }
            }
        } else {
            code.beginControlFlow("for (int ph = 0; ph < $L; ph++)", window.height())
                    .beginControlFlow("for (int pw = 0; pw < $L; pw++)", window.width())
                    .add(maxInto("i + ph * " + rowStride + " + pw * " + channels, channels))
                    .endControlFlow()
                    .endControlFlow();
        }
        code.endControlFlow().endControlFlow();
        return code.build();
    }

    /**
     * The input offset between consecutive output rows or columns. With a single output position the
     * index is always 0, and the stride (which may then exceed the input) is not written at all, so
     * every literal fits an {@code int}: with two or more positions it is below the input's size.
     */
    private static long step(long offset, int positions) {
        return positions == 1 ? 0 : offset;
    }

    /** {@code out[o + c] = max(out[o + c], in[from + c])} over all channels. */
    private static CodeBlock maxInto(String from, int channels) {
        return CodeBlock.builder()
                .beginControlFlow("for (int c = 0, t0 = $L; c < $L; c++)", from, channels)
                .addStatement("out[o + c] = Math.max(out[o + c], in[t0 + c])")
                .endControlFlow()
                .build();
    }
}
