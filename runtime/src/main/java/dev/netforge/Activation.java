package dev.netforge;

/** The activation a layer applies to its output, each with Keras's definition. */
public enum Activation {
    /** The identity, {@code x}; the default. */
    LINEAR,
    /** {@code max(0, x)}. */
    RELU,
    /** The logistic function {@code 1 / (1 + exp(-x))}. */
    SIGMOID,
    /** The hyperbolic tangent. */
    TANH,
    /**
     * {@code exp(x_i) / sum_j exp(x_j)} over the last axis (the channels of an image, or the whole
     * vector), computed stably by subtracting the maximum first.
     */
    SOFTMAX
}
