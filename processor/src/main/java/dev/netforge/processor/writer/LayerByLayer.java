package dev.netforge.processor.writer;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import dev.netforge.processor.model.Network;
import dev.netforge.processor.writer.MemoryPlan.Step;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import javax.lang.model.element.Modifier;

/**
 * {@code forwardByLayer}: the same layer methods as {@code forward}, but each step writes a fresh
 * array that is kept, so a user comparing with Keras or PyTorch finds the first layer that differs.
 * Outside the allocation-free path by design.
 */
final class LayerByLayer {
    private static final TypeName FLOATS = ArrayTypeName.of(TypeName.FLOAT);
    private static final TypeName FLOAT_ARRAYS = ArrayTypeName.of(FLOATS);
    private static final TypeName OUTPUTS = ParameterizedTypeName.get(Map.class, String.class, float[].class);

    private LayerByLayer() {
    }

    static List<MethodSpec> methods(MemoryPlan plan, Network network, int[] firstTensor,
                                    Function<Step, String> methodName, TextWriter text) {
        List<CodeBlock> steps = new ArrayList<>();
        for (int s = 0; s < plan.steps().size(); s++) {
            Step step = plan.steps().get(s);
            CodeBlock.Builder call = CodeBlock.builder().add("$L(", methodName.apply(step));
            for (int source : step.sourceSteps()) {
                call.add("values[$L], ", source + 1); // values[0] is the input, values[s + 1] step s's output
            }
            call.add("values[$L] = new float[$L]", s + 1, step.output().size());
            if (LayerWriter.usesPadArray(step)) {
                call.add(", pad");
            }
            if (LayerWriter.usesMiddleArray(step)) {
                call.add(", middle");
            }
            if (LayerWriter.usesKernelScratch(step)) {
                call.add(", kernelScratch");
            }
            for (int t = 0; t < LayerWriter.weightParameters(step).size(); t++) {
                call.add(", tensors[$L]", firstTensor[s] + t);
            }
            steps.add(CodeBlock.builder()
                    .addStatement("$L", call.add(")").build())
                    .addStatement("outputs.put($L, values[$L])", text.stepName(s), s + 1)
                    .build());
        }
        List<MethodSpec> methods = new ArrayList<>();
        MethodSpec.Builder entry = MethodSpec.methodBuilder("forwardByLayer")
                .addModifiers(Modifier.PUBLIC)
                .addJavadoc("Runs the network keeping every step's output, for finding where results differ from\n"
                        + "another framework. Keys name the layers each step computes, in order: a layer fused into\n"
                        + "the one before it (a folded BatchNormalization, an activation layer, a max pool after a\n"
                        + "convolution), or a ZeroPadding2D read in place by the depthwise convolution after it, shares\n"
                        + "its entry\n"
                        + "({@code \"conv1 + bn1 + relu1\"}); Flatten and Dropout move no data and have none. Allocates\n"
                        + "new arrays on every call (use {@link #forward} in production); not thread-safe.\n\n"
                        + "@throws IllegalArgumentException if the input does not hold {@link #INPUT_SIZE} values\n")
                .returns(OUTPUTS)
                .addParameter(FLOATS, "input")
                .beginControlFlow("if (input.length != INPUT_SIZE)")
                .addCode(text.raise("inputMustHold", "input.length"))
                .endControlFlow()
                .addStatement("float[][] values = new float[$L][]", plan.steps().size() + 1)
                .addStatement("values[0] = input.clone()")
                .addStatement("$T outputs = new $T<>()", OUTPUTS, LinkedHashMap.class)
                .addStatement("float[][] tensors = weights.tensors");
        for (int part = 0; part * ForwardWriter.STATEMENTS_PER_METHOD < steps.size(); part++) {
            MethodSpec.Builder method = MethodSpec.methodBuilder("forwardByLayerPart" + part)
                    .addModifiers(Modifier.PRIVATE)
                    .addParameter(FLOAT_ARRAYS, "values")
                    .addParameter(OUTPUTS, "outputs")
                    .addParameter(FLOAT_ARRAYS, "tensors");
            steps.subList(part * ForwardWriter.STATEMENTS_PER_METHOD,
                    Math.min(steps.size(), (part + 1) * ForwardWriter.STATEMENTS_PER_METHOD)).forEach(method::addCode);
            methods.add(method.build());
            entry.addStatement("forwardByLayerPart$L(values, outputs, tensors)", part);
        }
        methods.add(0, entry.addStatement("return outputs").build());
        return methods;
    }
}
