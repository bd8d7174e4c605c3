package dev.netforge.benchmarks;

import java.util.Arrays;

/**
 * Layers as a textbook writes them, for {@link NaiveMnistNet}, {@link NaiveVggNet} and
 * {@link NaiveMlpNet}: one loop nest per layer, the reduction innermost, channels-last (SEMANTICS.md
 * layouts), no blocking, no fusion.
 * Written from Keras's definitions, not from the generator's output.
 */
final class NaiveLayers {
    private NaiveLayers() {
    }

    /** Cuts a parameter vector into tensors, in order; the caller checks it is used up. */
    static final class Cursor {
        private final float[] parameters;
        private int offset;

        Cursor(float[] parameters) {
            this.parameters = parameters;
        }

        float[] take(int n) {
            float[] tensor = Arrays.copyOfRange(parameters, offset, offset + n);
            offset += n;
            return tensor;
        }

        void expectEnd(String model) {
            if (offset != parameters.length) {
                throw new IllegalArgumentException(parameters.length + " parameters, " + model + " has " + offset);
            }
        }
    }

    /**
     * 3x3 convolution, stride 1, 'same' padding (one zero row/column on each side), ReLU; kernel HWIO.
     */
    static void conv3x3SameRelu(float[] in, int h, int w, int c, float[] kernel, float[] bias, int f,
            float[] out) {
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int q = 0; q < f; q++) {
                    float s = bias[q];
                    for (int i = 0; i < 3; i++) {
                        for (int j = 0; j < 3; j++) {
                            int iy = y + i - 1;
                            int ix = x + j - 1;
                            if (iy < 0 || iy >= h || ix < 0 || ix >= w) {
                                continue; // a zero of the padding
                            }
                            for (int ci = 0; ci < c; ci++) {
                                s += in[(iy * w + ix) * c + ci] * kernel[((i * 3 + j) * c + ci) * f + q];
                            }
                        }
                    }
                    out[(y * w + x) * f + q] = Math.max(s, 0f);
                }
            }
        }
    }

    /** Valid 2x2 max pool, stride 2. */
    static void maxPool2(float[] in, int h, int w, int c, float[] out) {
        int oh = h / 2;
        int ow = w / 2;
        for (int y = 0; y < oh; y++) {
            for (int x = 0; x < ow; x++) {
                for (int q = 0; q < c; q++) {
                    float m = Float.NEGATIVE_INFINITY;
                    for (int i = 0; i < 2; i++) {
                        for (int j = 0; j < 2; j++) {
                            m = Math.max(m, in[((2 * y + i) * w + 2 * x + j) * c + q]);
                        }
                    }
                    out[(y * ow + x) * c + q] = m;
                }
            }
        }
    }

    /** Dense layer, kernel {@code (n, units)}, optionally ReLU. */
    static void dense(float[] in, int n, float[] kernel, float[] bias, int units, float[] out, boolean relu) {
        for (int u = 0; u < units; u++) {
            float s = bias[u];
            for (int i = 0; i < n; i++) {
                s += in[i] * kernel[i * units + u];
            }
            out[u] = relu ? Math.max(s, 0f) : s;
        }
    }

    /** Softmax over the whole vector, the maximum subtracted first. */
    static void softmax(float[] a) {
        float max = Float.NEGATIVE_INFINITY;
        for (float v : a) {
            max = Math.max(max, v);
        }
        float sum = 0f;
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) Math.exp(a[i] - max);
            sum += a[i];
        }
        for (int i = 0; i < a.length; i++) {
            a[i] /= sum;
        }
    }
}
