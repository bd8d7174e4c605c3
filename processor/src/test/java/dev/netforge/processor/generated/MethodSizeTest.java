package dev.netforge.processor.generated;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netforge.processor.testing.ClassFileMethods;
import dev.netforge.processor.testing.CompiledModel;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every generated method stays under HotSpot's {@code HugeMethodLimit} (8,000 bytes of bytecode),
 * so the JIT compiles all of it, whatever the model's sizes or depth.
 */
class MethodSizeTest {
    static final int HUGE_METHOD_LIMIT = 8000;

    @Test
    void mnistNet() {
        assertAllMethodsSmall(CompiledModel.compile("test", "MnistNet", """
                package test;
                import dev.netforge.*;
                @Model(input = {28, 28, 1})
                public class MnistNet {
                    @Conv2D(filters = 32, kernel = 3, activation = Activation.RELU) Layer conv1;
                    @MaxPool(2) Layer pool1;
                    @Conv2D(filters = 64, kernel = 3, activation = Activation.RELU) Layer conv2;
                    @MaxPool(2) Layer pool2;
                    @Flatten Layer flatten;
                    @Dense(units = 128, activation = Activation.RELU) Layer dense1;
                    @Dense(units = 10, activation = Activation.SOFTMAX) Layer output;
                }
                """), 4); // conv1 + pool1, conv2 + pool2 (each pool fused with its convolution), dense1, output
    }

    /** VGG16's shape: 224x224x3, 3x3 convolutions of 64 to 512 filters, two Dense(4096). */
    @Test
    void vgg16SizedModel() {
        StringBuilder layers = new StringBuilder();
        int[][] blocks = {{64, 2}, {128, 2}, {256, 3}, {512, 3}, {512, 3}};
        int n = 0;
        for (int[] block : blocks) {
            for (int i = 0; i < block[1]; i++) {
                layers.append("    @Conv2D(filters = ").append(block[0])
                        .append(", kernel = 3, padding = Padding.SAME, activation = Activation.RELU) Layer conv")
                        .append(n++).append(";\n");
            }
            layers.append("    @MaxPool(2) Layer pool").append(n++).append(";\n");
        }
        CompiledModel model = CompiledModel.compile("test", "Vgg16", "package test;\nimport dev.netforge.*;\n"
                + "@Model(input = {224, 224, 3})\npublic class Vgg16 {\n" + layers
                + "    @Flatten Layer flatten;\n"
                + "    @Dense(units = 4096, activation = Activation.RELU) Layer fc1;\n"
                + "    @Dense(units = 4096, activation = Activation.RELU) Layer fc2;\n"
                + "    @Dense(units = 1000, activation = Activation.SOFTMAX) Layer predictions;\n}\n");
        assertEquals(138_357_544, model.constant("PARAMETER_COUNT"), "Keras's published VGG16 total");
        assertAllMethodsSmall(model, 16); // 13 convolutions (each pool fused with the one before it) + 3 Dense
    }

    /** The deepest model the processor accepts: methods whose length grows with depth are split. */
    @Test
    void deepestAcceptedModel() {
        StringBuilder layers = new StringBuilder();
        for (int i = 0; i < 1000; i++) {
            layers.append("    @Dense(units = 4, activation = Activation.TANH) Layer d").append(i).append(";\n");
        }
        CompiledModel model = CompiledModel.compile("test", "Deep", "package test;\nimport dev.netforge.*;\n"
                + "@Model(input = {4})\npublic class Deep {\n" + layers + "}\n");
        Map<String, Integer> methods = assertAllMethodsSmall(model, 1000);
        assertTrue(methods.keySet().stream().anyMatch(m -> m.startsWith("forwardPart")),
                "a 1,000-layer forward is split into parts: " + methods.keySet());
    }

    /** A 1,000-node graph: 500 residual steps, each a Dense and an Add of it and the running sum. */
    @Test
    void thousandNodeGraph() {
        StringBuilder layers = new StringBuilder();
        String previous = "input";
        for (int i = 0; i < 500; i++) {
            layers.append("    @Dense(units = 4, activation = Activation.TANH) @From(\"").append(previous)
                    .append("\") Layer d").append(i).append(";\n");
            layers.append("    @Add @From({\"").append(previous).append("\", \"d").append(i).append("\"}) Layer s")
                    .append(i).append(";\n");
            previous = "s" + i;
        }
        CompiledModel model = CompiledModel.compile("test", "Residual", "package test;\nimport dev.netforge.*;\n"
                + "@Model(input = {4})\npublic class Residual {\n" + layers + "}\n");
        Map<String, Integer> methods = assertAllMethodsSmall(model, 1000);
        assertTrue(methods.keySet().stream().anyMatch(m -> m.startsWith("forwardPart")),
                "a 1,000-node forward is split into parts: " + methods.keySet());
    }

    private static Map<String, Integer> assertAllMethodsSmall(CompiledModel model, int layerMethods) {
        String outer = model.forwardClass().getName();
        Map<String, Integer> all = new java.util.TreeMap<>();
        model.classFiles().forEach((name, bytes) -> {
            if (name.startsWith(outer)) {
                ClassFileMethods.codeLengths(bytes).forEach((method, length) -> all.put(name + "." + method, length));
            }
        });
        assertFalse(all.isEmpty());
        long layers = all.keySet().stream().filter(m -> m.matches(".*\\.layer\\d+\\(.*")).count();
        assertEquals(layerMethods, layers, "one specialised method per computing layer");
        Map.Entry<String, Integer> largest = all.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow();
        System.out.println(outer + ": " + all.size() + " methods, largest " + largest.getKey() + " = "
                + largest.getValue() + " bytes");
        all.forEach((method, length) -> assertTrue(length < HUGE_METHOD_LIMIT,
                method + " has " + length + " bytes of bytecode, not under " + HUGE_METHOD_LIMIT));
        Map<String, Integer> simple = new java.util.TreeMap<>();
        all.forEach((k, v) -> simple.put(k.substring(k.lastIndexOf('.') + 1), v));
        return simple;
    }
}
