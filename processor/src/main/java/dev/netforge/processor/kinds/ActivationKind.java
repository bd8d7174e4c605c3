package dev.netforge.processor.kinds;

import com.palantir.javapoet.CodeBlock;
import dev.netforge.Activation;
import dev.netforge.processor.model.LayerDeclaration;
import dev.netforge.processor.model.LayerSpec;
import dev.netforge.processor.model.Shape;
import dev.netforge.processor.reading.AnnotationReader;
import dev.netforge.processor.reading.UnreadableValueException;
import dev.netforge.processor.reference.RefLayer;
import dev.netforge.processor.validation.LayerCheck;
import dev.netforge.processor.writer.LayerCode;
import java.util.List;
import java.util.Map;

/** {@code @ActivationLayer}: an activation as a layer of its own. */
public final class ActivationKind implements LayerKind.Weightless<ActivationKind.Declaration, ActivationKind.Spec> {
    public static final ActivationKind INSTANCE = new ActivationKind();

    private ActivationKind() {
    }

    public record Declaration(String name, Activation activation) implements LayerDeclaration {
        @Override
        public ActivationKind kind() {
            return INSTANCE;
        }

        @Override
        public String annotationName() {
            return "ActivationLayer";
        }
    }

    /** An activation as a layer of its own. */
    public record Spec(String name, Shape input, Shape output, Activation activation) implements LayerSpec {
        @Override
        public ActivationKind kind() {
            return INSTANCE;
        }

        @Override
        public String kerasName() {
            return "Activation";
        }

        @Override
        public boolean movesNoData() {
            return activation == Activation.LINEAR;
        }
    }

    @Override
    public List<String> annotationNames() {
        return List.of("ActivationLayer");
    }

    @Override
    public Declaration read(String field, String annotationName, AnnotationReader a) throws UnreadableValueException {
        return new Declaration(field, a.activation("value"));
    }

    @Override
    public int outputRank(Declaration declaration, int inputRank) {
        return inputRank;
    }

    @Override
    public Spec check(Declaration activation, LayerCheck check) {
        Shape in = check.input();
        return in == null ? null : new Spec(activation.name(), in, in, activation.activation());
    }

    @Override
    public CodeBlock body(Spec act, LayerCode code) {
        return CodeBlock.builder().addStatement("System.arraycopy(in, 0, out, 0, $L)", act.input().size())
                .add(LayerCode.applyToTensor(code.activation(), "out", act.output())).build();
    }

    @Override
    public String vocabulary(Declaration act, Map<String, Object> a) {
        a.put("activation", Vocabulary.keras(act.activation()));
        return "Activation";
    }

    @Override
    public RefLayer reference(Declaration act) {
        return new RefLayer.ActivationLayer(Vocabulary.keras(act.activation()));
    }
}
