package dev.netforge.processor.writer;

import com.palantir.javapoet.CodeBlock;
import dev.netforge.Activation;
import dev.netforge.processor.model.Shape;
import dev.netforge.processor.writer.MemoryPlan.Step;
import java.util.List;

/**
 * What a layer kind's {@code body} sees of the writer: the step it writes (with what the memory
 * plan fused into it: a folded BatchNormalization, a max pool, a residual Add, the activation to
 * apply last), whether the method takes a {@code bias}, and the code every kind shares. The
 * method's parameters are {@code in}, {@code out}, then (as the step needs them) {@code residual},
 * {@code padded}, {@code middle}, {@code kernelScratch} and the kind's weight parameters.
 */
public final class LayerCode {
    private final Step step;
    private final boolean bias;

    LayerCode(Step step, boolean bias) {
        this.step = step;
        this.bias = bias;
    }

    public Step step() {
        return step;
    }

    /** The activation the method applies last (the layer's, or a fused activation layer's). */
    public Activation activation() {
        return step.activation();
    }

    /** Whether the method takes a {@code bias} array (the layer's, or a folded BatchNormalization's). */
    public boolean bias() {
        return bias;
    }

    /** Whether the step runs on the runtime's {@code Kernels} (see {@code LayerWriter.usesKernels}). */
    public boolean onKernels() {
        return LayerWriter.usesKernels(step);
    }

    /** The weight parameters of a layer with a kernel and (with {@code bias}) a bias. */
    public static List<String> kernelAndBias(boolean bias) {
        return bias ? List.of("kernel", "bias") : List.of("kernel");
    }

    /** {@code activation} over {@code length} values of {@code array} from {@code offset}. */
    public static CodeBlock applyInPlace(Activation activation, String array, String offset, int length) {
        return ActivationWriter.applyInPlace(activation, array, offset, length);
    }

    /** {@code activation} over a whole tensor (softmax over its last axis). */
    public static CodeBlock applyToTensor(Activation activation, String array, Shape shape) {
        return ActivationWriter.applyToTensor(activation, array, shape);
    }

    /** {@code out[o + c]} = max or sum of itself and {@code in[from + c]}, over all channels. */
    public static CodeBlock reduceInto(String from, int channels, boolean sum) {
        return CodeBlock.builder()
                .beginControlFlow("for (int c = 0, t = $L; c < $L; c++)", from, channels)
                .addStatement(sum ? "out[o + c] += in[t + c]" : "out[o + c] = Math.max(out[o + c], in[t + c])")
                .endControlFlow()
                .build();
    }
}
