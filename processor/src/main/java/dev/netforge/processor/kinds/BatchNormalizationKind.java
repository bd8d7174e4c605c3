package dev.netforge.processor.kinds;

import dev.netforge.shapes.KerasWeights;
import com.palantir.javapoet.CodeBlock;
import dev.netforge.processor.model.LayerDeclaration;
import dev.netforge.processor.model.LayerSpec;
import dev.netforge.processor.model.Shape;
import dev.netforge.processor.model.WeightTensor;
import dev.netforge.processor.reading.AnnotationReader;
import dev.netforge.processor.reading.UnreadableValueException;
import dev.netforge.processor.reference.RefLayer;
import dev.netforge.processor.validation.LayerCheck;
import dev.netforge.processor.validation.Rule;
import dev.netforge.processor.writer.LayerCode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code @BatchNormalization}: inference-time normalization over the last axis. */
public final class BatchNormalizationKind implements LayerKind<BatchNormalizationKind.Declaration, BatchNormalizationKind.Spec> {
    public static final BatchNormalizationKind INSTANCE = new BatchNormalizationKind();

    private BatchNormalizationKind() {
    }

    public record Declaration(String name, double epsilon, boolean center, boolean scale) implements LayerDeclaration {
        @Override
        public BatchNormalizationKind kind() {
            return INSTANCE;
        }

        @Override
        public String annotationName() {
            return "BatchNormalization";
        }
    }

    /**
     * Inference-time batch normalization over the last axis: gamma (if {@code scale}), beta (if
     * {@code center}), moving mean and variance.
     */
    public record Spec(String name, Shape input, Shape output, double epsilon, boolean center, boolean scale)
            implements LayerSpec {
        @Override
        public BatchNormalizationKind kind() {
            return INSTANCE;
        }

        @Override
        public String kerasName() {
            return "BatchNormalization";
        }

        @Override
        public long parameterCount() {
            return (2L + (center ? 1 : 0) + (scale ? 1 : 0)) * input.channels();
        }
    }

    @Override
    public List<String> annotationNames() {
        return List.of("BatchNormalization");
    }

    @Override
    public Declaration read(String field, String annotationName, AnnotationReader a) throws UnreadableValueException {
        return new Declaration(field, a.doubleValue("epsilon"), a.booleanValue("center"), a.booleanValue("scale"));
    }

    @Override
    public int outputRank(Declaration declaration, int inputRank) {
        return inputRank;
    }

    @Override
    public Spec check(Declaration norm, LayerCheck check) {
        boolean ok = norm.epsilon() > 0 && Double.isFinite(norm.epsilon());
        if (!ok) {
            check.error(Rule.NOT_POSITIVE, "epsilon", norm.name() + ": epsilon must be a positive number"
                    + " (Keras's default is 0.001); found " + norm.epsilon());
        }
        Shape in = check.input();
        return ok && in != null ? new Spec(norm.name(), in, in, norm.epsilon(), norm.center(), norm.scale()) : null;
    }

    @Override
    public List<WeightTensor> weights(Spec norm) {
        return WeightTensor.of(KerasWeights.batchNormalization(norm.input().channels(), norm.center(), norm.scale()));
    }

    @Override
    public List<String> weightParameters(Spec spec, boolean bias) {
        return List.of("scale", "shift");
    }

    @Override
    /** {@code out = in * scale + shift} per channel; scale and shift are computed once, from the weights. */
    public CodeBlock body(Spec norm, LayerCode code) {
        int channels = norm.input().channels();
        int pixels = norm.input().size() / channels;
        return CodeBlock.builder()
                .beginControlFlow("for (int p = 0; p < $L; p++)", pixels)
                .addStatement("int o = p * $L", channels)
                .beginControlFlow("for (int c = 0; c < $L; c++)", channels)
                .addStatement("out[o + c] = in[o + c] * scale[c] + shift[c]")
                .endControlFlow()
                .add(LayerCode.applyInPlace(code.activation(), "out", "o", channels))
                .endControlFlow()
                .build();
    }

    @Override
    public String vocabulary(Declaration b, Map<String, Object> a) {
        a.put("epsilon", b.epsilon());
        a.put("center", b.center());
        a.put("scale", b.scale());
        return "BatchNormalization";
    }

    @Override
    public RefLayer reference(Declaration b) {
        return new RefLayer.BatchNorm(b.epsilon(), b.center(), b.scale());
    }
}
