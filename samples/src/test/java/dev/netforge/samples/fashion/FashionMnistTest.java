package dev.netforge.samples.fashion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

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

    /** Across the switch from the plain-Java kernels to the vector ones ({@link AgainstPyTorch}). */
    @Test
    void matchesPyTorchAcrossTheSwitchToTheVectorKernels() {
        FashionNetForward net = new FashionNetForward();
        AgainstPyTorch.acrossTheSwitchToTheVectorKernels(() -> checkEveryImage(net));
    }

    private static void checkEveryImage(FashionNetForward net) {
        int correct = AgainstPyTorch.checkEveryImage("Fashion-MNIST MnistNet", net::forward, "", 1e-5);
        assertEquals(914, correct, "PyTorch measured 91.4% on this slice (metadata.json)");
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
