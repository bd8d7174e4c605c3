package dev.netforge.processor.writer;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeName;
import dev.netforge.processor.kinds.Conv2DKind;
import dev.netforge.processor.kinds.DenseKind;
import dev.netforge.processor.kinds.DepthwiseConv2DKind;
import dev.netforge.processor.kinds.LayerKinds;
import dev.netforge.processor.kinds.MergeKind;
import dev.netforge.processor.kinds.SeparableConv2DKind;
import dev.netforge.processor.model.LayerSpec;
import dev.netforge.processor.writer.MemoryPlan.Step;
import java.util.List;
import javax.lang.model.element.Modifier;

/**
 * Writes one specialised static method per step: every size a literal, loops with constant bounds,
 * small windows unrolled; the hot convolutions and Dense layers call the runtime's kernels with
 * constant arguments. A method's size does not grow with the layer's sizes (only with the
 * window when unrolled, which is capped), so it stays far below HotSpot's 8,000-byte limit for any
 * accepted model. The statements themselves are the layer kind's ({@code LayerKind.body}); this
 * class writes the method around them.
 */
final class LayerWriter {
    private static final TypeName FLOATS = ArrayTypeName.of(TypeName.FLOAT);

    private LayerWriter() {
    }

    /** The names of the prepared weight arrays a step's method takes, in order. */
    static List<String> weightParameters(Step step) {
        // a folded BatchNormalization gives a layer without bias one
        boolean bias = step.layer().useBias() || step.foldedNorm() != null;
        return LayerKinds.weightParameters(step.layer(), bias);
    }

    /** Whether this step's method takes the shared pad array. */
    static boolean usesPadArray(Step step) {
        return step.layer().paddedInputWindow() != null;
    }

    /** Whether the step's method takes the runtime kernels' scratch array (their convolutions do). */
    static boolean usesKernelScratch(Step step) {
        return usesKernels(step) && (step.layer() instanceof Conv2DKind.Spec || step.layer() instanceof SeparableConv2DKind.Spec);
    }

    /** Whether the step's method takes the array a separable convolution's depthwise half writes. */
    static boolean usesMiddleArray(Step step) {
        return step.layer() instanceof SeparableConv2DKind.Spec;
    }

    /**
     * Whether a step runs on the runtime's {@code Kernels}: undilated convolutions (with a fused max
     * pool), depthwise and separable convolutions and Dense layers, the hot loops. Their
     * register-blocked plain-Java implementation is about 2x faster than loops C2 would compile here
     * (on JDK 17 C2 does not vectorise a multiply-add across two float arrays at different offsets),
     * and the Vector API one is used when the JVM has {@code jdk.incubator.vector}.
     */
    static boolean usesKernels(Step step) {
        return step.layer() instanceof DenseKind.Spec || step.layer() instanceof SeparableConv2DKind.Spec
                || step.layer() instanceof DepthwiseConv2DKind.Spec
                || step.layer() instanceof Conv2DKind.Spec conv && !conv.window().dilated();
    }

    /**
     * The method computing {@code step}: {@code (in[, residual], out[, padded][, kernelScratch], weights...)}
     * ({@code residual} for a step with a fused Add: the Add's other input).
     * Sizes are literals; a convolution on the kernels is a pad copy (when padded), one kernel call
     * with constant arguments, and the activation the kernel does not apply.
     */
    static MethodSpec method(String name, Step step, String description) {
        MethodSpec.Builder method = MethodSpec.methodBuilder(name)
                .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
                .addJavadoc("$L\n", description);
        if (step.layer() instanceof MergeKind.Spec merge) {
            // the one kind with several inputs: in0, in1, ... in @From order
            for (int k = 0; k < merge.inputs().size(); k++) {
                method.addParameter(FLOATS, "in" + k);
            }
        } else {
            method.addParameter(FLOATS, "in");
        }
        if (step.fusedAdd() != null) {
            method.addParameter(FLOATS, "residual");
        }
        method.addParameter(FLOATS, "out");
        if (usesPadArray(step)) {
            method.addParameter(FLOATS, "padded");
        }
        if (usesMiddleArray(step)) {
            method.addParameter(FLOATS, "middle");
        }
        if (usesKernelScratch(step)) {
            method.addParameter(FLOATS, "kernelScratch");
        }
        for (String weight : weightParameters(step)) {
            method.addParameter(FLOATS, weight);
        }
        return method.addCode(body(step)).build();
    }

    /** The statements of a step's method: the kind's. */
    private static CodeBlock body(Step step) {
        return LayerKinds.body(step.layer(), new LayerCode(step, weightParameters(step).contains("bias")));
    }

    /** The summary line of a layer: the kind's. */
    static String describe(LayerSpec layer) {
        return LayerKinds.describe(layer);
    }
}
