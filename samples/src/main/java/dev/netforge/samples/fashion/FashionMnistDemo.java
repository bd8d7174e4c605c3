package dev.netforge.samples.fashion;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.function.BiConsumer;

/**
 * Classifies the first 1,000 Fashion-MNIST test images with the bundled, PyTorch-trained weights of
 * the two Fashion-MNIST models (MnistNet, {@link FashionNet}, and the residual {@link FashionResNet})
 * and prints each one's accuracy and per-class table.
 */
public final class FashionMnistDemo {
    static final String[] CLASSES = {"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt",
        "Sneaker", "Bag", "Ankle boot"};
    static final int IMAGES = 1000;
    static final int PIXELS = 28 * 28;

    private FashionMnistDemo() {
    }

    public static void main(String[] args) {
        byte[] images = resource("test-images-1000.u8");
        byte[] labels = resource("test-labels-1000.u8");
        long start = System.nanoTime();
        FashionNetForward net = new FashionNetForward();
        report("MnistNet (FashionNet)", FashionNetForward.summary(), classify(net::forward, images), labels, start);
        start = System.nanoTime();
        FashionResNetForward resNet = new FashionResNetForward();
        System.out.println();
        report("ResNet-8 (FashionResNet)", FashionResNetForward.summary(), classify(resNet::forward, images), labels,
                start);
    }

    private static void report(String model, String summary, int[] predictions, byte[] labels, long start) {
        long elapsed = System.nanoTime() - start;
        int[] total = new int[10], correct = new int[10];
        for (int i = 0; i < IMAGES; i++) {
            total[labels[i]]++;
            if (predictions[i] == labels[i]) {
                correct[labels[i]]++;
            }
        }
        System.out.println(summary);
        System.out.printf(Locale.ROOT, "%-12s %6s %8s %9s%n", "class", "images", "correct", "accuracy");
        int all = 0;
        for (int c = 0; c < 10; c++) {
            all += correct[c];
            System.out.printf(Locale.ROOT, "%-12s %6d %8d %8.1f%%%n", CLASSES[c], total[c], correct[c],
                    100.0 * correct[c] / total[c]);
        }
        System.out.printf(Locale.ROOT, "%n%s: accuracy on the first %d Fashion-MNIST test images: %.1f%% (%d/%d),"
                + " in %d ms including loading%n", model, IMAGES, 100.0 * all / IMAGES, all, IMAGES,
                elapsed / 1_000_000);
    }

    /** The predicted class of each image, pixels scaled to [0, 1] as in training. */
    static int[] classify(BiConsumer<float[], float[]> forward, byte[] images) {
        float[] input = new float[PIXELS];
        float[] probabilities = new float[10];
        int[] predictions = new int[IMAGES];
        for (int i = 0; i < IMAGES; i++) {
            pixels(images, i, input);
            forward.accept(input, probabilities);
            int best = 0;
            for (int c = 1; c < 10; c++) {
                if (probabilities[c] > probabilities[best]) {
                    best = c;
                }
            }
            predictions[i] = best;
        }
        return predictions;
    }

    static void pixels(byte[] images, int image, float[] into) {
        for (int p = 0; p < PIXELS; p++) {
            into[p] = (images[image * PIXELS + p] & 0xFF) / 255f;
        }
    }

    static byte[] resource(String name) {
        try (InputStream in = FashionMnistDemo.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
