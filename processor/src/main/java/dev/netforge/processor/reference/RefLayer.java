package dev.netforge.processor.reference;

/**
 * One layer of a {@link ReferenceNetwork}: a plain description of a Keras layer (TensorFlow
 * backend, {@code channels_last}, batch size 1).
 *
 * <p>These records hold data only; whether a stack of them is valid for a given input is checked
 * by {@link ReferenceNetwork#shapes(int[], java.util.List)} (and by every other method of
 * {@link ReferenceNetwork}), which throws {@link IllegalArgumentException} otherwise.
 *
 * <p>Activations are Keras activation strings ({@code "linear"}, {@code "relu"}, {@code
 * "sigmoid"}, {@code "tanh"}, {@code "softmax"}, {@code "relu6"}, {@code "leaky_relu"}, {@code
 * "elu"}, {@code "selu"}, {@code "hard_sigmoid"}, {@code "swish"} (alias {@code "silu"}),
 * {@code "gelu"}, {@code "softplus"}); {@code null} means linear, and names are matched without
 * regard to case. A layer's activation is applied after its bias.
 */
public sealed interface RefLayer {

    /**
     * Keras {@code Conv2D}. Kernel HWIO: element (kh, kw, ci, f) at
     * {@code ((kh * KW + kw) * CIN + ci) * F + f}; then {@code filters} biases if {@code useBias}.
     * {@code dh}/{@code dw} are the dilation rates; {@code same} selects 'same' padding.
     */
    record Conv2D(int filters, int kh, int kw, int sh, int sw, int dh, int dw, boolean same,
                  String activation, boolean useBias) implements RefLayer {
    }

    /**
     * Keras {@code DepthwiseConv2D}. Kernel (KH, KW, CIN, DM): element (kh, kw, ci, m) at
     * {@code ((kh * KW + kw) * CIN + ci) * DM + m}; output channel {@code ci * DM + m}; then
     * {@code CIN * DM} biases if {@code useBias}.
     */
    record DepthwiseConv2D(int kh, int kw, int sh, int sw, int dh, int dw, boolean same,
                           int depthMultiplier, String activation, boolean useBias)
            implements RefLayer {
    }

    /** Keras {@code MaxPooling2D}; 'same' padding ignores the padded cells. */
    record MaxPool(int ph, int pw, int sh, int sw, boolean same) implements RefLayer {
    }

    /** Keras {@code AveragePooling2D}; 'same' divides by the number of real cells in the window. */
    record AvgPool(int ph, int pw, int sh, int sw, boolean same) implements RefLayer {
    }

    /** Keras {@code GlobalAveragePooling2D}: H x W x C to a vector of C. */
    record GlobalAvgPool() implements RefLayer {
    }

    /** Keras {@code GlobalMaxPooling2D}: H x W x C to a vector of C. */
    record GlobalMaxPool() implements RefLayer {
    }

    /** Keras {@code Flatten}: H x W x C to a vector of H*W*C with the same data; a vector stays. */
    record Flatten() implements RefLayer {
    }

    /**
     * Keras {@code Dense} on a vector of N: kernel (N, U) row-major, element (i, u) at
     * {@code i * U + u}; then {@code units} biases if {@code useBias}.
     */
    record Dense(int units, String activation, boolean useBias) implements RefLayer {
    }

    /**
     * Keras {@code BatchNormalization} at inference over the last axis (C): parameters gamma,
     * beta, moving_mean, moving_variance, C values each, in that order;
     * {@code y = gamma * (x - mean) / sqrt(var + epsilon) + beta}.
     */
    record BatchNorm(double epsilon, boolean center, boolean scale) implements RefLayer {
        /** With gamma and beta, Keras's default. */
        public BatchNorm(double epsilon) {
            this(epsilon, true, true);
        }
    }

    /** Keras {@code ZeroPadding2D(((top, bottom), (left, right)))}. */
    record ZeroPadding(int top, int bottom, int left, int right) implements RefLayer {
    }

    /** Keras {@code Dropout}: the identity at inference. */
    record Dropout(double rate) implements RefLayer {
    }

    /** Keras {@code Activation}: the activation on every element (softmax over the last axis). */
    record ActivationLayer(String activation) implements RefLayer {
    }

    /** Keras {@code UpSampling2D}, nearest: output (H * sh, W * sw, C). */
    record UpSampling2D(int sh, int sw) implements RefLayer {
    }

    /**
     * Keras {@code Conv2DTranspose} (no dilation, no output padding). Kernel (KH, KW, F, CIN):
     * element (kh, kw, f, ci) at {@code ((kh * KW + kw) * F + f) * CIN + ci}; then F biases.
     */
    record Conv2DTranspose(int filters, int kh, int kw, int sh, int sw, boolean same, String activation,
                           boolean useBias) implements RefLayer {
    }

    /**
     * Keras {@code SeparableConv2D}: depthwise kernel (KH, KW, CIN, DM) without bias, pointwise
     * kernel (1, 1, CIN * DM, F), then F biases, then the activation.
     */
    record SeparableConv2D(int filters, int kh, int kw, int sh, int sw, int dh, int dw, boolean same,
                           int depthMultiplier, String activation, boolean useBias) implements RefLayer {
    }

    /** Keras {@code Reshape}: the same values, another shape. */
    record Reshape(int[] shape) implements RefLayer {
    }

    /** Keras's {@code LeakyReLU} layer: {@code x >= 0 ? x : alpha * x}. */
    record LeakyReLU(float alpha) implements RefLayer {
    }

    /** Keras {@code Rescaling}: {@code x * scale + offset}, both float32 in Keras. */
    record Rescaling(double scale, double offset) implements RefLayer {
    }

    /** Keras {@code Cropping2D}. */
    record Cropping2D(int top, int bottom, int left, int right) implements RefLayer {
    }
}
