package dev.netforge;

/** The activation a layer applies to its output, each with Keras's definition and default constants. */
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
    SOFTMAX,
    /** {@code min(max(0, x), 6)}, Keras's {@code relu6}. */
    RELU6,
    /**
     * {@code x} for {@code x >= 0}, else {@code 0.2 * x}: Keras 3's {@code keras.activations.leaky_relu}
     * default {@code negative_slope = 0.2}, which is what {@code activation="leaky_relu"} means. (The
     * {@code LeakyReLU} layer defaults to 0.3.)
     */
    LEAKY_RELU,
    /** {@code x} for {@code x > 0}, else {@code exp(x) - 1} (Keras's default {@code alpha = 1}). */
    ELU,
    /**
     * {@code scale * x} for {@code x > 0}, else {@code scale * alpha * (exp(x) - 1)}, with Keras's
     * {@code alpha = 1.67326324235437728481} and {@code scale = 1.05070098735548049342}.
     */
    SELU,
    /**
     * Keras 3's {@code hard_sigmoid}: {@code relu6(x + 3) / 6}, i.e. {@code clip(x / 6 + 0.5, 0, 1)}.
     * (Keras 2 and TensorFlow.js used {@code clip(0.2 * x + 0.5, 0, 1)}.)
     */
    HARD_SIGMOID,
    /** {@code x * sigmoid(x)}, also called SiLU; Keras's {@code swish}/{@code silu}. */
    SWISH,
    /**
     * Keras's {@code gelu} in its default exact form, {@code 0.5 * x * (1 + erf(x / sqrt(2)))} (not
     * the tanh approximation).
     */
    GELU,
    /** {@code log(1 + exp(x))}, computed without overflow. */
    SOFTPLUS,
    /** {@code x * tanh(softplus(x))}, Keras's {@code mish} (ONNX {@code Mish}). */
    MISH,
    /** {@code x / (1 + |x|)}, Keras's {@code softsign} (ONNX {@code Softsign}). */
    SOFTSIGN,
    /**
     * GELU's tanh approximation, {@code 0.5 * x * (1 + tanh(sqrt(2 / pi) * (x + 0.044715 * x^3)))}:
     * Keras's {@code gelu(approximate=True)}, PyTorch's {@code GELU(approximate='tanh')}, ONNX's
     * {@code Gelu(approximate="tanh")}. It differs from {@link #GELU} by up to ~5e-4.
     */
    GELU_TANH
}
