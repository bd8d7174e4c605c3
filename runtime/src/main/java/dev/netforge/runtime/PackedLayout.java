package dev.netforge.runtime;

/**
 * The weight layout of the Vector API kernels, with no vector types, so that {@link PackedScalarKernels}
 * (which serves while those kernels warm up) reads the very same arrays.
 *
 * <p>A kernel is a rows x width matrix (a Conv2D's taps x filters, a Dense layer's inputs x units).
 * Its columns are cut into blocks of whole vectors of {@code lanes} floats, then one tail block of the
 * {@code width % lanes} columns left; each block is stored row-major, one after the other: the block
 * of columns {@code [from, from + count)} starts at {@code rows * from} and holds element
 * {@code (r, from + j)} at {@code rows * from + r * count + j}. A micro-kernel thus reads its block
 * sequentially, at a constant stride. A Conv2D kernel's tail block is padded with zeros to a whole
 * vector ({@code lanes} columns, element {@code (r, from + j)} at {@code rows * from + r * lanes + j}),
 * so the vector kernels compute its filters as one more vector and keep the {@code width % lanes}
 * lanes that are real (one scalar dot product per output and tail filter ran MobileNetV2's 24-filter
 * 1x1 layers at 6 G multiply-adds/s, 1.1-1.8 ms each at 512 bits). A Dense kernel's tail block is stored unit by unit instead,
 * element {@code (r, from + j)} at {@code rows * from + j * rows + r}: the vector kernel computes each
 * tail unit as a dot product along the inputs (along the units, one dependent add after another, they
 * took 2.3 us of a 784-512-256-10 MLP's 19 us at 512 bits, all of its 10-unit output layer).
 */
final class PackedLayout {
    /** Dense blocks: 8 vectors (8 accumulators), then single vectors. */
    static final int DENSE_BLOCK = 8;

    private PackedLayout() {
    }

    /** How many filter vectors the next conv block takes, of {@code left}: 2, else 1. */
    static int convBlockVectors(int left) {
        return left >= 2 ? 2 : 1;
    }

    /** How many vectors the next block takes, of {@code left} whole vectors. */
    static int blockVectors(int left, boolean dense) {
        return dense ? (left >= DENSE_BLOCK ? DENSE_BLOCK : 1) : convBlockVectors(left);
    }

    /** Columns in the block that starts at column {@code from} (a block boundary) of {@code width}. */
    static int blockWidth(int from, int width, int lanes, boolean dense) {
        int vectorsLeft = (width - from) / lanes;
        return vectorsLeft == 0 ? width - from : blockVectors(vectorsLeft, dense) * lanes;
    }

    /**
     * The packed copy of a rows x width row-major matrix in blocks of {@code block} columns, then the
     * {@code width % block} left (the plain-Java kernels' layout).
     */
    static float[] repack(float[] matrix, int rows, int width, int block) {
        float[] packed = new float[matrix.length];
        for (int from = 0, count; from < width; from += count) {
            count = Math.min(block, width - from);
            copyBlock(matrix, rows, width, from, count, count, packed);
        }
        return packed;
    }

    /** Copies the block of columns {@code [from, from + count)}, its rows {@code stride} floats apart. */
    private static void copyBlock(float[] matrix, int rows, int width, int from, int count, int stride,
            float[] packed) {
        for (int r = 0; r < rows; r++) {
            System.arraycopy(matrix, r * width + from, packed, rows * from + r * stride, count);
        }
    }

    /**
     * The distance between consecutive rows of the block of {@code count} columns: {@code count}, but
     * {@code lanes} for a Conv2D kernel's tail block (padded with zeros to a whole vector).
     */
    static int blockStride(int count, int lanes, boolean dense) {
        return !dense && count < lanes ? lanes : count;
    }

    /** The packed copy of a rows x width row-major matrix, in the Vector API kernels' blocks. */
    static float[] repack(float[] matrix, int rows, int width, int lanes, boolean dense) {
        int tail = width % lanes;
        float[] packed = new float[dense || tail == 0 ? matrix.length : rows * (width - tail + lanes)];
        for (int from = 0, count; from < width; from += count) {
            count = blockWidth(from, width, lanes, dense);
            if (unitByUnit(count, lanes, dense)) {
                for (int j = 0; j < count; j++) {
                    for (int r = 0; r < rows; r++) {
                        packed[rows * from + j * rows + r] = matrix[r * width + from + j];
                    }
                }
            } else {
                copyBlock(matrix, rows, width, from, count, blockStride(count, lanes, dense), packed);
            }
        }
        return packed;
    }

    /** Whether a block of {@code count} columns is a Dense kernel's tail, stored unit by unit. */
    static boolean unitByUnit(int count, int lanes, boolean dense) {
        return dense && count < lanes;
    }
}
