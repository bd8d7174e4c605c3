package dev.netforge.processor.writer;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.ArrayTypeName;
import dev.netforge.Activation;
import javax.lang.model.element.Modifier;

/**
 * Writes the code that applies an activation in place to a run of elements, with Keras's
 * definitions. Element-wise activations are inlined into the layer's loop; softmax needs the whole
 * run (the last axis) and calls the one {@code softmax} helper of the generated class.
 */
final class ActivationWriter {
    static final String SOFTMAX_HELPER = "softmax";

    private ActivationWriter() {
    }

    /**
     * Applies {@code activation} to {@code array[offset .. offset + length)}; empty for LINEAR.
     * {@code offset} is a Java expression evaluated once.
     */
    static CodeBlock applyInPlace(Activation activation, String array, String offset, int length) {
        CodeBlock.Builder code = CodeBlock.builder();
        switch (activation) {
            case LINEAR -> {
                // identity: nothing to do
            }
            case SOFTMAX -> code.addStatement("$L($L, $L, $L)", SOFTMAX_HELPER, array, offset, length);
            default -> {
                String index = offset.equals("0") ? "e" : offset + " + e";
                code.beginControlFlow("for (int e = 0; e < $L; e++)", length)
                        .addStatement("$L[$L] = $L", array, index, elementwise(activation, array + "[" + index + "]"))
                        .endControlFlow();
            }
        }
        return code.build();
    }

    /** The expression for one element; {@code x} is evaluated once per use, so keep it a plain access. */
    private static String elementwise(Activation activation, String x) {
        return switch (activation) {
            case RELU -> "Math.max(" + x + ", 0f)";
            case SIGMOID -> "(float) (1.0 / (1.0 + Math.exp(-" + x + ")))";
            case TANH -> "(float) Math.tanh(" + x + ")";
            case LINEAR, SOFTMAX -> throw new IllegalArgumentException(activation + " is not element-wise");
        };
    }

    static boolean needsSoftmaxHelper(Activation activation) {
        return activation == Activation.SOFTMAX;
    }

    /** Softmax over one run, computed stably: subtract the maximum, exponentiate, divide by the sum. */
    static MethodSpec softmaxHelper() {
        TypeName floats = ArrayTypeName.of(TypeName.FLOAT);
        return MethodSpec.methodBuilder(SOFTMAX_HELPER)
                .addJavadoc("Softmax over {@code a[offset .. offset + length)}, stably (the maximum is subtracted first).\n")
                .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
                .addParameter(floats, "a")
                .addParameter(TypeName.INT, "offset")
                .addParameter(TypeName.INT, "length")
                .addStatement("float max = a[offset]")
                .beginControlFlow("for (int i = 1; i < length; i++)")
                .addStatement("max = Math.max(max, a[offset + i])")
                .endControlFlow()
                .addStatement("float sum = 0f")
                .beginControlFlow("for (int i = 0; i < length; i++)")
                .addStatement("float e = (float) Math.exp(a[offset + i] - max)")
                .addStatement("a[offset + i] = e")
                .addStatement("sum += e")
                .endControlFlow()
                .beginControlFlow("for (int i = 0; i < length; i++)")
                .addStatement("a[offset + i] /= sum")
                .endControlFlow()
                .build();
    }
}
