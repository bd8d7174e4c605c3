package dev.netforge.processor.kinds;

import com.palantir.javapoet.CodeBlock;
import dev.netforge.processor.model.LayerDeclaration;
import dev.netforge.processor.model.LayerSpec;
import dev.netforge.processor.model.Shape;
import dev.netforge.processor.reading.AnnotationReader;
import dev.netforge.processor.reference.RefLayer;
import dev.netforge.processor.validation.LayerCheck;
import dev.netforge.processor.validation.Rule;
import dev.netforge.processor.writer.LayerCode;
import java.util.List;
import java.util.Map;

/** {@code @Flatten}: moves no data, because activations are stored flat already. */
public final class FlattenKind implements LayerKind.Weightless<FlattenKind.Declaration, FlattenKind.Spec> {
    public static final FlattenKind INSTANCE = new FlattenKind();

    private FlattenKind() {
    }

    public record Declaration(String name) implements LayerDeclaration {
        @Override
        public FlattenKind kind() {
            return INSTANCE;
        }

        @Override
        public String annotationName() {
            return "Flatten";
        }
    }

    /** Flatten; moves no data because activations are stored flat already. */
    public record Spec(String name, Shape input, Shape output) implements LayerSpec {
        @Override
        public FlattenKind kind() {
            return INSTANCE;
        }

        @Override
        public String kerasName() {
            return "Flatten";
        }

        @Override
        public boolean movesNoData() {
            return true;
        }
    }

    @Override
    public List<String> annotationNames() {
        return List.of("Flatten");
    }

    @Override
    public Declaration read(String field, String annotationName, AnnotationReader attributes) {
        return new Declaration(field);
    }

    @Override
    public int outputRank(Declaration declaration, int inputRank) {
        return 1;
    }

    @Override
    public Spec check(Declaration flatten, LayerCheck check) {
        Shape in = check.input();
        if (check.rank() == 1) {
            check.warning(Rule.FLATTEN_OF_VECTOR, null, flatten.name()
                    + ": Flatten of a vector does nothing (legal, as in Keras); remove it"
                    + (in == null ? "" : check.through(flatten.name(), in)));
        }
        return in == null ? null : new Spec(flatten.name(), in, Shape.vector(in.size()));
    }

    @Override
    public CodeBlock body(Spec spec, LayerCode code) {
        throw new IllegalStateException("Flatten moves no data and has no step");
    }

    @Override
    public String vocabulary(Declaration declaration, Map<String, Object> a) {
        return "Flatten";
    }

    @Override
    public RefLayer reference(Declaration declaration) {
        return new RefLayer.Flatten();
    }
}
