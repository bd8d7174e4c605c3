package dev.netforge.processor.model;

import dev.netforge.Activation;
import dev.netforge.processor.kinds.LayerKind;

/**
 * One layer of a validated network, with every size resolved to a number: the input the writer
 * reads, the output it writes, and the layer's own constants. Immutable; no javac types.
 *
 * <p>Each kind's record is nested in its {@link LayerKind} class ({@code Conv2DKind.Spec}, ...).
 */
public interface LayerSpec {

    /** The kind this layer is, which writes and describes it. */
    LayerKind<?, ?> kind();

    /** The field name, which names the layer in diagnostics, the summary and weight files. */
    String name();

    Shape input();

    Shape output();

    /** The Keras class this layer corresponds to, as the summary shows it. */
    String kerasName();

    /** Parameters as Keras counts them. */
    default long parameterCount() {
        return 0;
    }

    /** Multiply-accumulate operations of one forward pass, as the summary reports them. */
    default long multiplyAccumulates() {
        return 0;
    }

    /** The activation the layer applies itself; LINEAR for kinds without one. */
    default Activation activation() {
        return Activation.LINEAR;
    }

    /** Whether the layer adds a bias; false for kinds without one. */
    default boolean useBias() {
        return false;
    }

    /**
     * The window of a convolution that slides over an explicitly zero-padded copy of its input
     * (the shared pad array), else null.
     */
    default Window paddedInputWindow() {
        return null;
    }

    /** Whether the layer leaves the data as it is (Flatten, Dropout): no code runs for it. */
    default boolean movesNoData() {
        return false;
    }
}
