package dev.netforge.processor.writer;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeName;
import dev.netforge.Activation;
import dev.netforge.processor.model.Shape;
import javax.lang.model.element.Modifier;

/**
 * Writes the code that applies an activation in place, with Keras's definitions and constants.
 * Element-wise activations are inlined into the layer's loop; softmax needs the whole last axis and
 * calls the {@code softmax} helper; GELU calls the {@code erfc} helper (Java has no erf).
 */
final class ActivationWriter {
    static final String SOFTMAX_HELPER = "softmax";
    static final String ERFC_HELPER = "erfc";

    /** Keras's SELU constants, and their product for the negative branch. */
    static final double SELU_SCALE = 1.05070098735548049342;
    static final double SELU_ALPHA = 1.67326324235437728481;

    private ActivationWriter() {
    }

    /**
     * Applies {@code activation} to {@code array[offset .. offset + length)}, which is one last axis
     * (one pixel's channels, or a whole vector); empty for LINEAR. {@code offset} is a Java
     * expression evaluated once.
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
                        .addStatement("float x = $L[$L]", array, index)
                        .addStatement("$L[$L] = $L", array, index, elementwise(activation))
                        .endControlFlow();
            }
        }
        return code.build();
    }

    /** Applies {@code activation} to a whole tensor of {@code shape} held in {@code array}. */
    static CodeBlock applyToTensor(Activation activation, String array, Shape shape) {
        if (activation != Activation.SOFTMAX || !shape.isImage()) {
            return applyInPlace(activation, array, "0", shape.size());
        }
        return CodeBlock.builder()
                .beginControlFlow("for (int p = 0; p < $L; p++)", shape.height() * shape.width())
                .add(applyInPlace(activation, array, "p * " + shape.channels(), shape.channels()))
                .endControlFlow()
                .build();
    }

    /** The expression for one element {@code x} (a float local). */
    private static String elementwise(Activation activation) {
        return switch (activation) {
            case RELU -> "Math.max(x, 0f)";
            case RELU6 -> "Math.min(Math.max(x, 0f), 6f)";
            case LEAKY_RELU -> "x >= 0f ? x : 0.2f * x";
            case SIGMOID -> "(float) (1.0 / (1.0 + Math.exp(-x)))";
            case HARD_SIGMOID -> "Math.min(Math.max(x + 3f, 0f), 6f) / 6f";
            case TANH -> "(float) Math.tanh(x)";
            case ELU -> "x > 0f ? x : (float) Math.expm1(x)";
            case SELU -> "(float) (x > 0f ? " + SELU_SCALE + " * x : " + SELU_SCALE * SELU_ALPHA + " * Math.expm1(x))";
            case SWISH -> "(float) (x / (1.0 + Math.exp(-x)))";
            case GELU -> "(float) (0.5 * x * " + ERFC_HELPER + "(-x * 0.7071067811865476))";
            case SOFTPLUS -> "(float) (Math.max(x, 0.0) + Math.log1p(Math.exp(-Math.abs(x))))";
            case MISH -> "(float) (x * Math.tanh(Math.max(x, 0.0) + Math.log1p(Math.exp(-Math.abs(x)))))";
            case SOFTSIGN -> "x / (1f + Math.abs(x))";
            case GELU_TANH -> "(float) (0.5 * x * (1.0 + Math.tanh(0.7978845608028654 * (x + 0.044715 * x * x * x))))";
            case LINEAR, SOFTMAX -> throw new IllegalArgumentException(activation + " is not element-wise");
        };
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

    /**
     * The complementary error function with a fractional error below 1.2e-7 everywhere (Numerical
     * Recipes' Chebyshev fit {@code erfcc}): float32 precision, and accurate in the far tail where
     * {@code 1 - erf} would cancel, so GELU stays accurate for large negative inputs.
     */
    static MethodSpec erfcHelper() {
        return MethodSpec.methodBuilder(ERFC_HELPER)
                .addJavadoc("erfc(z), fractional error below 1.2e-7 (Numerical Recipes, erfcc).\n")
                .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
                .returns(TypeName.DOUBLE)
                .addParameter(TypeName.DOUBLE, "z")
                .addStatement("double t = 1.0 / (1.0 + 0.5 * Math.abs(z))")
                .addStatement("double r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196"
                        + " + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398"
                        + " + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))))")
                .addStatement("return z >= 0 ? r : 2.0 - r")
                .build();
    }
}
