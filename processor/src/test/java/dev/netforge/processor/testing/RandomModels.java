package dev.netforge.processor.testing;

import dev.netforge.processor.reference.RefLayer;
import dev.netforge.processor.reference.ReferenceNetwork;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Seeded random parameters and inputs. Kernels are uniform in {@code [-1, 1] / sqrt(fan-in)} so
 * activations stay of order 1 through deep stacks, which keeps an absolute tolerance meaningful.
 */
public final class RandomModels {
    private RandomModels() {
    }

    public static float[] parameters(int[] input, List<RefLayer> layers, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<Long> counts = ReferenceNetwork.parameterCounts(input, layers);
        List<int[]> shapes = ReferenceNetwork.shapes(input, layers);
        long total = counts.stream().mapToLong(Long::longValue).sum();
        float[] parameters = new float[Math.toIntExact(total)];
        int offset = 0;
        for (int i = 0; i < layers.size(); i++) {
            int[] in = i == 0 ? input : shapes.get(i - 1);
            if (layers.get(i) instanceof RefLayer.BatchNorm b) {
                // gamma around 1, beta and mean around 0, variance positive: [0.5, 1.5); gamma and beta
                // only where the layer has them
                int channels = in[in.length - 1];
                double[] low = {0.5, -0.5, -0.5, 0.5};
                for (int part = 0; part < 4; part++) {
                    if (part == 0 && !b.scale() || part == 1 && !b.center()) {
                        continue;
                    }
                    for (int c = 0; c < channels; c++) {
                        parameters[offset++] = (float) (low[part] + random.nextDouble());
                    }
                }
                continue;
            }
            double scale = 1 / Math.sqrt(fanIn(layers.get(i), in));
            for (long p = 0; p < counts.get(i); p++) {
                parameters[offset++] = (float) ((random.nextDouble() * 2 - 1) * scale);
            }
        }
        return parameters;
    }

    private static double fanIn(RefLayer layer, int[] in) {
        int channels = in[in.length - 1];
        if (layer instanceof RefLayer.Conv2D c) {
            return (double) c.kh() * c.kw() * channels;
        } else if (layer instanceof RefLayer.Dense) {
            long n = 1;
            for (int d : in) {
                n *= d;
            }
            return n;
        } else if (layer instanceof RefLayer.DepthwiseConv2D d) {
            return (double) d.kh() * d.kw();
        }
        return 1;
    }

    public static float[] input(int size, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] values = new float[size];
        for (int i = 0; i < size; i++) {
            values[i] = (float) (random.nextDouble() * 2 - 1);
        }
        return values;
    }
}
