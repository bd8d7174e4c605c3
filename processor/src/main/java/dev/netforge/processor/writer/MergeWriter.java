package dev.netforge.processor.writer;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeName;
import dev.netforge.processor.kinds.MergeKind;
import dev.netforge.processor.model.MergeOp;
import dev.netforge.processor.model.Shape;
import dev.netforge.processor.writer.MemoryPlan.Step;
import javax.lang.model.element.Modifier;

/**
 * The method of a merging layer: {@code (in0, in1, ..., out)}. Element-wise merges combine the
 * inputs left to right, as Keras does ({@code ((in0 + in1) + in2) ...}, the average divided by the
 * count last), in flat loops C2 vectorises; a concatenation copies each input's channels of every
 * pixel into place.
 */
final class MergeWriter {
    private static final TypeName FLOATS = ArrayTypeName.of(TypeName.FLOAT);

    private MergeWriter() {
    }

    static MethodSpec method(String name, Step step, String description) {
        MergeKind.Spec merge = (MergeKind.Spec) step.layer();
        MethodSpec.Builder method = MethodSpec.methodBuilder(name)
                .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
                .addJavadoc("$L\n", description);
        for (int k = 0; k < merge.inputs().size(); k++) {
            method.addParameter(FLOATS, "in" + k);
        }
        method.addParameter(FLOATS, "out");
        if (merge.op() == MergeOp.CONCATENATE) {
            concatenate(method, merge);
        } else {
            elementWise(method, merge);
        }
        return method.build();
    }

    private static void elementWise(MethodSpec.Builder method, MergeKind.Spec merge) {
        int size = merge.output().size();
        int count = merge.inputs().size();
        method.beginControlFlow("for (int i = 0; i < $L; i++)", size)
                .addStatement("out[i] = $L", combine(merge.op(), "in0[i]", "in1[i]"))
                .endControlFlow();
        for (int k = 2; k < count; k++) {
            method.beginControlFlow("for (int i = 0; i < $L; i++)", size)
                    .addStatement("out[i] = $L", combine(merge.op(), "out[i]", "in" + k + "[i]"))
                    .endControlFlow();
        }
        if (merge.op() == MergeOp.AVERAGE) {
            method.beginControlFlow("for (int i = 0; i < $L; i++)", size)
                    .addStatement("out[i] = out[i] / $Lf", count)
                    .endControlFlow();
        }
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

    private static void concatenate(MethodSpec.Builder method, MergeKind.Spec merge) {
        Shape out = merge.output();
        if (!out.isImage()) {
            int offset = 0;
            for (int k = 0; k < merge.inputs().size(); k++) {
                int size = merge.inputs().get(k).size();
                method.addStatement("System.arraycopy(in$L, 0, out, $L, $L)", k, offset, size);
                offset += size;
            }
            return;
        }
        int pixels = out.height() * out.width();
        method.beginControlFlow("for (int p = 0; p < $L; p++)", pixels);
        int offset = 0;
        for (int k = 0; k < merge.inputs().size(); k++) {
            int channels = merge.inputs().get(k).channels();
            method.addStatement("System.arraycopy(in$L, p * $L, out, p * $L + $L, $L)", k, channels, out.channels(),
                    offset, channels);
            offset += channels;
        }
        method.endControlFlow();
    }
}
