package dev.netforge.samples;

import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Runs the generated {@link MnistNetForward}: prints the model summary, then classifies a few
 * images drawn here. The weights are deterministic pseudo-random values (He-scaled), so the classes
 * are not meaningful yet; the point is the whole path, from annotations to a forward pass.
 */
public final class MnistNetDemo {
    private MnistNetDemo() {
    }

    public static void main(String[] args) {
        System.out.println(MnistNetForward.summary());
        MnistNetForward net = new MnistNetForward(deterministicWeights(42));
        float[] probabilities = new float[MnistNetForward.OUTPUT_SIZE];
        String[] names = {"vertical bar", "horizontal bar", "ring", "diagonal", "blank"};
        for (int i = 0; i < names.length; i++) {
            net.forward(drawing(i), probabilities);
            int best = argMax(probabilities);
            System.out.printf(Locale.ROOT, "%-15s -> class %d (p = %.4f)  probabilities %s%n", names[i], best,
                    probabilities[best], format(probabilities));
        }
    }

    /** Pseudo-random weights scaled like He initialisation, the same on every run. */
    static float[] deterministicWeights(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] parameters = new float[MnistNetForward.PARAMETER_COUNT];
        // conv1 (3x3x1x32 + 32), conv2 (3x3x32x64 + 64), dense1 (1600x128 + 128), output (128x10 + 10)
        int[][] layers = {{9, 288, 32}, {288, 18432, 64}, {1600, 204800, 128}, {128, 1280, 10}};
        int offset = 0;
        for (int[] layer : layers) {
            double scale = Math.sqrt(2.0 / layer[0]);
            for (int i = 0; i < layer[1]; i++) {
                parameters[offset++] = (float) (random.nextGaussian() * scale);
            }
            for (int i = 0; i < layer[2]; i++) {
                parameters[offset++] = 0.01f;
            }
        }
        return parameters;
    }

    /** A 28x28 grey image of a simple shape, values in [0, 1]. */
    static float[] drawing(int kind) {
        float[] image = new float[28 * 28];
        for (int y = 0; y < 28; y++) {
            for (int x = 0; x < 28; x++) {
                boolean on = switch (kind) {
                    case 0 -> x >= 12 && x <= 15 && y >= 4 && y <= 23;
                    case 1 -> y >= 12 && y <= 15 && x >= 4 && x <= 23;
                    case 2 -> Math.abs(Math.hypot(x - 13.5, y - 13.5) - 8) < 2;
                    case 3 -> Math.abs(x - y) <= 1 && x >= 4 && x <= 23;
                    default -> false;
                };
                image[y * 28 + x] = on ? 1f : 0f;
            }
        }
        return image;
    }

    static int argMax(float[] values) {
        int best = 0;
        for (int i = 1; i < values.length; i++) {
            if (values[i] > values[best]) {
                best = i;
            }
        }
        return best;
    }

    private static String format(float[] values) {
        StringBuilder text = new StringBuilder("[");
        for (int i = 0; i < values.length; i++) {
            text.append(i > 0 ? " " : "").append(String.format(Locale.ROOT, "%.3f", values[i]));
        }
        return text.append(']').toString();
    }
}
