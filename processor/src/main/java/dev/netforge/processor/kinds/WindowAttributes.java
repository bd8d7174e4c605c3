package dev.netforge.processor.kinds;

import dev.netforge.Padding;
import dev.netforge.processor.model.LayerDeclaration;
import dev.netforge.processor.reading.AnnotationReader;
import dev.netforge.processor.reading.UnreadableValueException;
import java.util.Map;

/**
 * A convolution's window as written: {@code kernel}, {@code strides} and {@code dilation} of one
 * value (both axes) or two ({@code {height, width}}), and the padding; not yet checked. Arrays are
 * copied in and out.
 */
public record WindowAttributes(int[] kernel, int[] strides, int[] dilation, Padding padding) {
    public WindowAttributes {
        kernel = kernel.clone();
        strides = strides.clone();
        dilation = dilation.clone();
    }

    /** The attributes {@code kernel}, {@code strides}, {@code padding} and (when it has one) {@code dilation}. */
    static WindowAttributes read(AnnotationReader a, boolean dilated) throws UnreadableValueException {
        return new WindowAttributes(a.intArray("kernel"), a.intArray("strides"),
                dilated ? a.intArray("dilation") : new int[] {1}, a.padding());
    }

    @Override
    public int[] kernel() {
        return kernel.clone();
    }

    @Override
    public int[] strides() {
        return strides.clone();
    }

    @Override
    public int[] dilation() {
        return dilation.clone();
    }

    /** Under the importer's keys: each value as {@code {height, width}}. */
    void vocabulary(Map<String, Object> a) {
        a.put("kernel", LayerDeclaration.pair(kernel));
        a.put("strides", LayerDeclaration.pair(strides));
        a.put("dilation", LayerDeclaration.pair(dilation));
        a.put("padding", Vocabulary.padding(padding));
    }

    /** {@code {kh, kw, sh, sw, dh, dw}}, as the reference evaluator's records take them. */
    int[] pairs() {
        int[] k = LayerDeclaration.pair(kernel);
        int[] s = LayerDeclaration.pair(strides);
        int[] d = LayerDeclaration.pair(dilation);
        return new int[] {k[0], k[1], s[0], s[1], d[0], d[1]};
    }

    boolean same() {
        return padding == Padding.SAME;
    }
}
