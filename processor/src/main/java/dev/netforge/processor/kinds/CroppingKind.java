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

/** {@code @Cropping2D}: the image without rows and columns at its borders. */
public final class CroppingKind implements LayerKind.Weightless<CroppingKind.Declaration, CroppingKind.Spec> {
    public static final CroppingKind INSTANCE = new CroppingKind();

    private CroppingKind() {
    }

    /** {@code @Cropping2D}: one, two or four values, as {@code @ZeroPadding2D}. */
    public record Declaration(String name, int[] cropping) implements LayerDeclaration {
        public Declaration {
            cropping = cropping.clone();
        }

        @Override
        public CroppingKind kind() {
            return INSTANCE;
        }

        @Override
        public String annotationName() {
            return "Cropping2D";
        }

        @Override
        public int[] cropping() {
            return cropping.clone();
        }
    }

    /** The image without {@code top} rows, ... at its borders. */
    public record Spec(String name, Shape input, Shape output, int top, int bottom, int left, int right)
            implements LayerSpec {
        @Override
        public CroppingKind kind() {
            return INSTANCE;
        }

        @Override
        public String kerasName() {
            return "Cropping2D";
        }
    }

    @Override
    public List<String> annotationNames() {
        return List.of("Cropping2D");
    }

    @Override
    public Declaration read(String field, String annotationName, AnnotationReader a) throws UnreadableValueException {
        return new Declaration(field, a.intArray("value"));
    }

    @Override
    public int outputRank(Declaration declaration, int inputRank) {
        return 3;
    }

    @Override
    public Spec check(Declaration cropping, LayerCheck check) {
        Shape in = check.input();
        int[] values = cropping.cropping();
        int[] sides = check.sides(cropping.name(), "cropping", values);
        if (sides == null || !check.needsImage(cropping, in, check.rank()) || in == null) {
            return null;
        }
        int top = sides[0], bottom = sides[1], left = sides[2], right = sides[3];
        long height = (long) in.height() - top - bottom, width = (long) in.width() - left - right;
        if (height < 1 || width < 1) {
            check.error(Rule.WINDOW_LARGER_THAN_INPUT, "value", cropping.name() + ": cropping "
                    + LayerCheck.braces(values) + " leaves " + height + "x" + width + " of its input " + in
                    + "; at least one row and one column must remain" + check.through(cropping.name(), null));
            return null;
        }
        return new Spec(cropping.name(), in, Shape.image((int) height, (int) width, in.channels()),
                top, bottom, left, right);
    }

    @Override
    public CodeBlock body(Spec cropping, LayerCode code) {
        Shape in = cropping.input();
        Shape out = cropping.output();
        long rowLength = (long) out.width() * out.channels();
        return CodeBlock.builder()
                .beginControlFlow("for (int h = 0; h < $L; h++)", out.height())
                .addStatement("System.arraycopy(in, ((h + $L) * $L + $L) * $L, out, h * $L, $L)", cropping.top(),
                        in.width(), cropping.left(), in.channels(), rowLength, rowLength)
                .endControlFlow()
                .build();
    }

    @Override
    public String vocabulary(Declaration c, Map<String, Object> a) {
        a.put("cropping", LayerDeclaration.sides(c.cropping()));
        return "Cropping2D";
    }

    @Override
    public RefLayer reference(Declaration c) {
        int[] tblr = LayerDeclaration.sides(c.cropping());
        return new RefLayer.Cropping2D(tblr[0], tblr[1], tblr[2], tblr[3]);
    }
}
