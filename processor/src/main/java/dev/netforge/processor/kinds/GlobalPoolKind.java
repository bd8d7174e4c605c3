package dev.netforge.processor.kinds;

import com.palantir.javapoet.CodeBlock;
import dev.netforge.processor.model.LayerDeclaration;
import dev.netforge.processor.model.LayerSpec;
import dev.netforge.processor.model.Shape;
import dev.netforge.processor.reading.AnnotationReader;
import dev.netforge.processor.reference.RefLayer;
import dev.netforge.processor.validation.LayerCheck;
import dev.netforge.processor.writer.LayerCode;
import java.util.List;
import java.util.Map;

/** {@code @GlobalAveragePooling2D} and {@code @GlobalMaxPooling2D}: each channel's mean or maximum. */
public final class GlobalPoolKind implements LayerKind.Weightless<GlobalPoolKind.Declaration, GlobalPoolKind.Spec> {
    public static final GlobalPoolKind INSTANCE = new GlobalPoolKind();

    private GlobalPoolKind() {
    }

    public record Declaration(String name, boolean average) implements LayerDeclaration {
        @Override
        public GlobalPoolKind kind() {
            return INSTANCE;
        }

        @Override
        public String annotationName() {
            return average ? "GlobalAveragePooling2D" : "GlobalMaxPooling2D";
        }
    }

    /** The mean or maximum of each channel over the whole image. */
    public record Spec(String name, Shape input, Shape output, boolean average) implements LayerSpec {
        @Override
        public GlobalPoolKind kind() {
            return INSTANCE;
        }

        @Override
        public String kerasName() {
            return average ? "GlobalAveragePooling2D" : "GlobalMaxPooling2D";
        }
    }

    @Override
    public List<String> annotationNames() {
        return List.of("GlobalAveragePooling2D", "GlobalMaxPooling2D");
    }

    @Override
    public Declaration read(String field, String annotationName, AnnotationReader attributes) {
        return new Declaration(field, annotationName.equals("GlobalAveragePooling2D"));
    }

    @Override
    public int outputRank(Declaration declaration, int inputRank) {
        return 1;
    }

    @Override
    public Spec check(Declaration global, LayerCheck check) {
        Shape in = check.input();
        return check.needsImage(global, in, check.rank()) && in != null
                ? new Spec(global.name(), in, Shape.vector(in.channels()), global.average()) : null;
    }

    @Override
    public CodeBlock body(Spec global, LayerCode layer) {
        int channels = global.input().channels();
        int pixels = global.input().height() * global.input().width();
        CodeBlock.Builder code = CodeBlock.builder()
                .addStatement("System.arraycopy(in, 0, out, 0, $L)", channels)
                .beginControlFlow("for (int p = 1; p < $L; p++)", pixels)
                .addStatement("int o = 0")
                .add(LayerCode.reduceInto("p * " + channels, channels, global.average()))
                .endControlFlow();
        if (global.average()) {
            code.beginControlFlow("for (int c = 0; c < $L; c++)", channels)
                    .addStatement("out[c] /= $Lf", pixels)
                    .endControlFlow();
        }
        return code.build();
    }

    @Override
    public String vocabulary(Declaration g, Map<String, Object> a) {
        return g.average() ? "GlobalAvgPool" : "GlobalMaxPool";
    }

    @Override
    public RefLayer reference(Declaration g) {
        return g.average() ? new RefLayer.GlobalAvgPool() : new RefLayer.GlobalMaxPool();
    }
}
