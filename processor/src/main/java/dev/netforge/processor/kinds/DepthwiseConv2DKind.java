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
import dev.netforge.processor.validation.Rule;
import dev.netforge.processor.writer.ConvolutionCode;
import dev.netforge.processor.writer.LayerCode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code @DepthwiseConv2D}: each input channel convolved with its own {@code depthMultiplier} filters. */
public final class DepthwiseConv2DKind implements LayerKind<DepthwiseConv2DKind.Declaration, DepthwiseConv2DKind.Spec> {
    public static final DepthwiseConv2DKind INSTANCE = new DepthwiseConv2DKind();

    private DepthwiseConv2DKind() {
    }

    public record Declaration(String name, WindowAttributes window, int depthMultiplier, Activation activation,
                              boolean useBias) implements LayerDeclaration {
        @Override
        public DepthwiseConv2DKind kind() {
            return INSTANCE;
        }

        @Override
        public String annotationName() {
            return "DepthwiseConv2D";
        }
    }

    /** Each input channel convolved with its own {@code depthMultiplier} filters. */
    public record Spec(String name, Shape input, Shape output, int depthMultiplier, Window window,
                       Activation activation, boolean useBias) implements LayerSpec {
        @Override
        public DepthwiseConv2DKind kind() {
            return INSTANCE;
        }

        @Override
        public String kerasName() {
            return "DepthwiseConv2D";
        }

        public long kernelSize() {
            return Sizes.product(window.height(), window.width(), input.channels(), depthMultiplier);
        }

        @Override
        public long parameterCount() {
            return Sizes.sum(kernelSize(), useBias ? (long) input.channels() * depthMultiplier : 0);
        }

        @Override
        public long multiplyAccumulates() {
            return Sizes.product(output.height(), output.width(), kernelSize());
        }

        /**
         * This convolution reading {@code padding}'s input with that zero padding added to its window
         * (its own is none): the ZeroPadding2D before a strided depthwise convolution, joined to it.
         */
        public Spec afterPadding(ZeroPaddingKind.Spec padding) {
            if (window.padded()) {
                throw new IllegalStateException(name + " pads already");
            }
            Window padded = new Window(window.height(), window.width(), window.strideHeight(), window.strideWidth(),
                    window.dilationHeight(), window.dilationWidth(), padding.top(), padding.bottom(), padding.left(),
                    padding.right());
            return new Spec(name, padding.input(), output, depthMultiplier, padded, activation, useBias);
        }
    }

    @Override
    public List<String> annotationNames() {
        return List.of("DepthwiseConv2D");
    }

    @Override
    public Declaration read(String field, String annotationName, AnnotationReader a) throws UnreadableValueException {
        return new Declaration(field, WindowAttributes.read(a, true), a.intValue("depthMultiplier"),
                a.activation("activation"), a.booleanValue("useBias"));
    }

    @Override
    public int outputRank(Declaration declaration, int inputRank) {
        return 3;
    }

    @Override
    public Spec check(Declaration conv, LayerCheck check) {
        Shape in = check.input();
        boolean ok = check.positive(conv.name(), "depthMultiplier", conv.depthMultiplier());
        WindowAttributes w = conv.window();
        Window window = check.convolutionWindow(conv, w.kernel(), w.strides(), w.dilation(), w.padding(), in,
                check.rank(), ok);
        if (window == null) {
            return null;
        }
        long channels = (long) in.channels() * conv.depthMultiplier();
        if (channels > LayerCheck.MAX_ARRAY_LENGTH) {
            check.error(Rule.TOO_LARGE, "depthMultiplier", conv.name() + ": " + LayerCheck.format(in.channels())
                    + " channels x depthMultiplier " + LayerCheck.format(conv.depthMultiplier()) + " = "
                    + LayerCheck.format(channels) + " output channels, more than a Java array holds"
                    + check.through(conv.name(), null));
            return null;
        }
        Shape out = check.outputImage(conv.name(), in, window, (int) channels, "depthMultiplier");
        if (out == null) {
            return null;
        }
        Spec spec = new Spec(conv.name(), in, out, conv.depthMultiplier(), window, conv.activation(), conv.useBias());
        return check.fitsArray(conv.name(), "depthMultiplier", "kernel", spec.kernelSize(), out) ? spec : null;
    }

    @Override
    public List<WeightTensor> weights(Spec depthwise) {
        return WeightTensor.of(KerasWeights.depthwiseConv2D(depthwise.window().height(), depthwise.window().width(),
                depthwise.input().channels(), depthwise.depthMultiplier(), depthwise.useBias()));
    }

    @Override
    public List<String> weightParameters(Spec spec, boolean bias) {
        return LayerCode.kernelAndBias(bias);
    }

    @Override
    public CodeBlock body(Spec depthwise, LayerCode code) {
        return ConvolutionCode.depthwise(depthwise, code.bias(), code.activation());
    }

    @Override
    public String describe(Spec depthwise) {
        Window w = depthwise.window();
        return "DepthwiseConv2D x" + depthwise.depthMultiplier() + " " + w.describe()
                + (w.padded() ? " padded " + w.padTop() + "," + w.padBottom() + "," + w.padLeft() + "," + w.padRight() : "")
                + ", " + depthwise.input() + " -> "
                + depthwise.output() + (depthwise.useBias() ? "" : ", no bias");
    }

    @Override
    public String vocabulary(Declaration c, Map<String, Object> a) {
        c.window().vocabulary(a);
        a.put("depthMultiplier", c.depthMultiplier());
        a.put("activation", Vocabulary.keras(c.activation()));
        a.put("useBias", c.useBias());
        return "DepthwiseConv2D";
    }

    @Override
    public RefLayer reference(Declaration c) {
        int[] w = c.window().pairs();
        return new RefLayer.DepthwiseConv2D(w[0], w[1], w[2], w[3], w[4], w[5], c.window().same(),
                c.depthMultiplier(), Vocabulary.keras(c.activation()), c.useBias());
    }
}
