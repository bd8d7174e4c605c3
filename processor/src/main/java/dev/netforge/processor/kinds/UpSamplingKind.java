package dev.netforge.processor.kinds;

import com.palantir.javapoet.CodeBlock;
import dev.netforge.processor.model.LayerDeclaration;
import dev.netforge.processor.model.LayerSpec;
import dev.netforge.processor.model.Shape;
import dev.netforge.processor.model.Sizes;
import dev.netforge.processor.reading.AnnotationReader;
import dev.netforge.processor.reading.UnreadableValueException;
import dev.netforge.processor.reference.RefLayer;
import dev.netforge.processor.validation.LayerCheck;
import dev.netforge.processor.writer.LayerCode;
import java.util.List;
import java.util.Map;

/** {@code @UpSampling2D}: nearest-neighbour upsampling. */
public final class UpSamplingKind implements LayerKind.Weightless<UpSamplingKind.Declaration, UpSamplingKind.Spec> {
    public static final UpSamplingKind INSTANCE = new UpSamplingKind();

    private UpSamplingKind() {
    }

    public record Declaration(String name, int[] size) implements LayerDeclaration {
        public Declaration {
            size = size.clone();
        }

        @Override
        public UpSamplingKind kind() {
            return INSTANCE;
        }

        @Override
        public String annotationName() {
            return "UpSampling2D";
        }

        @Override
        public int[] size() {
            return size.clone();
        }
    }

    /** Nearest-neighbour upsampling: each input cell repeated {@code rows x columns} times. */
    public record Spec(String name, Shape input, Shape output, int rows, int columns) implements LayerSpec {
        @Override
        public UpSamplingKind kind() {
            return INSTANCE;
        }

        @Override
        public String kerasName() {
            return "UpSampling2D";
        }
    }

    @Override
    public List<String> annotationNames() {
        return List.of("UpSampling2D");
    }

    @Override
    public Declaration read(String field, String annotationName, AnnotationReader a) throws UnreadableValueException {
        return new Declaration(field, a.intArray("size"));
    }

    @Override
    public int outputRank(Declaration declaration, int inputRank) {
        return 3;
    }

    @Override
    public Spec check(Declaration upSampling, LayerCheck check) {
        Shape in = check.input();
        int[] size = check.pair(upSampling.name(), "size", upSampling.size(), false);
        if (size == null || !check.needsImage(upSampling, in, check.rank()) || in == null) {
            return null;
        }
        long height = (long) in.height() * size[0], width = (long) in.width() * size[1];
        if (!check.fitsArray(upSampling.name(), "size", "output of " + height + "x" + width + "x" + in.channels()
                + " values", Sizes.product(height, width, in.channels()), null)) {
            return null;
        }
        return new Spec(upSampling.name(), in, Shape.image((int) height, (int) width, in.channels()),
                size[0], size[1]);
    }

    @Override
    public CodeBlock body(Spec up, LayerCode code) {
        Shape in = up.input();
        Shape out = up.output();
        int channels = in.channels();
        return CodeBlock.builder()
                .beginControlFlow("for (int oh = 0; oh < $L; oh++)", out.height())
                .addStatement("int row = (oh / $L) * $L", up.rows(), (long) in.width() * channels)
                .beginControlFlow("for (int ow = 0; ow < $L; ow++)", out.width())
                .addStatement("System.arraycopy(in, row + (ow / $L) * $L, out, (oh * $L + ow) * $L, $L)", up.columns(),
                        channels, out.width(), channels, channels)
                .endControlFlow()
                .endControlFlow()
                .build();
    }

    @Override
    public String vocabulary(Declaration u, Map<String, Object> a) {
        a.put("size", LayerDeclaration.pair(u.size()));
        return "UpSampling2D";
    }

    @Override
    public RefLayer reference(Declaration u) {
        int[] size = LayerDeclaration.pair(u.size());
        return new RefLayer.UpSampling2D(size[0], size[1]);
    }
}
