package dev.netforge.processor.model;

/**
 * The geometry of a sliding window along the two spatial axes, resolved to numbers: window size,
 * stride, and the zero padding before (top, left) and after (bottom, right) the input. Shared by
 * convolutions and pooling so both compute positions the same way.
 */
public record Window(
        int height, int width,
        int strideHeight, int strideWidth,
        int padTop, int padBottom, int padLeft, int padRight) {

    public boolean padded() {
        return padTop != 0 || padBottom != 0 || padLeft != 0 || padRight != 0;
    }

    /** {@code 3x3}, and {@code /2} when strided, for the summary. */
    public String describe() {
        String text = height + "x" + width;
        if (strideHeight != 1 || strideWidth != 1) {
            text += strideHeight == strideWidth ? " /" + strideHeight : " /" + strideHeight + "x" + strideWidth;
        }
        return text;
    }
}
