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
import dev.netforge.processor.writer.ConvolutionCode;
import dev.netforge.processor.writer.LayerCode;
import java.util.List;
import java.util.Map;

/** {@code @ZeroPadding2D}: zeros around an image. */
public final class ZeroPaddingKind implements LayerKind.Weightless<ZeroPaddingKind.Declaration, ZeroPaddingKind.Spec> {
    public static final ZeroPaddingKind INSTANCE = new ZeroPaddingKind();

    private ZeroPaddingKind() {
    }

    public record Declaration(String name, int[] padding) implements LayerDeclaration {
        public Declaration {
            padding = padding.clone();
        }

        @Override
        public ZeroPaddingKind kind() {
            return INSTANCE;
        }

        @Override
        public String annotationName() {
            return "ZeroPadding2D";
        }

        @Override
        public int[] padding() {
            return padding.clone();
        }
    }

    /** Zeros around an image. */
    public record Spec(String name, Shape input, Shape output, int top, int bottom, int left, int right)
            implements LayerSpec {
        @Override
        public ZeroPaddingKind kind() {
            return INSTANCE;
        }

        @Override
        public String kerasName() {
            return "ZeroPadding2D";
        }
    }

    @Override
    public List<String> annotationNames() {
        return List.of("ZeroPadding2D");
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
    public Spec check(Declaration padding, LayerCheck check) {
        Shape in = check.input();
        int[] sides = check.sides(padding.name(), "padding", padding.padding());
        if (sides == null || !check.needsImage(padding, in, check.rank()) || in == null) {
            return null;
        }
        int top = sides[0], bottom = sides[1], left = sides[2], right = sides[3];
        long height = (long) in.height() + top + bottom, width = (long) in.width() + left + right;
        if (!check.fitsArray(padding.name(), "value", "output of " + height + "x" + width + "x" + in.channels()
                + " values", Sizes.product(height, width, in.channels()), null)) {
            return null;
        }
        return new Spec(padding.name(), in, Shape.image((int) height, (int) width, in.channels()),
                top, bottom, left, right);
    }

    @Override
    public CodeBlock body(Spec padding, LayerCode code) {
        return ConvolutionCode.padCopy("out", padding.input(), padding.top(), padding.bottom(), padding.left(),
                padding.right());
    }

    @Override
    public String vocabulary(Declaration z, Map<String, Object> a) {
        a.put("paddingValues", LayerDeclaration.sides(z.padding()));
        return "ZeroPadding2D";
    }

    @Override
    public RefLayer reference(Declaration z) {
        int[] tblr = LayerDeclaration.sides(z.padding());
        return new RefLayer.ZeroPadding(tblr[0], tblr[1], tblr[2], tblr[3]);
    }
}
