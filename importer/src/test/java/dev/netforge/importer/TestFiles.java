package dev.netforge.importer;

import dev.netforge.importer.json.Json;
import dev.netforge.importer.json.JsonException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Access to the test resources. */
final class TestFiles {
    /** The three real Keras files: folder and model file name. */
    static final List<String[]> KERAS = List.of(
            new String[] {"kilj4eden_mnist", "mnist.h5"},
            new String[] {"moonflower_mnist_keras", "mnist_model.keras"},
            new String[] {"erenaktuerk_cifar10_bn", "cifar10_cnn_model.h5"});

    static final String ONNX = "onnx/fashion_mnist.onnx";
    static final String ONNX_PARAMETERS = "onnx/netforge-parameters.f32";

    private TestFiles() {
    }

    static Path path(String resource) {
        URL url = TestFiles.class.getClassLoader().getResource(resource);
        if (url == null) {
            throw new IllegalStateException("missing test resource " + resource);
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static Path keras(String folder, String file) {
        return path("keras-models/" + folder + "/" + file);
    }

    static byte[] bytes(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A raw little-endian float32 file. */
    static float[] f32(Path p) {
        FloatBuffer fb = ByteBuffer.wrap(bytes(p)).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        float[] out = new float[fb.remaining()];
        fb.get(out);
        return out;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> json(Path p) {
        try {
            return (Map<String, Object>) Json.parse(new String(bytes(p), StandardCharsets.UTF_8));
        } catch (JsonException e) {
            throw new IllegalStateException(p + ": " + e.getMessage(), e);
        }
    }

    /** Bitwise equality of float arrays, with the first difference in the message. */
    static String firstDifference(float[] a, float[] b) {
        if (a.length != b.length) {
            return "lengths " + a.length + " and " + b.length;
        }
        for (int i = 0; i < a.length; i++) {
            if (Float.floatToRawIntBits(a[i]) != Float.floatToRawIntBits(b[i])) {
                return "index " + i + ": " + a[i] + " vs " + b[i];
            }
        }
        return null;
    }
}
