package dev.netforge.processor.kinds;

import com.palantir.javapoet.CodeBlock;
import dev.netforge.processor.model.LayerDeclaration;
import dev.netforge.processor.model.LayerSpec;
import dev.netforge.processor.model.MergeOp;
import dev.netforge.processor.model.Shape;
import dev.netforge.processor.reading.AnnotationReader;
import dev.netforge.processor.reference.RefLayer;
import dev.netforge.processor.validation.LayerCheck;
import dev.netforge.processor.writer.LayerCode;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The merging layers ({@code @Add}, {@code @Concatenate}, ...; {@link MergeOp}), whose inputs come
 * from {@code @From}. Having several inputs, a merge is checked by {@code NetworkValidator} with all
 * of them, written by {@code MergeWriter} and evaluated by the reference graph as a merge node; this
 * kind reads, names and describes it.
 */
public final class MergeKind implements LayerKind.Weightless<MergeKind.Declaration, MergeKind.Spec> {
    public static final MergeKind INSTANCE = new MergeKind();

    private MergeKind() {
    }

    /** A merging layer ({@code @Add}, {@code @Concatenate}, ...); its inputs come from {@code @From}. */
    public record Declaration(String name, MergeOp op) implements LayerDeclaration {
        @Override
        public MergeKind kind() {
            return INSTANCE;
        }

        @Override
        public String annotationName() {
            return op.kerasName();
        }
    }

    /**
     * A merging layer: element-wise over inputs of identical shape, or a concatenation along the
     * last axis. {@link #input()} is the first input; {@link #inputs()} all of them, in order.
     */
    public record Spec(String name, List<Shape> inputs, Shape output, MergeOp op) implements LayerSpec {
        public Spec {
            inputs = List.copyOf(inputs);
        }

        @Override
        public MergeKind kind() {
            return INSTANCE;
        }

        @Override
        public Shape input() {
            return inputs.get(0);
        }

        @Override
        public String kerasName() {
            return op.kerasName();
        }
    }

    @Override
    public List<String> annotationNames() {
        return Arrays.stream(MergeOp.values()).map(MergeOp::kerasName).toList();
    }

    @Override
    public Declaration read(String field, String annotationName, AnnotationReader attributes) {
        return new Declaration(field, MergeOp.ofAnnotation(annotationName));
    }

    /** A merge keeps its inputs' rank. */
    @Override
    public int outputRank(Declaration declaration, int inputRank) {
        return inputRank;
    }

    @Override
    public Spec check(Declaration merge, LayerCheck check) {
        throw new IllegalStateException("a merge is checked with all its inputs (NetworkValidator.checkMerge)");
    }

    @Override
    public CodeBlock body(Spec spec, LayerCode code) {
        throw new IllegalStateException("a merge's method is MergeWriter's");
    }

    @Override
    public String describe(Spec merge) {
        StringBuilder inputs = new StringBuilder();
        for (Shape in : merge.inputs()) {
            inputs.append(inputs.length() > 0 ? " + " : "").append(in);
        }
        return merge.kerasName() + " of " + merge.inputs().size() + " inputs, " + inputs + " -> " + merge.output();
    }

    @Override
    public String vocabulary(Declaration merge, Map<String, Object> attributes) {
        return merge.op().kerasName();
    }

    @Override
    public RefLayer reference(Declaration merge) {
        throw new IllegalArgumentException("a merge is a graph node, not a single-input layer");
    }
}
