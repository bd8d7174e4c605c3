package dev.netforge.processor.model;

import dev.netforge.shapes.KerasShapes;

/**
 * The geometry of a sliding window along the two spatial axes, resolved to numbers: window size,
 * stride, dilation, and the zero padding before (top, left) and after (bottom, right) the input.
 * Shared by convolutions and pooling so both compute positions the same way.
 */
public record Window(
        int height, int width,
        int strideHeight, int strideWidth,
        int dilationHeight, int dilationWidth,
        int padTop, int padBottom, int padLeft, int padRight) {

    public boolean padded() {
        return padTop != 0 || padBottom != 0 || padLeft != 0 || padRight != 0;
    }

    public boolean dilated() {
        return dilationHeight != 1 || dilationWidth != 1;
    }

    /** Inputs spanned along the height: {@code D * (K - 1) + 1}. */
    public long spanHeight() {
        return KerasShapes.span(height, dilationHeight);
    }

    public long spanWidth() {
        return KerasShapes.span(width, dilationWidth);
    }

    /** {@code 3x3}, with {@code /2} when strided and {@code d2} when dilated, for the summary. */
    public String describe() {
        String text = height + "x" + width;
        if (strideHeight != 1 || strideWidth != 1) {
            text += strideHeight == strideWidth ? " /" + strideHeight : " /" + strideHeight + "x" + strideWidth;
        }
        if (dilated()) {
            text += dilationHeight == dilationWidth ? " d" + dilationHeight : " d" + dilationHeight + "x" + dilationWidth;
        }
        return text;
    }
}
