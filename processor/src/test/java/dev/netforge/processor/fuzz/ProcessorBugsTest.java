package dev.netforge.processor.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import com.google.testing.compile.JavaFileObjects;
import dev.netforge.processor.NetForgeProcessor;
import dev.netforge.processor.testing.CompiledModel;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Locale;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The processor bugs the fuzzer found, each as the smallest model that shows it and an assertion of
 * the correct behaviour: a {@code [netforge.too-large]} error on the model's line, no internal error,
 * no generated code that does not compile. They fail until the bug is fixed.
 */
class ProcessorBugsTest {

    /**
     * Bug 1: {@code checkInput} multiplies the input sizes in a {@code long} that wraps: {1<<30, 1<<30, 16}
     * is 2^64 values, which wraps to 0, so the model is accepted (INPUT_SIZE 0 for a 2^64-value image);
     * other wraps land on a value that is not an {@code int} and crash the writer
     * ({@code ArithmeticException: integer overflow} in {@code Shape.size}, an internal error).
     * Should be: {@code [netforge.too-large]} on the input.
     */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{1073741824, 1073741824, 16} | @BatchNormalization Layer l0;",
        "{536870870, 2147483639, 15} | @BatchNormalization Layer l0;",
        "{1073741824, 1073741824, 16} | @Flatten Layer l0;"})
    void inputWhoseSizeOverflowsLongIsTooLarge(String input, String layer) {
        assertTooLarge(input, layer, 5);
    }

    /**
     * Bug 2: {@code paddedFits} multiplies the padded height, width and channels in a {@code long} that
     * wraps for a huge 'same' kernel on 2+ channels, and the kernel size wraps too: both checks pass and
     * the writer crashes ({@code ArithmeticException: integer overflow}, an internal error). Should be:
     * {@code [netforge.too-large]} on the layer.
     */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{1, 1, 4} | @Conv2D(filters = 1, kernel = Integer.MAX_VALUE, padding = Padding.SAME) Layer l0;",
        "{1, 1, 4} | @DepthwiseConv2D(kernel = Integer.MAX_VALUE, padding = Padding.SAME) Layer l0;",
        "{1, 1, 3} | @Conv2D(filters = 1, kernel = {2147483647, 2147483647}, padding = Padding.SAME) Layer l0;"})
    void sameKernelWhosePaddedInputOverflowsLongIsTooLarge(String input, String layer) {
        assertTooLarge(input, layer, 7);
    }

    /**
     * Bug 3: {@code checkZeroPadding} multiplies the padded height, width and channels in a {@code long}
     * that wraps (height and width near 2^32), so the layer is accepted with sizes cast to negative
     * {@code int}s, and the generated source does not compile ("integer number too large"): an error
     * in generated code, without a rule tag, not located in the model. Should be:
     * {@code [netforge.too-large]} on the layer.
     */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{1, 1, 1} | @ZeroPadding2D(Integer.MAX_VALUE) Layer l0;",
        "{1, 1, 4} | @ZeroPadding2D({2147483647, 2147483647}) Layer l0;",
        "{1, 1, 2} | @ZeroPadding2D(1073741824) Layer l0;"})
    void zeroPaddingWhoseOutputOverflowsLongIsTooLarge(String input, String layer) {
        assertTooLarge(input, layer, 7);
    }

    private static void assertTooLarge(String input, String layer, long line) {
        String source = "package bugs;\n\nimport dev.netforge.*;\n\n@Model(input = " + input + ")\npublic class M {\n"
                + "    " + layer + "\n}\n";
        Compilation compilation = Compiler.javac().withProcessors(new NetForgeProcessor()).withOptions("-Xlint:all")
                .compile(JavaFileObjects.forSourceString("bugs.M", source));
        StringBuilder all = new StringBuilder(source);
        compilation.diagnostics().forEach(d -> all.append("\n").append(FuzzRunner.describe(d)));
        for (Diagnostic<? extends JavaFileObject> d : compilation.diagnostics()) {
            assertFalse(FuzzRunner.isCrash(d), "an internal error:\n" + all);
            assertTrue(d.getSource() != null && d.getSource().getName().endsWith("bugs/M.java"),
                    "a diagnostic outside the model (in generated code?):\n" + all);
        }
        assertEquals(Compilation.Status.FAILURE, compilation.status(), "accepted:\n" + all);
        assertTrue(compilation.errors().stream().anyMatch(d -> d.getLineNumber() == line
                && d.getMessage(Locale.ROOT).contains("[netforge.too-large]")),
                "no [netforge.too-large] error on line " + line + ":\n" + all);
    }

    /**
     * Bug 4 (runtime miscompile; needs a 4 GB input array, so opt-in with
     * {@code -Dnetforge.bigMemory=true} and a heap of at least 6 GB): a 'same' pooling layer computes
     * the end of each window as {@code top + poolHeight} in {@code int}. With a huge pool, a large
     * stride and an input taller than 2^30, that sum overflows, the window comes out empty and the
     * max pool returns -Infinity (the average pool 0/0 = NaN) where Keras gives the maximum of the
     * window's real cells. Here: input 1,073,741,825 x 1 x 1, pool {2147483647, 1}, strides
     * {536870912, 1}, 'same': 3 outputs; the last window covers rows 1 .. end.
     */
    @Test
    @EnabledIfSystemProperty(named = "netforge.bigMemory", matches = "true")
    void samePoolWindowEndDoesNotOverflow() throws ReflectiveOperationException {
        int height = (1 << 30) + 1;
        CompiledModel model = CompiledModel.compile("bugs", "BigPool", """
                package bugs;
                import dev.netforge.*;
                @Model(input = {1073741825, 1, 1})
                public class BigPool {
                    @MaxPool(value = {2147483647, 1}, strides = {536870912, 1}, padding = Padding.SAME) Layer pool;
                }
                """);
        assertEquals(3, model.constant("OUTPUT_SIZE"));
        float[] input = new float[height];
        input[height - 1] = 7f; // the maximum, in the last row: inside windows 1 and 2
        float[] output = new float[3];
        Object net = model.instance(new float[0]).target();
        Method forward = model.forwardClass().getMethod("forward", float[].class, float[].class);
        forward.invoke(net, input, output);
        assertEquals(List.of(0f, 7f, 7f), List.of(output[0], output[1], output[2]),
                "window 2 spans rows 1 .. " + (height - 1));
    }
}
