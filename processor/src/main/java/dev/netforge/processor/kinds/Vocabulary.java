package dev.netforge.processor.kinds;

import dev.netforge.Activation;
import dev.netforge.Padding;
import dev.netforge.processor.model.LayerDeclaration;
import java.util.Locale;
import java.util.Map;

/** The importer's and the reference evaluator's spelling of the attributes several kinds share. */
final class Vocabulary {
    private Vocabulary() {
    }

    /** A convolution's window under the importer's keys: each value as {@code {height, width}}. */
    static void window(Map<String, Object> a, int[] kernel, int[] strides, int[] dilation, Padding padding) {
        a.put("kernel", LayerDeclaration.pair(kernel));
        a.put("strides", LayerDeclaration.pair(strides));
        a.put("dilation", LayerDeclaration.pair(dilation));
        a.put("padding", padding(padding));
    }

    static String padding(Padding p) {
        return p == Padding.SAME ? "same" : "valid";
    }

    /** The Keras name of an activation: {@code RELU6} is {@code relu6}. */
    static String keras(Activation a) {
        return a.name().toLowerCase(Locale.ROOT);
    }
}
