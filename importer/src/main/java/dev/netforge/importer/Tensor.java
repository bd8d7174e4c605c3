package dev.netforge.importer;

import java.util.Arrays;
import java.util.Objects;

/**
 * A named float32 tensor in C (row-major) order. Immutable: the constructor and the accessors copy
 * the arrays.
 *
 * @param name  the weight's name within its layer, e.g. {@code kernel}, {@code bias}, {@code gamma}
 * @param shape the dimensions; the product equals {@code data.length} (an empty shape is a scalar)
 * @param data  the elements in C order
 */
public record Tensor(String name, int[] shape, float[] data) {

    public Tensor {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(shape, "shape");
        Objects.requireNonNull(data, "data");
        shape = shape.clone();
        long n = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            }
            n *= d;
        }
        if (n != data.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " has " + n
                    + " elements but data has " + data.length);
        }
        data = data.clone();
    }

    /** A copy of the shape. */
    @Override
    public int[] shape() {
        return shape.clone();
    }

    /** A copy of the data. */
    @Override
    public float[] data() {
        return data.clone();
    }

    /** Number of elements. */
    public int size() {
        return data.length;
    }

    /** Element {@code i} of the C-order data. */
    public float get(int i) {
        return data[i];
    }

    /** Copies the data into {@code dest} starting at {@code offset}; returns the offset after it. */
    public int copyTo(float[] dest, int offset) {
        System.arraycopy(data, 0, dest, offset, data.length);
        return offset + data.length;
    }

    @Override
    public boolean equals(Object o) {
        // Compares float bit patterns, so NaN equals NaN and 0.0 differs from -0.0.
        if (!(o instanceof Tensor t)) {
            return false;
        }
        if (!name.equals(t.name) || !Arrays.equals(shape, t.shape) || data.length != t.data.length) {
            return false;
        }
        for (int i = 0; i < data.length; i++) {
            if (Float.floatToRawIntBits(data[i]) != Float.floatToRawIntBits(t.data[i])) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, Arrays.hashCode(shape), Arrays.hashCode(data));
    }

    @Override
    public String toString() {
        return "Tensor[" + name + " " + Arrays.toString(shape) + "]";
    }
}
