package dev.netforge.processor.kinds;

import com.palantir.javapoet.CodeBlock;
import dev.netforge.processor.model.LayerDeclaration;
import dev.netforge.processor.model.LayerSpec;
import dev.netforge.processor.model.MergeOp;
import dev.netforge.processor.model.Shape;
import dev.netforge.processor.model.Sizes;
import dev.netforge.processor.reading.AnnotationReader;
import dev.netforge.processor.reading.DeclaredModel;
import dev.netforge.processor.reference.RefLayer;
import dev.netforge.processor.validation.LayerCheck;
import dev.netforge.processor.validation.Rule;
import dev.netforge.processor.writer.LayerCode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The merging layers ({@code @Add}, {@code @Concatenate}, ...; {@link MergeOp}), whose inputs come
 * from {@code @From}: checked with all of them ({@link LayerCheck#inputs()}), written over
 * {@code in0, in1, ...} (the writer names a merge's inputs so), and evaluated by the reference graph
 * as a merge node.
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

    /**
     * Inputs of identical shape, or for {@code @Concatenate} equal in all but the last axis; a
     * difference is reported on {@code @From} with every input's shape trail.
     */
    @Override
    public Spec check(Declaration merge, LayerCheck check) {
        List<Shape> shapes = new ArrayList<>();
        for (LayerCheck.Input input : check.inputs()) {
            if (input.shape() == null) {
                return null; // an input's own problem was reported where it arose
            }
            shapes.add(input.shape());
        }
        boolean fits;
        Shape out;
        Shape first = shapes.get(0);
        if (merge.op() == MergeOp.CONCATENATE) {
            fits = true;
            long channels = 0;
            for (Shape shape : shapes) {
                fits &= shape.rank() == first.rank()
                        && (!shape.isImage() || shape.height() == first.height() && shape.width() == first.width());
                channels += shape.isImage() ? shape.channels() : shape.size();
            }
            if (fits && Sizes.product(first.isImage() ? (long) first.height() * first.width() : 1, channels)
                    > LayerCheck.MAX_ARRAY_LENGTH) {
                check.error(Rule.TOO_LARGE, null, merge.name() + ": the concatenation has more values than a Java"
                        + " array holds" + check.through(merge.name(), null));
                return null;
            }
            out = !fits ? null : first.isImage() ? Shape.image(first.height(), first.width(), (int) channels)
                    : Shape.vector((int) channels);
        } else {
            fits = shapes.stream().allMatch(first::equals);
            out = first;
        }
        if (!fits) {
            StringBuilder found = new StringBuilder();
            StringBuilder trails = new StringBuilder();
            for (int k = 0; k < shapes.size(); k++) {
                LayerCheck.Input input = check.inputs().get(k);
                found.append(k > 0 ? ", " : "").append(input.name()).append(' ').append(input.shape());
                trails.append(k > 0 ? "; " : "").append(input.name()).append(": ").append(input.trail());
            }
            String rule = merge.op() == MergeOp.CONCATENATE
                    ? "inputs of the same rank that agree in every axis but the channels (the last), as in Keras"
                    : "inputs of identical shape (no broadcasting, as in Keras)";
            check.error(Rule.MERGE_SHAPES, DeclaredModel.FROM, merge.name() + ": @" + merge.op().kerasName()
                    + " needs " + rule + "; found " + found + ". Shape trails: " + trails);
            return null;
        }
        return new Spec(merge.name(), shapes, out, merge.op());
    }

    /**
     * Over the inputs {@code in0, in1, ...}: element-wise merges combine them left to right, as Keras
     * does ({@code ((in0 + in1) + in2) ...}, the average divided by the count last), in flat loops C2
     * vectorises; a concatenation copies each input's channels of every pixel into place.
     */
    @Override
    public CodeBlock body(Spec merge, LayerCode code) {
        CodeBlock.Builder body = CodeBlock.builder();
        Shape out = merge.output();
        int count = merge.inputs().size();
        if (merge.op() != MergeOp.CONCATENATE) {
            body.beginControlFlow("for (int i = 0; i < $L; i++)", out.size())
                    .addStatement("out[i] = $L", combine(merge.op(), "in0[i]", "in1[i]"))
                    .endControlFlow();
            for (int k = 2; k < count; k++) {
                body.beginControlFlow("for (int i = 0; i < $L; i++)", out.size())
                        .addStatement("out[i] = $L", combine(merge.op(), "out[i]", "in" + k + "[i]"))
                        .endControlFlow();
            }
            if (merge.op() == MergeOp.AVERAGE) {
                body.beginControlFlow("for (int i = 0; i < $L; i++)", out.size())
                        .addStatement("out[i] = out[i] / $Lf", count)
                        .endControlFlow();
            }
            return body.build();
        }
        if (!out.isImage()) {
            int offset = 0;
            for (int k = 0; k < count; k++) {
                int size = merge.inputs().get(k).size();
                body.addStatement("System.arraycopy(in$L, 0, out, $L, $L)", k, offset, size);
                offset += size;
            }
            return body.build();
        }
        body.beginControlFlow("for (int p = 0; p < $L; p++)", out.height() * out.width());
        int offset = 0;
        for (int k = 0; k < count; k++) {
            int channels = merge.inputs().get(k).channels();
            body.addStatement("System.arraycopy(in$L, p * $L, out, p * $L + $L, $L)", k, channels, out.channels(),
                    offset, channels);
            offset += channels;
        }
        return body.endControlFlow().build();
    }

    private static String combine(MergeOp op, String a, String b) {
        return switch (op) {
            case ADD, AVERAGE -> a + " + " + b;
            case SUBTRACT -> a + " - " + b;
            case MULTIPLY -> a + " * " + b;
            case MAXIMUM -> "Math.max(" + a + ", " + b + ")";
            case MINIMUM -> "Math.min(" + a + ", " + b + ")";
            case CONCATENATE -> throw new IllegalArgumentException("not element-wise");
        };
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
