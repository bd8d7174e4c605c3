package dev.netforge.processor.kinds;

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
import dev.netforge.processor.writer.ConvolutionCode;
import dev.netforge.processor.writer.LayerCode;
import java.util.List;
import java.util.Map;

/** {@code @Conv2D}: a 2-D convolution, on the runtime kernels unless dilated. */
public final class Conv2DKind implements LayerKind<Conv2DKind.Declaration, Conv2DKind.Spec> {
    public static final Conv2DKind INSTANCE = new Conv2DKind();

    private Conv2DKind() {
    }

    public record Declaration(String name, int filters, WindowAttributes window, Activation activation,
                              boolean useBias) implements LayerDeclaration {
        @Override
        public Conv2DKind kind() {
            return INSTANCE;
        }

        @Override
        public String annotationName() {
            return "Conv2D";
        }
    }

    /** A 2-D convolution; the window carries strides, dilation and the 'same' padding. */
    public record Spec(String name, Shape input, Shape output, int filters, Window window,
                       Activation activation, boolean useBias) implements LayerSpec {
        @Override
        public Conv2DKind kind() {
            return INSTANCE;
        }

        @Override
        public Window paddedInputWindow() {
            return window.padded() ? window : null;
        }

        @Override
        public String kerasName() {
            return "Conv2D";
        }

        /** Kernel elements, {@code KH * KW * CIN * F}. */
        public long kernelSize() {
            return Sizes.product(window.height(), window.width(), input.channels(), filters);
        }

        @Override
        public long parameterCount() {
            return Sizes.sum(kernelSize(), useBias ? filters : 0);
        }

        @Override
        public long multiplyAccumulates() {
            return Sizes.product(output.height(), output.width(), kernelSize());
        }
    }

    @Override
    public List<String> annotationNames() {
        return List.of("Conv2D");
    }

    @Override
    public Declaration read(String field, String annotationName, AnnotationReader a) throws UnreadableValueException {
        return new Declaration(field, a.intValue("filters"), WindowAttributes.read(a, true), a.activation("activation"),
                a.booleanValue("useBias"));
    }

    @Override
    public int outputRank(Declaration declaration, int inputRank) {
        return 3;
    }

    @Override
    public Spec check(Declaration conv, LayerCheck check) {
        Shape in = check.input();
        boolean ok = check.positive(conv.name(), "filters", conv.filters());
        WindowAttributes w = conv.window();
        Window window = check.convolutionWindow(conv, w.kernel(), w.strides(), w.dilation(), w.padding(), in,
                check.rank(), ok);
        if (window == null) {
            return null;
        }
        Shape out = check.outputImage(conv.name(), in, window, conv.filters(), "filters");
        if (out == null) {
            return null;
        }
        Spec spec = new Spec(conv.name(), in, out, conv.filters(), window, conv.activation(), conv.useBias());
        return check.fitsArray(conv.name(), "filters", "kernel", spec.kernelSize(), out) ? spec : null;
    }

    @Override
    public List<WeightTensor> weights(Spec conv) {
        return WeightTensor.of(KerasWeights.conv2D(conv.window().height(), conv.window().width(),
                conv.input().channels(), conv.filters(), conv.useBias()));
    }

    @Override
    public List<String> weightParameters(Spec spec, boolean bias) {
        return LayerCode.kernelAndBias(bias);
    }

    @Override
    public CodeBlock body(Spec conv, LayerCode code) {
        return code.onKernels() ? ConvolutionCode.conv2DOnKernels(conv, code.step(), code.bias(), code.activation())
                : ConvolutionCode.conv2D(conv, code.bias(), code.activation());
    }

    @Override
    public String describe(Spec conv) {
        return "Conv2D " + conv.filters() + " filters " + conv.window().describe()
                + (conv.window().padded() ? " same" : "") + ", " + conv.input() + " -> " + conv.output()
                + (conv.useBias() ? "" : ", no bias");
    }

    @Override
    public String vocabulary(Declaration c, Map<String, Object> a) {
        a.put("filters", c.filters());
        c.window().vocabulary(a);
        a.put("activation", Vocabulary.keras(c.activation()));
        a.put("useBias", c.useBias());
        return "Conv2D";
    }

    @Override
    public RefLayer reference(Declaration c) {
        int[] w = c.window().pairs();
        return new RefLayer.Conv2D(c.filters(), w[0], w[1], w[2], w[3], w[4], w[5], c.window().same(),
                Vocabulary.keras(c.activation()), c.useBias());
    }
}
