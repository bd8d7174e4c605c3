package dev.netforge.processor.kinds;

import dev.netforge.Activation;
import dev.netforge.Padding;
import java.util.Locale;

/** The importer's and the reference evaluator's spelling of the attributes several kinds share. */
final class Vocabulary {
    private Vocabulary() {
    }

    static String padding(Padding p) {
        return p == Padding.SAME ? "same" : "valid";
    }

    /** The Keras name of an activation: {@code RELU6} is {@code relu6}. */
    static String keras(Activation a) {
        return a.name().toLowerCase(Locale.ROOT);
    }
}
