package dev.netforge.processor.kinds;

import dev.netforge.shapes.KerasShapes;
import dev.netforge.shapes.KerasWeights;
import com.palantir.javapoet.CodeBlock;
import dev.netforge.Activation;
import dev.netforge.processor.model.LayerDeclaration;
import dev.netforge.processor.model.LayerSpec;
import dev.netforge.processor.model.Shape;
import dev.netforge.processor.model.Sizes;
import dev.netforge.processor.model.WeightTensor;
import dev.netforge.processor.model.Window;
import dev.netforge.processor.reading.AnnotationReader;
import dev.netforge.processor.reading.UnreadableValueException;
import dev.netforge.processor.reference.RefLayer;
import dev.netforge.processor.validation.LayerCheck;
import dev.netforge.processor.validation.Rule;
import dev.netforge.processor.writer.LayerCode;
import java.util.List;
import java.util.Map;

/** {@code @Conv2DTranspose}: a transposed convolution. */
public final class Conv2DTransposeKind implements LayerKind<Conv2DTransposeKind.Declaration, Conv2DTransposeKind.Spec> {
    public static final Conv2DTransposeKind INSTANCE = new Conv2DTransposeKind();

    private Conv2DTransposeKind() {
    }

    /** The window's dilation is always 1: the annotation has none. */
    public record Declaration(String name, int filters, WindowAttributes window, Activation activation,
                              boolean useBias) implements LayerDeclaration {
        @Override
        public Conv2DTransposeKind kind() {
            return INSTANCE;
        }

        @Override
        public String annotationName() {
            return "Conv2DTranspose";
        }
    }

    /**
     * A transposed convolution; the window carries the kernel and strides, and its pads are what
     * 'same' crops from the full result (top/left; the output size decides the rest).
     */
    public record Spec(String name, Shape input, Shape output, int filters, Window window,
                       Activation activation, boolean useBias) implements LayerSpec {
        @Override
        public Conv2DTransposeKind kind() {
            return INSTANCE;
        }

        @Override
        public String kerasName() {
            return "Conv2DTranspose";
        }

        /** Kernel elements, {@code KH * KW * F * CIN}. */
        public long kernelSize() {
            return Sizes.product(window.height(), window.width(), filters, input.channels());
        }

        @Override
        public long parameterCount() {
            return Sizes.sum(kernelSize(), useBias ? filters : 0);
        }

        @Override
        public long multiplyAccumulates() {
            return Sizes.product(input.height(), input.width(), kernelSize());
        }
    }

    @Override
    public List<String> annotationNames() {
        return List.of("Conv2DTranspose");
    }

    @Override
    public Declaration read(String field, String annotationName, AnnotationReader a) throws UnreadableValueException {
        return new Declaration(field, a.intValue("filters"), WindowAttributes.read(a, false), a.activation("activation"),
                a.booleanValue("useBias"));
    }

    @Override
    public int outputRank(Declaration declaration, int inputRank) {
        return 3;
    }

    /**
     * Keras's {@code deconv_output_length}: {@code in * S + max(K - S, 0)} for 'valid', {@code in * S}
     * for 'same', which crops {@code floor(max(K - S, 0) / 2)} at the top/left of the full result.
     */
    @Override
    public Spec check(Declaration conv, LayerCheck check) {
        Shape in = check.input();
        boolean ok = check.positive(conv.name(), "filters", conv.filters());
        int[] kernel = check.pair(conv.name(), "kernel", conv.window().kernel(), false);
        int[] strides = check.pair(conv.name(), "strides", conv.window().strides(), false);
        ok &= kernel != null && strides != null;
        ok &= check.needsImage(conv, in, check.rank());
        if (!ok || in == null) {
            return null;
        }
        long extraH = KerasShapes.transposeOverhang(kernel[0], strides[0]);
        long extraW = KerasShapes.transposeOverhang(kernel[1], strides[1]);
        boolean same = conv.window().same();
        long height = KerasShapes.transposeOutput(in.height(), kernel[0], strides[0], same);
        long width = KerasShapes.transposeOutput(in.width(), kernel[1], strides[1], same);
        long size = Sizes.product(height, width, conv.filters());
        if (size > LayerCheck.MAX_ARRAY_LENGTH) {
            check.error(Rule.TOO_LARGE, "strides", conv.name() + ": output " + height + "x" + width + "x"
                    + conv.filters() + " has " + LayerCheck.format(size) + " values, more than a Java array holds: "
                    + LayerCheck.format(size) + " > " + LayerCheck.format(LayerCheck.MAX_ARRAY_LENGTH) + check.through(conv.name(), null));
            return null;
        }
        int top = same ? (int) KerasShapes.before(extraH) : 0, left = same ? (int) KerasShapes.before(extraW) : 0;
        Window window = new Window(kernel[0], kernel[1], strides[0], strides[1], 1, 1, top,
                same ? (int) (extraH - top) : 0, left, same ? (int) (extraW - left) : 0);
        Spec spec = new Spec(conv.name(), in,
                Shape.image((int) height, (int) width, conv.filters()), conv.filters(), window, conv.activation(),
                conv.useBias());
        return check.fitsArray(conv.name(), "filters", "kernel", spec.kernelSize(), spec.output()) ? spec : null;
    }

    @Override
    public List<WeightTensor> weights(Spec transpose) {
        return WeightTensor.of(KerasWeights.conv2DTranspose(transpose.window().height(), transpose.window().width(),
                transpose.input().channels(), transpose.filters(), transpose.useBias()));
    }

    @Override
    public List<String> weightParameters(Spec spec, boolean bias) {
        return LayerCode.kernelAndBias(bias);
    }

    /**
     * A transposed convolution: every input pixel adds its kernel-weighted values to the outputs
     * its window covers, {@code (y * S + kh - top, x * S + kw - left)}; outputs outside are cropped.
     * Kernel {@code (KH, KW, F, CIN)}, so the innermost loop over input channels reads it contiguously.
     */
    @Override
    public CodeBlock body(Spec conv, LayerCode code) {
        boolean bias = code.bias();
        Window window = conv.window();
        Shape in = conv.input();
        Shape out = conv.output();
        int channels = in.channels();
        int filters = conv.filters();
        CodeBlock.Builder block = CodeBlock.builder();
        if (bias) {
            block.beginControlFlow("for (int p = 0; p < $L; p++)", out.height() * out.width())
                    .addStatement("System.arraycopy(bias, 0, out, p * $L, $L)", filters, filters)
                    .endControlFlow();
        } else {
            block.addStatement("java.util.Arrays.fill(out, 0, $L, 0f)", out.size());
        }
        block.beginControlFlow("for (int y = 0; y < $L; y++)", in.height())
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
        return block.add(LayerCode.applyToTensor(code.activation(), "out", out)).build();
    }

    @Override
    public String describe(Spec transpose) {
        return "Conv2DTranspose " + transpose.filters() + " filters " + transpose.window().describe()
                + (transpose.window().padded() ? " same" : "") + ", " + transpose.input() + " -> "
                + transpose.output();
    }

    @Override
    public String vocabulary(Declaration t, Map<String, Object> a) {
        a.put("filters", t.filters());
        t.window().vocabulary(a);
        a.put("activation", Vocabulary.keras(t.activation()));
        a.put("useBias", t.useBias());
        return "Conv2DTranspose";
    }

    @Override
    public RefLayer reference(Declaration t) {
        int[] w = t.window().pairs();
        return new RefLayer.Conv2DTranspose(t.filters(), w[0], w[1], w[2], w[3], t.window().same(),
                Vocabulary.keras(t.activation()), t.useBias());
    }
}
