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

/** {@code @LeakyReLU}: {@code x >= 0 ? x : alpha * x}, element-wise. */
public final class LeakyReLUKind implements LayerKind.Weightless<LeakyReLUKind.Declaration, LeakyReLUKind.Spec> {
    public static final LeakyReLUKind INSTANCE = new LeakyReLUKind();

    private LeakyReLUKind() {
    }

    public record Declaration(String name, float alpha) implements LayerDeclaration {
        @Override
        public LeakyReLUKind kind() {
            return INSTANCE;
        }

        @Override
        public String annotationName() {
            return "LeakyReLU";
        }
    }

    /** {@code x >= 0 ? x : alpha * x}, element-wise. */
    public record Spec(String name, Shape input, Shape output, float alpha) implements LayerSpec {
        @Override
        public LeakyReLUKind kind() {
            return INSTANCE;
        }

        @Override
        public String kerasName() {
            return "LeakyReLU";
        }
    }

    @Override
    public List<String> annotationNames() {
        return List.of("LeakyReLU");
    }

    @Override
    public Declaration read(String field, String annotationName, AnnotationReader a) throws UnreadableValueException {
        return new Declaration(field, a.floatValue("alpha"));
    }

    @Override
    public int outputRank(Declaration declaration, int inputRank) {
        return inputRank;
    }

    @Override
    public Spec check(Declaration leaky, LayerCheck check) {
        boolean ok = leaky.alpha() >= 0 && Float.isFinite(leaky.alpha());
        if (!ok) {
            check.error(Rule.OUT_OF_RANGE, "alpha", leaky.name() + ": alpha must be a number >= 0 (Keras's"
                    + " default is 0.3); found " + leaky.alpha());
        }
        Shape in = check.input();
        return ok && in != null ? new Spec(leaky.name(), in, in, leaky.alpha()) : null;
    }

    @Override
    public CodeBlock body(Spec leaky, LayerCode code) {
        return CodeBlock.builder()
                .beginControlFlow("for (int i = 0; i < $L; i++)", leaky.output().size())
                .addStatement("float x = in[i]")
                .addStatement("out[i] = x >= 0f ? x : $Lf * x", leaky.alpha())
                .endControlFlow()
                .build();
    }

    @Override
    public String vocabulary(Declaration l, Map<String, Object> a) {
        a.put("alpha", (double) l.alpha());
        return "LeakyReLU";
    }

    @Override
    public RefLayer reference(Declaration l) {
        return new RefLayer.LeakyReLU(l.alpha());
    }
}
