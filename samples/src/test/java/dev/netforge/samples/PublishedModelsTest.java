package dev.netforge.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Keras's published parameter totals, as the processor computed them at compile time. */
class PublishedModelsTest {
    @Test
    void vgg16() {
        assertEquals(138_357_544, Vgg16Forward.PARAMETER_COUNT);
        assertEquals(224 * 224 * 3, Vgg16Forward.INPUT_SIZE);
        assertEquals(1000, Vgg16Forward.OUTPUT_SIZE);
        assertTrue(Vgg16Forward.summary().contains("Total params: 138,357,544"), Vgg16Forward.summary());
    }

    @Test
    void mobileNetV1() {
        assertEquals(4_253_864, MobileNetV1Forward.PARAMETER_COUNT);
        assertEquals(1000, MobileNetV1Forward.OUTPUT_SIZE);
        assertTrue(MobileNetV1Forward.summary().contains(" conv_pw_13 (Conv2D)"), MobileNetV1Forward.summary());
    }

    @Test
    void resNet50() {
        assertEquals(25_636_712, ResNet50Forward.PARAMETER_COUNT);
        assertEquals(1000, ResNet50Forward.OUTPUT_SIZE);
        String summary = ResNet50Forward.summary();
        assertTrue(summary.contains("Connected to"), summary);
        assertTrue(summary.lines().anyMatch(l -> l.startsWith(" conv5_block3_add (Add)")
                && l.contains("conv5_block2_out, conv5_block3_3_bn")), summary);
        // scratch by liveness: a few arrays of the largest activation (conv1, 112x112x64), not the sum of all
        long largest = 112L * 112 * 64;
        assertTrue(scratchFloats(summary) <= 6 * largest, summary);
    }

    @Test
    void mobileNetV2() {
        assertEquals(3_538_984, MobileNetV2Forward.PARAMETER_COUNT);
        assertEquals(1000, MobileNetV2Forward.OUTPUT_SIZE);
        String summary = MobileNetV2Forward.summary();
        assertTrue(summary.lines().anyMatch(l -> l.startsWith(" block_16_project (Conv2D)")
                && l.contains("(None, 7, 7, 320)")), summary);
        long largest = 112L * 112 * 96; // block_1_expand_relu
        assertTrue(scratchFloats(summary) <= 6 * largest, summary);
    }

    /** The summary's "scratch N KB per instance" (or MB), in floats. */
    private static long scratchFloats(String summary) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("scratch ([0-9.,]+) (B|KB|MB|GB) per instance")
                .matcher(summary);
        assertTrue(m.find(), summary);
        double value = Double.parseDouble(m.group(1).replace(",", ""));
        long scale = switch (m.group(2)) {
            case "KB" -> 1024L;
            case "MB" -> 1024L * 1024;
            case "GB" -> 1024L * 1024 * 1024;
            default -> 1L;
        };
        return (long) (value * scale / Float.BYTES);
    }
}
