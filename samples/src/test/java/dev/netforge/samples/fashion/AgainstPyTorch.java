package dev.netforge.samples.fashion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netforge.runtime.Kernels;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.function.BiConsumer;

/**
 * A Fashion-MNIST sample's predictions against PyTorch's on the 1,000 shipped test images (recorded
 * by its training script): the same class for every image, every probability within a tolerance,
 * and so the same accuracy. Shared by the samples' tests, which differ in model and tolerance.
 */
final class AgainstPyTorch {
    private AgainstPyTorch() {
    }

    /**
     * @param forward   the model's {@code forward}
     * @param prefix    the resource prefix of PyTorch's files: "" or "resnet-"
     * @param tolerance on each probability, absolute
     * @return how many of the 1,000 images the model classifies right (PyTorch's count, asserted)
     */
    static int checkEveryImage(String model, BiConsumer<float[], float[]> forward, String prefix, double tolerance) {
        byte[] images = FashionMnistDemo.resource("test-images-1000.u8");
        byte[] labels = FashionMnistDemo.resource("test-labels-1000.u8");
        byte[] torchPredictions = FashionMnistDemo.resource(prefix + "pytorch-predictions-1000.u8");
        float[] torchProbabilities = new float[10_000];
        ByteBuffer.wrap(FashionMnistDemo.resource(prefix + "pytorch-probabilities-1000.f32"))
                .order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(torchProbabilities);
        float[] input = new float[784];
        float[] probabilities = new float[10];
        double worst = 0;
        int ours = 0;
        int theirs = 0;
        for (int i = 0; i < 1000; i++) {
            FashionMnistDemo.pixels(images, i, input);
            forward.accept(input, probabilities);
            for (int c = 0; c < 10; c++) {
                worst = Math.max(worst, Math.abs(probabilities[c] - torchProbabilities[i * 10 + c]));
            }
            int best = 0;
            for (int c = 1; c < 10; c++) {
                best = probabilities[c] > probabilities[best] ? c : best;
            }
            assertEquals(torchPredictions[i], best, "image " + i);
            ours += best == labels[i] ? 1 : 0;
            theirs += torchPredictions[i] == labels[i] ? 1 : 0;
        }
        System.out.println(model + " (" + Kernels.get().name() + "): accuracy " + ours / 10.0 + "% (PyTorch "
                + theirs / 10.0 + "%), largest probability difference " + worst);
        assertTrue(worst <= tolerance, "largest probability difference " + worst);
        assertEquals(theirs, ours);
        return ours;
    }

    /**
     * With the Vector API module and no forced choice, calls run on plain-Java kernels until a
     * warm-up thread has the vector kernels compiled ({@code Kernels.name()} says which): {@code check}
     * passes until then (or a minute), then once more. The surefire execution {@code tiered-kernels}
     * sets {@code netforge.test.tiered}: there the switch must happen.
     */
    static void acrossTheSwitchToTheVectorKernels(Runnable check) {
        long deadline = System.nanoTime() + 60_000_000_000L;
        int passes = 0;
        do {
            check.run();
            passes++;
        } while (Kernels.get().name().contains("warms up") && System.nanoTime() < deadline);
        check.run();
        System.out.println(passes + " passes until the kernels were " + Kernels.get().name());
        if (Boolean.getBoolean("netforge.test.tiered")) {
            assertTrue(Kernels.get().name().startsWith("vector") && !Kernels.get().name().contains("warms up"),
                    Kernels.get().name());
        }
    }
}
