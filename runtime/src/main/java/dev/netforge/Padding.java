package dev.netforge;

/** How a convolution or pooling window treats the border, as Keras's {@code padding} argument. */
public enum Padding {
    /**
     * No padding: the window only visits positions that lie wholly inside the input, so the output
     * is {@code floor((in - window) / stride) + 1} along each axis and the input must be at least as
     * large as the window.
     */
    VALID,
    /**
     * Zero padding so that the output is {@code ceil(in / stride)} along each axis. As in TensorFlow,
     * an odd total padding puts the extra row or column at the bottom or right. Pooling ignores the
     * padded positions.
     */
    SAME
}
