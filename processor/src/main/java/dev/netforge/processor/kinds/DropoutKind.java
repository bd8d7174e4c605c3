package dev.netforge.processor.kinds;

import com.palantir.javapoet.CodeBlock;
import dev.netforge.processor.model.LayerDeclaration;
import dev.netforge.processor.model.LayerSpec;
import dev.netforge.processor.model.Shape;
import dev.netforge.processor.reading.AnnotationReader;
import dev.netforge.processor.reading.UnreadableValueException;
import dev.netforge.processor.reference.RefLayer;
import dev.netforge.processor.validation.LayerCheck;
import dev.netforge.processor.validation.Rule;
import dev.netforge.processor.writer.LayerCode;
import java.util.List;
import java.util.Map;

/** {@code @Dropout}: the identity at inference. */
public final class DropoutKind implements LayerKind.Weightless<DropoutKind.Declaration, DropoutKind.Spec> {
    public static final DropoutKind INSTANCE = new DropoutKind();

    private DropoutKind() {
    }

    public record Declaration(String name, double rate) implements LayerDeclaration {
        @Override
        public DropoutKind kind() {
            return INSTANCE;
        }

        @Override
        public String annotationName() {
            return "Dropout";
        }
    }

    /** The identity at inference. */
    public record Spec(String name, Shape input, Shape output, double rate) implements LayerSpec {
        @Override
        public DropoutKind kind() {
            return INSTANCE;
        }

        @Override
        public String kerasName() {
            return "Dropout";
        }

        @Override
        public boolean movesNoData() {
            return true;
        }
    }

    @Override
    public List<String> annotationNames() {
        return List.of("Dropout");
    }

    @Override
    public Declaration read(String field, String annotationName, AnnotationReader a) throws UnreadableValueException {
        return new Declaration(field, a.doubleValue("rate"));
    }

    @Override
    public int outputRank(Declaration declaration, int inputRank) {
        return inputRank;
    }

    @Override
    public Spec check(Declaration dropout, LayerCheck check) {
        boolean ok = dropout.rate() >= 0 && dropout.rate() < 1;
        if (!ok) {
            check.error(Rule.OUT_OF_RANGE, "rate", dropout.name() + ": rate must lie in [0, 1); found "
                    + dropout.rate());
        }
        Shape in = check.input();
        return ok && in != null ? new Spec(dropout.name(), in, in, dropout.rate()) : null;
    }

    @Override
    public CodeBlock body(Spec spec, LayerCode code) {
        throw new IllegalStateException("Dropout moves no data and has no step");
    }

    @Override
    public String vocabulary(Declaration drop, Map<String, Object> a) {
        a.put("rate", drop.rate());
        return "Dropout";
    }

    @Override
    public RefLayer reference(Declaration drop) {
        return new RefLayer.Dropout(drop.rate());
    }
}
