package dev.netforge.samples.fashion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netforge.runtime.Kernels;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * NetForge, with the ONNX weights imported at compile time, against PyTorch's own outputs for the
 * 1,000 committed test images (recorded by the training script): identical predictions,
 * probabilities within 1e-5, and so the same accuracy.
 */
class FashionMnistTest {
    @Test
    void matchesPyTorchOnEveryImage() {
        checkEveryImage(new FashionNetForward());
    }

    /**
     * With the Vector API module and no forced choice, calls run on plain-Java kernels until a
     * warm-up thread has the vector kernels compiled ({@code Kernels.name()} says which): passes over
     * the 1,000 images until then (or a minute), then one more, each matching PyTorch. The surefire
     * execution {@code tiered-kernels} sets {@code netforge.test.tiered}: there the switch must happen.
     */
    @Test
    void matchesPyTorchAcrossTheSwitchToTheVectorKernels() {
        FashionNetForward net = new FashionNetForward();
        long deadline = System.nanoTime() + 60_000_000_000L;
        int passes = 0;
        do {
            checkEveryImage(net);
            passes++;
        } while (Kernels.get().name().contains("warms up") && System.nanoTime() < deadline);
        checkEveryImage(net);
        System.out.println(passes + " passes until the kernels were " + Kernels.get().name());
        if (Boolean.getBoolean("netforge.test.tiered")) {
            assertTrue(Kernels.get().name().startsWith("vector") && !Kernels.get().name().contains("warms up"),
                    Kernels.get().name());
        }
    }

    private static void checkEveryImage(FashionNetForward net) {
        byte[] images = FashionMnistDemo.resource("test-images-1000.u8");
        byte[] labels = FashionMnistDemo.resource("test-labels-1000.u8");
        byte[] torchPredictions = FashionMnistDemo.resource("pytorch-predictions-1000.u8");
        float[] torchProbabilities = new float[10_000];
        ByteBuffer.wrap(FashionMnistDemo.resource("pytorch-probabilities-1000.f32")).order(ByteOrder.LITTLE_ENDIAN)
                .asFloatBuffer().get(torchProbabilities);
        float[] input = new float[784], probabilities = new float[10];
        double worst = 0;
        int ours = 0, theirs = 0;
        for (int i = 0; i < 1000; i++) {
            FashionMnistDemo.pixels(images, i, input);
            net.forward(input, probabilities);
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
        System.out.println("Fashion-MNIST slice: accuracy " + ours / 10.0 + "% (PyTorch " + theirs / 10.0
                + "%), largest probability difference " + worst);
        assertTrue(worst <= 1e-5, "largest probability difference " + worst);
        assertEquals(theirs, ours);
        assertEquals(914, ours, "PyTorch measured 91.4% on this slice (metadata.json)");
    }

    @Test
    void compileTimeImportEqualsTheHandConvertedVector() {
        float[] expected = new float[FashionNetForward.PARAMETER_COUNT];
        ByteBuffer.wrap(FashionMnistDemo.resource("netforge-parameters.f32")).order(ByteOrder.LITTLE_ENDIAN)
                .asFloatBuffer().get(expected);
        float[] input = new float[784];
        FashionMnistDemo.pixels(FashionMnistDemo.resource("test-images-1000.u8"), 3, input);
        float[] fromOnnx = new float[10], fromVector = new float[10];
        new FashionNetForward().forward(input, fromOnnx);
        new FashionNetForward(expected).forward(input, fromVector);
        assertArrayEquals(fromVector, fromOnnx, "bundled ONNX import vs the training script's own conversion");
    }

    @Test
    void layerByLayerShowsEveryStep() {
        float[] input = new float[784];
        FashionMnistDemo.pixels(FashionMnistDemo.resource("test-images-1000.u8"), 0, input);
        Map<String, float[]> steps = new FashionNetForward().forwardByLayer(input);
        // Each max pool runs fused with the convolution before it, so they share an entry.
        assertEquals(java.util.List.of("conv1 + pool1", "conv2 + pool2", "dense1", "output"),
                java.util.List.copyOf(steps.keySet()));
        assertEquals(13 * 13 * 32, steps.get("conv1 + pool1").length);
        float[] output = new float[10];
        new FashionNetForward().forward(input, output);
        assertArrayEquals(output, steps.get("output"));
    }
}
