package dev.netforge.processor.kinds;

import dev.netforge.shapes.KerasWeights;
import com.palantir.javapoet.CodeBlock;
import dev.netforge.Activation;
import dev.netforge.processor.model.LayerDeclaration;
import dev.netforge.processor.model.LayerSpec;
import dev.netforge.processor.model.Shape;
import dev.netforge.processor.model.Sizes;
import dev.netforge.processor.model.WeightTensor;
import dev.netforge.processor.reading.AnnotationReader;
import dev.netforge.processor.reading.UnreadableValueException;
import dev.netforge.processor.reference.RefLayer;
import dev.netforge.processor.validation.LayerCheck;
import dev.netforge.processor.validation.Rule;
import dev.netforge.processor.writer.LayerCode;
import java.util.List;
import java.util.Map;

/** {@code @Dense}: a fully connected layer; kernel {@code (N, UNITS)} row-major. */
public final class DenseKind implements LayerKind<DenseKind.Declaration, DenseKind.Spec> {
    public static final DenseKind INSTANCE = new DenseKind();

    private DenseKind() {
    }

    public record Declaration(String name, int units, Activation activation, boolean useBias)
            implements LayerDeclaration {
        @Override
        public DenseKind kind() {
            return INSTANCE;
        }

        @Override
        public String annotationName() {
            return "Dense";
        }
    }

    /** A fully connected layer; kernel {@code (N, UNITS)} row-major. */
    public record Spec(String name, Shape input, Shape output, int units, Activation activation,
                       boolean useBias) implements LayerSpec {
        @Override
        public DenseKind kind() {
            return INSTANCE;
        }

        @Override
        public String kerasName() {
            return "Dense";
        }

        public long kernelSize() {
            return Sizes.product(input.size(), units);
        }

        @Override
        public long parameterCount() {
            return Sizes.sum(kernelSize(), useBias ? units : 0);
        }

        @Override
        public long multiplyAccumulates() {
            return kernelSize();
        }
    }

    @Override
    public List<String> annotationNames() {
        return List.of("Dense");
    }

    @Override
    public Declaration read(String field, String annotationName, AnnotationReader a) throws UnreadableValueException {
        return new Declaration(field, a.intValue("units"), a.activation("activation"), a.booleanValue("useBias"));
    }

    @Override
    public int outputRank(Declaration declaration, int inputRank) {
        return 1;
    }

    @Override
    public Spec check(Declaration dense, LayerCheck check) {
        Shape in = check.input();
        boolean ok = check.positive(dense.name(), "units", dense.units());
        if (check.rank() == 3) {
            check.error(Rule.NEEDS_VECTOR, null, dense.name() + ": Dense needs a vector input, found the image "
                    + (in == null ? "H x W x C" : in + " (" + LayerCheck.format(in.size()) + " values)")
                    + "; add @Flatten (or a global pooling layer) before it to make the image a vector"
                    + check.through(dense.name(), null));
            return null;
        }
        if (!ok || in == null) {
            return null;
        }
        Shape out = Shape.vector(dense.units());
        Spec spec = new Spec(dense.name(), in, out, dense.units(), dense.activation(), dense.useBias());
        return check.fitsArray(dense.name(), "units", "kernel of " + LayerCheck.format(in.size()) + " x " + LayerCheck.format(dense.units())
                + " weights", spec.kernelSize(), out) ? spec : null;
    }

    @Override
    public List<WeightTensor> weights(Spec dense) {
        return WeightTensor.of(KerasWeights.dense(dense.input().size(), dense.units(), dense.useBias()));
    }

    @Override
    public List<String> weightParameters(Spec spec, boolean bias) {
        return LayerCode.kernelAndBias(bias);
    }

    @Override
    public CodeBlock body(Spec dense, LayerCode code) {
        Activation activation = code.activation();
        CodeBlock.Builder block = CodeBlock.builder().addStatement("KERNELS.dense(in, $L, kernel, $L, $L, out, $L)",
                dense.input().size(), dense.units(), code.bias() ? "bias" : "null", activation == Activation.RELU);
        if (activation != Activation.RELU) {
            block.add(LayerCode.applyInPlace(activation, "out", "0", dense.units()));
        }
        return block.build();
    }

    @Override
    public String describe(Spec dense) {
        return "Dense " + dense.units() + ", " + dense.input() + " -> " + dense.output()
                + (dense.useBias() ? "" : ", no bias");
    }

    @Override
    public String vocabulary(Declaration dense, Map<String, Object> a) {
        a.put("units", dense.units());
        a.put("activation", Vocabulary.keras(dense.activation()));
        a.put("useBias", dense.useBias());
        return "Dense";
    }

    @Override
    public RefLayer reference(Declaration dense) {
        return new RefLayer.Dense(dense.units(), Vocabulary.keras(dense.activation()), dense.useBias());
    }
}
