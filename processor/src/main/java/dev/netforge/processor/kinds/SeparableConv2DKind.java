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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code @SeparableConv2D}: a depthwise convolution, then a pointwise (1x1) one. */
public final class SeparableConv2DKind implements LayerKind<SeparableConv2DKind.Declaration, SeparableConv2DKind.Spec> {
    public static final SeparableConv2DKind INSTANCE = new SeparableConv2DKind();

    private SeparableConv2DKind() {
    }

    public record Declaration(String name, int filters, WindowAttributes window, int depthMultiplier,
                              Activation activation, boolean useBias) implements LayerDeclaration {
        @Override
        public SeparableConv2DKind kind() {
            return INSTANCE;
        }

        @Override
        public String annotationName() {
            return "SeparableConv2D";
        }
    }

    /**
     * A depthwise convolution without bias into {@link #depthwiseOutput()}, then a 1x1 convolution
     * to {@code filters} channels with the bias and the activation.
     */
    public record Spec(String name, Shape input, Shape output, int filters, int depthMultiplier,
                       Window window, Activation activation, boolean useBias) implements LayerSpec {
        @Override
        public SeparableConv2DKind kind() {
            return INSTANCE;
        }

        @Override
        public String kerasName() {
            return "SeparableConv2D";
        }

        /** What the depthwise half writes: the output's height and width, {@code CIN * DM} channels. */
        public Shape depthwiseOutput() {
            return Shape.image(output.height(), output.width(), input.channels() * depthMultiplier);
        }

        public long depthwiseKernelSize() {
            return Sizes.product(window.height(), window.width(), input.channels(), depthMultiplier);
        }

        public long pointwiseKernelSize() {
            return Sizes.product((long) input.channels() * depthMultiplier, filters);
        }

        @Override
        public long parameterCount() {
            return Sizes.sum(Sizes.sum(depthwiseKernelSize(), pointwiseKernelSize()), useBias ? filters : 0);
        }

        @Override
        public long multiplyAccumulates() {
            return Sizes.sum(Sizes.product(output.height(), output.width(), depthwiseKernelSize()),
                    Sizes.product(output.height(), output.width(), pointwiseKernelSize()));
        }
    }

    @Override
    public List<String> annotationNames() {
        return List.of("SeparableConv2D");
    }

    @Override
    public Declaration read(String field, String annotationName, AnnotationReader a) throws UnreadableValueException {
        return new Declaration(field, a.intValue("filters"), WindowAttributes.read(a, true),
                a.intValue("depthMultiplier"), a.activation("activation"), a.booleanValue("useBias"));
    }

    @Override
    public int outputRank(Declaration declaration, int inputRank) {
        return 3;
    }

    @Override
    public Spec check(Declaration conv, LayerCheck check) {
        Shape in = check.input();
        boolean ok = check.positive(conv.name(), "filters", conv.filters());
        ok &= check.positive(conv.name(), "depthMultiplier", conv.depthMultiplier());
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
        long middle = Sizes.product(out.height(), out.width(), (long) in.channels() * conv.depthMultiplier());
        Spec spec = new Spec(conv.name(), in, out, conv.filters(), conv.depthMultiplier(),
                window, conv.activation(), conv.useBias());
        return check.fitsArray(conv.name(), "depthMultiplier", "depthwise output", middle, out)
                && check.fitsArray(conv.name(), "kernel", "depthwise kernel", spec.depthwiseKernelSize(), out)
                && check.fitsArray(conv.name(), "filters", "pointwise kernel", spec.pointwiseKernelSize(), out)
                ? spec : null;
    }

    @Override
    public List<WeightTensor> weights(Spec separable) {
        return WeightTensor.of(KerasWeights.separableConv2D(separable.window().height(), separable.window().width(),
                separable.input().channels(), separable.depthMultiplier(), separable.filters(), separable.useBias()));
    }

    @Override
    public List<String> weightParameters(Spec layer, boolean bias) {
        return layer.useBias() ? List.of("depthwiseKernel", "pointwiseKernel", "bias")
                : List.of("depthwiseKernel", "pointwiseKernel");
    }

    @Override
    public CodeBlock body(Spec separable, LayerCode code) {
        return ConvolutionCode.separable(separable, code.bias(), code.activation());
    }

    @Override
    public String describe(Spec separable) {
        return "SeparableConv2D " + separable.filters() + " filters " + separable.window().describe()
                + (separable.depthMultiplier() == 1 ? "" : " x" + separable.depthMultiplier())
                + (separable.window().padded() ? " same" : "") + ", " + separable.input() + " -> "
                + separable.output();
    }

    @Override
    public String vocabulary(Declaration c, Map<String, Object> a) {
        a.put("filters", c.filters());
        c.window().vocabulary(a);
        a.put("depthMultiplier", c.depthMultiplier());
        a.put("activation", Vocabulary.keras(c.activation()));
        a.put("useBias", c.useBias());
        return "SeparableConv2D";
    }

    @Override
    public RefLayer reference(Declaration c) {
        int[] w = c.window().pairs();
        return new RefLayer.SeparableConv2D(c.filters(), w[0], w[1], w[2], w[3], w[4], w[5], c.window().same(),
                c.depthMultiplier(), Vocabulary.keras(c.activation()), c.useBias());
    }
}
