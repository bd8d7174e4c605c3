package dev.netforge.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Where a model description's walk ({@link ResNetModels#walk}, {@link MobileNetModels#walk}) takes each
 * layer's parameters from, in declaration order: {@link Seeded} draws them, {@link Reader} reads them
 * back from a parameter vector.
 */
interface WeightSource {
    /** A convolution kernel (HWIO, or a depthwise kernel {@code (KH, KW, C, 1)}): {@code n} values with fan-in {@code fanIn}. */
    float[] kernel(int fanIn, int n);

    /** A BatchNormalization: gamma, beta, moving mean, moving variance, {@code channels} each. */
    float[] norm(int channels);

    /** A Dense bias. */
    float[] bias(int n);

    /**
     * Seeded draws, kept in order: kernels He-normal ({@code N(0, 2 / fanIn)}), BatchNormalization gamma
     * in [0.5, 1), beta and moving mean in [-0.1, 0.1), moving variance in [0.5, 1.5), biases in
     * [-0.1, 0.1).
     */
    final class Seeded implements WeightSource {
        private final Random random;
        private final List<float[]> tensors = new ArrayList<>();

        Seeded(long seed) {
            this.random = new Random(seed);
        }

        @Override
        public float[] kernel(int fanIn, int n) {
            float[] values = new float[n];
            double scale = Math.sqrt(2.0 / fanIn);
            for (int i = 0; i < n; i++) {
                values[i] = (float) (random.nextGaussian() * scale);
            }
            tensors.add(values);
            return values;
        }

        @Override
        public float[] norm(int channels) {
            float[] values = new float[4 * channels];
            for (int i = 0; i < channels; i++) {
                values[i] = (float) (0.5 + 0.5 * random.nextDouble());
                values[channels + i] = (float) (random.nextDouble() * 0.2 - 0.1);
                values[2 * channels + i] = (float) (random.nextDouble() * 0.2 - 0.1);
                values[3 * channels + i] = (float) (0.5 + random.nextDouble());
            }
            tensors.add(values);
            return values;
        }

        @Override
        public float[] bias(int n) {
            float[] values = new float[n];
            for (int i = 0; i < n; i++) {
                values[i] = (float) (random.nextDouble() * 0.2 - 0.1);
            }
            tensors.add(values);
            return values;
        }

        /** Every tensor drawn, joined in the order drawn: the parameter vector. */
        float[] parameters() {
            int count = 0;
            for (float[] t : tensors) {
                count += t.length;
            }
            float[] parameters = new float[count];
            int offset = 0;
            for (float[] t : tensors) {
                System.arraycopy(t, 0, parameters, offset, t.length);
                offset += t.length;
            }
            return parameters;
        }
    }

    /** Reads a parameter vector in declaration order. */
    final class Reader implements WeightSource {
        private final float[] parameters;
        private int offset;

        Reader(float[] parameters) {
            this.parameters = parameters;
        }

        private float[] take(int n) {
            float[] values = SyntheticModels.slice(parameters, offset, n);
            offset += n;
            return values;
        }

        @Override
        public float[] kernel(int fanIn, int n) {
            return take(n);
        }

        @Override
        public float[] norm(int channels) {
            return take(4 * channels);
        }

        @Override
        public float[] bias(int n) {
            return take(n);
        }

        /** Fails unless the walk read the whole vector. */
        void expectEnd() {
            SyntheticModels.expectEnd(parameters, offset);
        }
    }
}
