package dev.netforge.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The trained Fashion-MNIST MnistNet that {@code netforge-samples} ships ({@code FashionNet}): its
 * parameter vector, its ONNX export, and a golden input with PyTorch's output for it.
 */
final class Fashion {
    static final String DIRECTORY = "/dev/netforge/samples/fashion/";
    /** How far any implementation's probabilities may be from another's, or from PyTorch's. */
    static final float TOLERANCE = 1e-5f;

    private Fashion() {
    }

    /**
     * The trained parameter vector, read from the weights the processor bundled into
     * {@code FashionNetForward.weights} (big-endian: magic {@code NFW3}, then a count and that many
     * floats: the parameters, then the golden pair, then a CRC-32).
     */
    static float[] parameters() {
        ByteBuffer buffer = ByteBuffer.wrap(bytes("FashionNetForward.weights"));
        if (buffer.getInt() != 0x4E465733) {
            throw new IllegalStateException("FashionNetForward.weights: unknown format");
        }
        float[] parameters = new float[buffer.getInt()];
        if (parameters.length != 225_034) {
            throw new IllegalStateException("FashionNetForward.weights holds " + parameters.length
                    + " parameters, MnistNet has 225034");
        }
        buffer.asFloatBuffer().get(parameters);
        return parameters;
    }

    static float[] goldenInput() {
        return floats("golden-input.f32");
    }

    static float[] goldenOutput() {
        return floats("golden-output.f32");
    }

    static byte[] onnxModel() {
        return bytes("fashion_mnist.onnx");
    }

    /** Little-endian float32 values. */
    static float[] floats(String name) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes(name)).order(ByteOrder.LITTLE_ENDIAN);
        float[] values = new float[buffer.remaining() / Float.BYTES];
        buffer.asFloatBuffer().get(values);
        return values;
    }

    static byte[] bytes(String name) {
        try (InputStream in = Fashion.class.getResourceAsStream(DIRECTORY + name)) {
            if (in == null) {
                throw new IllegalStateException(DIRECTORY + name + " is not on the class path (netforge-samples)");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Fails loudly unless {@code actual} is within {@link #TOLERANCE} of both the naive Java reference
     * and PyTorch's output on the golden input.
     */
    static void check(String implementation, float[] actual) {
        float[] input = goldenInput();
        float[] reference = new float[10];
        new NaiveMnistNet(parameters()).forward(input, reference);
        compare(implementation + " vs naive Java", actual, reference);
        compare(implementation + " vs PyTorch (golden-output.f32)", actual, goldenOutput());
    }

    private static void compare(String what, float[] actual, float[] expected) {
        if (actual.length != expected.length) {
            throw new IllegalStateException(what + ": " + actual.length + " outputs, expected " + expected.length);
        }
        for (int i = 0; i < expected.length; i++) {
            float error = Math.abs(actual[i] - expected[i]);
            if (!(error <= TOLERANCE)) {
                throw new IllegalStateException(what + ": output " + i + " is " + actual[i] + ", expected "
                        + expected[i] + " (error " + error + " > " + TOLERANCE + ")");
            }
        }
    }
}
