package dev.netforge.processor.kinds;

import com.palantir.javapoet.CodeBlock;
import dev.netforge.processor.model.LayerDeclaration;
import dev.netforge.processor.model.LayerSpec;
import dev.netforge.processor.model.Shape;
import dev.netforge.processor.model.Sizes;
import dev.netforge.processor.reading.AnnotationReader;
import dev.netforge.processor.reading.UnreadableValueException;
import dev.netforge.processor.reference.RefLayer;
import dev.netforge.processor.validation.LayerCheck;
import dev.netforge.processor.validation.NetworkValidator;
import dev.netforge.processor.validation.Rule;
import dev.netforge.processor.writer.LayerCode;
import java.util.List;
import java.util.Map;

/** {@code @Reshape}: another shape for the same values; moves no data. */
public final class ReshapeKind implements LayerKind.Weightless<ReshapeKind.Declaration, ReshapeKind.Spec> {
    public static final ReshapeKind INSTANCE = new ReshapeKind();

    private ReshapeKind() {
    }

    public record Declaration(String name, int[] shape) implements LayerDeclaration {
        public Declaration {
            shape = shape.clone();
        }

        @Override
        public ReshapeKind kind() {
            return INSTANCE;
        }

        @Override
        public String annotationName() {
            return "Reshape";
        }

        @Override
        public int[] shape() {
            return shape.clone();
        }
    }

    /** Another shape for the same values: moves no data. */
    public record Spec(String name, Shape input, Shape output) implements LayerSpec {
        @Override
        public ReshapeKind kind() {
            return INSTANCE;
        }

        @Override
        public String kerasName() {
            return "Reshape";
        }

        @Override
        public boolean movesNoData() {
            return true;
        }
    }

    @Override
    public List<String> annotationNames() {
        return List.of("Reshape");
    }

    @Override
    public Declaration read(String field, String annotationName, AnnotationReader a) throws UnreadableValueException {
        return new Declaration(field, a.intArray("value"));
    }

    @Override
    public int outputRank(Declaration declaration, int inputRank) {
        int length = declaration.shape().length;
        return length == 1 || length == 3 ? length : NetworkValidator.UNKNOWN_RANK;
    }

    @Override
    public Spec check(Declaration reshape, LayerCheck check) {
        Shape in = check.input();
        int[] dims = reshape.shape();
        if (dims.length != 1 && dims.length != 3) {
            check.error(Rule.ARRAY_LENGTH, "value", reshape.name() + ": the new shape must be {H, W, C} or {N};"
                    + " found " + dims.length + " sizes " + LayerCheck.braces(dims));
            return null;
        }
        long size = 1;
        for (int d : dims) {
            if (d <= 0) {
                check.error(Rule.NOT_POSITIVE, "value", reshape.name() + ": every size must be positive (NetForge"
                        + " has no -1: write the size out); found " + LayerCheck.braces(dims));
                return null;
            }
            size = Sizes.product(size, d);
        }
        if (in == null) {
            return null;
        }
        if (size != in.size()) {
            check.error(Rule.RESHAPE_SIZE, "value", reshape.name() + ": " + LayerCheck.braces(dims) + " holds "
                    + LayerCheck.format(size) + " values, but its input " + in + " holds " + LayerCheck.format(in.size())
                    + check.through(reshape.name(), null));
            return null;
        }
        Shape out = dims.length == 1 ? Shape.vector(dims[0]) : Shape.image(dims[0], dims[1], dims[2]);
        return new Spec(reshape.name(), in, out);
    }

    @Override
    public CodeBlock body(Spec spec, LayerCode code) {
        throw new IllegalStateException("Reshape moves no data and has no step");
    }

    @Override
    public String vocabulary(Declaration r, Map<String, Object> a) {
        a.put("shape", r.shape());
        return "Reshape";
    }

    @Override
    public RefLayer reference(Declaration r) {
        return new RefLayer.Reshape(r.shape());
    }
}
