package dev.netforge.processor.model;

import java.util.Arrays;

/**
 * The shape of one activation without the batch axis: an image {@code H x W x C} (channels last) or
 * a vector {@code N}. Sizes are validated positive and small enough for a Java array before a
 * {@code Shape} is made.
 */
public final class Shape {
    private final int[] dims;

    private Shape(int... dims) {
        this.dims = dims.clone();
    }

    public static Shape image(int height, int width, int channels) {
        return new Shape(height, width, channels);
    }

    public static Shape vector(int size) {
        return new Shape(size);
    }

    public boolean isImage() {
        return dims.length == 3;
    }

    public int rank() {
        return dims.length;
    }

    public int height() {
        requireImage();
        return dims[0];
    }

    public int width() {
        requireImage();
        return dims[1];
    }

    /** The channels of an image, or the length of a vector: the last axis. */
    public int channels() {
        return dims[dims.length - 1];
    }

    /** Number of elements; always fits an {@code int} because shapes are checked before creation. */
    public int size() {
        long size = 1;
        for (int d : dims) {
            size *= d;
        }
        return Math.toIntExact(size);
    }

    public int[] dims() {
        return dims.clone();
    }

    private void requireImage() {
        if (!isImage()) {
            throw new IllegalStateException("not an image shape: " + this);
        }
    }

    /** {@code 26x26x32} or {@code 1600}, as the diagnostics and the summary print shapes. */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < dims.length; i++) {
            if (i > 0) {
                text.append('x');
            }
            text.append(dims[i]);
        }
        return text.toString();
    }

    /** As Keras prints it in {@code model.summary()}: {@code (None, 26, 26, 32)}. */
    public String toKerasString() {
        StringBuilder text = new StringBuilder("(None");
        for (int d : dims) {
            text.append(", ").append(d);
        }
        return text.append(')').toString();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Shape && Arrays.equals(dims, ((Shape) other).dims);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(dims);
    }
}
