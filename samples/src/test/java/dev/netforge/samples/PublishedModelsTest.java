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
}
