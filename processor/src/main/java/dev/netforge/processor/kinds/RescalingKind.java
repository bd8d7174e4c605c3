package dev.netforge.processor.kinds;

import com.palantir.javapoet.CodeBlock;
import dev.netforge.processor.model.LayerDeclaration;
import dev.netforge.processor.model.LayerSpec;
import dev.netforge.processor.model.Shape;
import dev.netforge.processor.reading.AnnotationReader;
import dev.netforge.processor.reading.UnreadableValueException;
import dev.netforge.processor.reference.RefLayer;
import dev.netforge.processor.validation.LayerCheck;
import dev.netforge.processor.validation.Rule;
import dev.netforge.processor.writer.LayerCode;
import java.util.List;
import java.util.Map;

/** {@code @Rescaling}: {@code x * scale + offset}. */
public final class RescalingKind implements LayerKind.Weightless<RescalingKind.Declaration, RescalingKind.Spec> {
    public static final RescalingKind INSTANCE = new RescalingKind();

    private RescalingKind() {
    }

    public record Declaration(String name, double scale, double offset) implements LayerDeclaration {
        @Override
        public RescalingKind kind() {
            return INSTANCE;
        }

        @Override
        public String annotationName() {
            return "Rescaling";
        }
    }

    /** {@code x * scale + offset} with both in float32, as Keras computes it. */
    public record Spec(String name, Shape input, Shape output, float scale, float offset) implements LayerSpec {
        @Override
        public RescalingKind kind() {
            return INSTANCE;
        }

        @Override
        public String kerasName() {
            return "Rescaling";
        }
    }

    @Override
    public List<String> annotationNames() {
        return List.of("Rescaling");
    }

    @Override
    public Declaration read(String field, String annotationName, AnnotationReader a) throws UnreadableValueException {
        return new Declaration(field, a.doubleValue("scale"), a.doubleValue("offset"));
    }

    @Override
    public int outputRank(Declaration declaration, int inputRank) {
        return inputRank;
    }

    @Override
    public Spec check(Declaration rescaling, LayerCheck check) {
        boolean ok = Double.isFinite(rescaling.scale()) && Double.isFinite(rescaling.offset());
        if (!ok) {
            check.error(Rule.OUT_OF_RANGE, Double.isFinite(rescaling.scale()) ? "offset" : "scale", rescaling.name()
                    + ": scale and offset must be finite numbers; found " + rescaling.scale() + " and "
                    + rescaling.offset());
        }
        Shape in = check.input();
        return ok && in != null ? new Spec(rescaling.name(), in, in, (float) rescaling.scale(),
                (float) rescaling.offset()) : null;
    }

    @Override
    public CodeBlock body(Spec rescaling, LayerCode code) {
        return CodeBlock.builder()
                .beginControlFlow("for (int i = 0; i < $L; i++)", rescaling.output().size())
                .addStatement("out[i] = in[i] * $Lf + $Lf", rescaling.scale(), rescaling.offset())
                .endControlFlow()
                .build();
    }

    @Override
    public String vocabulary(Declaration r, Map<String, Object> a) {
        a.put("scale", r.scale());
        a.put("offset", r.offset());
        return "Rescaling";
    }

    @Override
    public RefLayer reference(Declaration r) {
        return new RefLayer.Rescaling(r.scale(), r.offset());
    }
}
