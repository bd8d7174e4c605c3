package dev.netforge.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The sample as a user's build compiles it: the generated class exists, runs and behaves. */
class MnistNetDemoTest {
    @Test
    void mainPrintsSummaryAndClassifiesEveryDrawing() {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            MnistNetDemo.main(new String[0]);
        } finally {
            System.setOut(original);
        }
        String text = captured.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("Total params: 225,034"), text);
        assertEquals(5, text.lines().filter(line -> line.contains(" -> class ")).count(), text);
    }

    @Test
    void probabilitiesAreADistribution() {
        MnistNetForward net = new MnistNetForward(MnistNetDemo.deterministicWeights(1));
        float[] probabilities = new float[MnistNetForward.OUTPUT_SIZE];
        net.forward(MnistNetDemo.drawing(2), probabilities);
        double sum = 0;
        for (float p : probabilities) {
            assertTrue(p >= 0 && p <= 1, "probability " + p);
            sum += p;
        }
        assertEquals(1.0, sum, 1e-5);
    }

    @Test
    void wrongLengthsAreRejectedWithTheNumbers() {
        IllegalArgumentException parameters = assertThrows(IllegalArgumentException.class,
                () -> new MnistNetForward(new float[10]));
        assertTrue(parameters.getMessage().contains("225034") && parameters.getMessage().contains("got 10"),
                parameters.getMessage());
        MnistNetForward net = new MnistNetForward(MnistNetDemo.deterministicWeights(1));
        IllegalArgumentException input = assertThrows(IllegalArgumentException.class,
                () -> net.forward(new float[783], new float[10]));
        assertTrue(input.getMessage().contains("783") && input.getMessage().contains("784"), input.getMessage());
    }

    @Test
    void instancesShareWeights() {
        MnistNetForward first = new MnistNetForward(MnistNetDemo.deterministicWeights(3));
        MnistNetForward second = new MnistNetForward(first.weights());
        float[] a = new float[10], b = new float[10];
        first.forward(MnistNetDemo.drawing(0), a);
        second.forward(MnistNetDemo.drawing(0), b);
        assertEquals(java.util.Arrays.toString(a), java.util.Arrays.toString(b));
    }
}
