package dev.netforge.processor.writer;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeName;
import javax.lang.model.element.Modifier;

/**
 * Helpers the generated {@code Weights} class uses when it is built (never in {@code forward}):
 * BatchNormalization folded into the layer before it, or turned into one scale and shift per
 * channel. Computed in double and rounded once to float.
 */
final class WeightPreparation {
    private static final TypeName FLOATS = ArrayTypeName.of(TypeName.FLOAT);
    private static final TypeName FLOAT_ARRAYS = ArrayTypeName.of(FLOATS);

    private WeightPreparation() {
    }

    /**
     * {@code kernel' = kernel * s} and {@code bias' = (bias - mean) * s + beta} per output channel (the
     * kernel's last axis), with {@code s = gamma / sqrt(variance + epsilon)}.
     */
    static MethodSpec foldBatchNorm() {
        return MethodSpec.methodBuilder("foldBatchNorm")
                .addJavadoc("Folds a BatchNormalization into the kernel and bias of the layer before it:\n"
                        + "{@code kernel * s} and {@code (bias - mean) * s + beta}, {@code s = gamma / sqrt(variance + epsilon)},\n"
                        + "per output channel (the kernel's last axis). {@code bias < 0} means the layer has none, as\n"
                        + "{@code gamma < 0} (a factor of 1) and {@code beta < 0} (an offset of 0) mean the normalization has none.\n")
                .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
                .addParameter(FLOATS, "parameters")
                .addParameter(FLOAT_ARRAYS, "tensors")
                .addParameter(TypeName.INT, "index")
                .addParameter(TypeName.INT, "kernel")
                .addParameter(TypeName.INT, "kernelLength")
                .addParameter(TypeName.INT, "bias")
                .addParameter(TypeName.INT, "gamma")
                .addParameter(TypeName.INT, "beta")
                .addParameter(TypeName.INT, "mean")
                .addParameter(TypeName.INT, "variance")
                .addParameter(TypeName.INT, "channels")
                .addParameter(TypeName.DOUBLE, "epsilon")
                .addStatement("double[] scale = new double[channels]")
                .addStatement("float[] folded = new float[channels]")
                .beginControlFlow("for (int c = 0; c < channels; c++)")
                .addStatement("scale[c] = (gamma < 0 ? 1.0 : parameters[gamma + c])"
                        + " / Math.sqrt((double) parameters[variance + c] + epsilon)")
                .addStatement("double before = bias < 0 ? 0.0 : parameters[bias + c]")
                .addStatement("folded[c] = (float) ((before - parameters[mean + c]) * scale[c]"
                        + " + (beta < 0 ? 0.0 : parameters[beta + c]))")
                .endControlFlow()
                .addStatement("float[] weights = new float[kernelLength]")
                .beginControlFlow("for (int i = 0; i < kernelLength; i++)")
                .addStatement("weights[i] = (float) (parameters[kernel + i] * scale[i % channels])")
                .endControlFlow()
                .addStatement("tensors[index] = weights")
                .addStatement("tensors[index + 1] = folded")
                .build();
    }

    /** {@code scale = gamma / sqrt(variance + epsilon)}, {@code shift = beta - mean * scale}. */
    static MethodSpec batchNormAffine() {
        return MethodSpec.methodBuilder("batchNormAffine")
                .addJavadoc("A BatchNormalization as one scale and shift per channel.\n")
                .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
                .addParameter(FLOATS, "parameters")
                .addParameter(FLOAT_ARRAYS, "tensors")
                .addParameter(TypeName.INT, "index")
                .addParameter(TypeName.INT, "gamma")
                .addParameter(TypeName.INT, "beta")
                .addParameter(TypeName.INT, "mean")
                .addParameter(TypeName.INT, "variance")
                .addParameter(TypeName.INT, "channels")
                .addParameter(TypeName.DOUBLE, "epsilon")
                .addStatement("float[] scale = new float[channels]")
                .addStatement("float[] shift = new float[channels]")
                .beginControlFlow("for (int c = 0; c < channels; c++)")
                .addStatement("double s = (gamma < 0 ? 1.0 : parameters[gamma + c])"
                        + " / Math.sqrt((double) parameters[variance + c] + epsilon)")
                .addStatement("scale[c] = (float) s")
                .addStatement("shift[c] = (float) ((beta < 0 ? 0.0 : parameters[beta + c]) - parameters[mean + c] * s)")
                .endControlFlow()
                .addStatement("tensors[index] = scale")
                .addStatement("tensors[index + 1] = shift")
                .build();
    }
}
