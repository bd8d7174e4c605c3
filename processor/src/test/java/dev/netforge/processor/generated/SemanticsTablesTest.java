package dev.netforge.processor.generated;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netforge.processor.testing.CompiledModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every row of SEMANTICS.md's seed tables, as shapes and parameter counts of compiled models (read
 * from the generated constants and summary), and the MnistNet summary of the core issue.
 */
class SemanticsTablesTest {
    private static CompiledModel compile(String input, String layers) {
        return CompiledModel.compile("test", "M", "package test;\nimport dev.netforge.*;\n@Model(input = " + input
                + ")\npublic class M {\n" + layers + "\n}\n");
    }

    /** Conv2D valid, stride 1: out = in - K + 1; and the general strided/dilated-free forms. */
    @ParameterizedTest(name = "Conv2D {2}x{2} stride {3} {4} on {0}x{1} gives {5}x{6}")
    @CsvSource({
        "28, 28, 3, 1, VALID, 26, 26",
        "28, 28, 5, 1, VALID, 24, 24",
        "26, 26, 3, 1, VALID, 24, 24",
        "13, 13, 3, 1, VALID, 11, 11",
        "28, 27, 3, 2, VALID, 13, 13",
        "7, 8, 3, 2, SAME, 4, 4",
        "28, 28, 3, 1, SAME, 28, 28",
        "9, 10, 4, 3, SAME, 3, 4"})
    void conv2DOutputSize(int h, int w, int k, int s, String padding, int outH, int outW) {
        CompiledModel model = compile("{" + h + ", " + w + ", 2}", "@Conv2D(filters = 3, kernel = " + k
                + ", strides = " + s + ", padding = Padding." + padding + ") Layer conv;");
        assertEquals(outH * outW * 3, model.constant("OUTPUT_SIZE"));
        assertTrue(model.summary().contains("(None, " + outH + ", " + outW + ", 3)"), model.summary());
    }

    /** Pooling valid: floor((in - P) / S) + 1 with S defaulting to P; same: ceil(in / S). */
    @ParameterizedTest(name = "MaxPool {1} stride {2} {3} on {0} gives {4}")
    @CsvSource({
        "26, 2, '', VALID, 13",
        "11, 2, '', VALID, 5",
        "24, 2, '', VALID, 12",
        "11, 3, 2, VALID, 5",
        "11, 2, '', SAME, 6",
        "7, 3, 1, SAME, 7"})
    void maxPoolOutputSize(int in, int pool, String strides, String padding, int out) {
        String stridesAttribute = strides.isEmpty() ? "" : ", strides = " + strides;
        CompiledModel model = compile("{" + in + ", " + in + ", 4}", "@MaxPool(value = " + pool + stridesAttribute
                + ", padding = Padding." + padding + ") Layer pool;");
        assertEquals(out * out * 4, model.constant("OUTPUT_SIZE"));
        assertEquals(0, model.constant("PARAMETER_COUNT"));
    }

    @ParameterizedTest(name = "{2} on {0} has {3} parameters")
    @CsvSource(delimiter = '|', value = {
        "{28, 28, 1}  |                     | @Conv2D(filters = 32, kernel = 3) Layer conv;                   | 320",
        "{13, 13, 32} |                     | @Conv2D(filters = 64, kernel = 3) Layer conv;                   | 18496",
        "{13, 13, 32} |                     | @Conv2D(filters = 64, kernel = 3, useBias = false) Layer conv;  | 18432",
        "{784}        |                     | @Dense(units = 128) Layer dense;                                | 100480",
        "{28, 28, 1}  | @Flatten Layer flat; | @Dense(units = 676) Layer dense;                                | 530660",
        "{784}        |                     | @Dense(units = 128, useBias = false) Layer dense;               | 100352"})
    void parameterCount(String input, String before, String layer, int parameters) {
        CompiledModel model = compile(input, (before == null ? "" : before) + "\n" + layer);
        assertEquals(parameters, model.constant("PARAMETER_COUNT"));
    }

    @Test
    void mnistNetSummary() {
        CompiledModel model = CompiledModel.compile("test", "MnistNet", """
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
                """);
        String summary = model.summary();
        String[][] rows = {
            {"conv1 (Conv2D)", "(None, 26, 26, 32)", "320", "194,688"},
            {"pool1 (MaxPooling2D)", "(None, 13, 13, 32)", "0", "0"},
            {"conv2 (Conv2D)", "(None, 11, 11, 64)", "18,496", "2,230,272"},
            {"pool2 (MaxPooling2D)", "(None, 5, 5, 64)", "0", "0"},
            {"flatten (Flatten)", "(None, 1600)", "0", "0"},
            {"dense1 (Dense)", "(None, 128)", "204,928", "204,800"},
            {"output (Dense)", "(None, 10)", "1,290", "1,280"}};
        for (String[] row : rows) {
            assertTrue(summary.lines().anyMatch(line -> line.matches(" " + java.util.regex.Pattern.quote(row[0])
                    + " +" + java.util.regex.Pattern.quote(row[1]) + " +" + row[2] + " +" + row[3])),
                    "row " + String.join(" | ", row) + " in\n" + summary);
        }
        assertTrue(summary.contains("Total params: 225,034"), summary);
        assertTrue(summary.contains("Multiply-accumulates per inference: 2,631,040"), summary);
        // scratch: 13x13x32 + 5x5x64 activations (each pool runs fused with its convolution) + the kernels' 4,224-float scratch
        assertTrue(summary.contains("scratch 43.88 KB per instance"), summary);
        assertEquals(225_034, model.constant("PARAMETER_COUNT"));
        assertEquals(784, model.constant("INPUT_SIZE"));
        assertEquals(10, model.constant("OUTPUT_SIZE"));
    }
}
