package dev.netforge.shapes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The shared arithmetic against two independent references: output sizes Keras reports for
 * published models, and a brute-force count of the window positions (and, for the transposed
 * convolution, of the cells its scatter touches), for every small size.
 */
class KerasShapesTest {

    @Test
    void sizesKerasReportsForPublishedModels() {
        // ResNet50: ZeroPadding2D(3) to 230, conv1 7x7 stride 2 'valid' -> 112; pool 3x3/2 on 114 -> 56
        assertEquals(112, KerasShapes.convolutionOutput(230, 7, 2, 1, false));
        assertEquals(56, KerasShapes.convolutionOutput(114, 3, 2, 1, false));
        // MobileNetV2: Conv1 3x3 stride 2 'same' on 224 -> 112, pads (0, 1) as TensorFlow does
        assertEquals(112, KerasShapes.convolutionOutput(224, 3, 2, 1, true));
        assertEquals(1, KerasShapes.samePadding(224, 3, 2, 1));
        assertEquals(0, KerasShapes.before(KerasShapes.samePadding(224, 3, 2, 1)));
        // MnistNet: 28 -3x3-> 26 -pool 2-> 13 -3x3-> 11 -pool 2-> 5
        assertEquals(26, KerasShapes.convolutionOutput(28, 3, 1, 1, false));
        assertEquals(13, KerasShapes.convolutionOutput(26, 2, 2, 1, false));
        assertEquals(5, KerasShapes.convolutionOutput(11, 2, 2, 1, false));
        // U-Net decoder: Conv2DTranspose(kernel 2, strides 2) doubles in both paddings
        assertEquals(16, KerasShapes.transposeOutput(8, 2, 2, false));
        assertEquals(16, KerasShapes.transposeOutput(8, 2, 2, true));
        // DCGAN-style Conv2DTranspose(kernel 5, strides 2): 'valid' 7 -> 17, 'same' 7 -> 14
        assertEquals(17, KerasShapes.transposeOutput(7, 5, 2, false));
        assertEquals(14, KerasShapes.transposeOutput(7, 5, 2, true));
    }

    @Test
    void convolutionOutputCountsTheWindowPositions() {
        for (int in = 1; in <= 24; in++) {
            for (int kernel = 1; kernel <= 6; kernel++) {
                for (int stride = 1; stride <= 4; stride++) {
                    for (int dilation = 1; dilation <= 3; dilation++) {
                        int span = dilation * (kernel - 1) + 1;
                        // 'valid': the windows that start at 0, s, 2s, ... and end inside the input
                        int valid = 0;
                        for (int start = 0; start + span <= in; start += stride) {
                            valid++;
                        }
                        if (valid == 0) {
                            assertFalse(KerasShapes.validFits(in, kernel, dilation));
                            int[] args = {in, kernel, stride, dilation};
                            assertThrows(IllegalArgumentException.class,
                                    () -> KerasShapes.convolutionOutput(args[0], args[1], args[2], args[3], false));
                        } else {
                            assertEquals(valid, KerasShapes.convolutionOutput(in, kernel, stride, dilation, false));
                        }
                        // 'same': one output per stride step of the input (TensorFlow); the padding is what
                        // the last window needs beyond the input, and no window may start in the padding only
                        int same = 0;
                        for (int start = 0; start < in; start += stride) {
                            same++;
                        }
                        assertEquals(same, KerasShapes.convolutionOutput(in, kernel, stride, dilation, true));
                        long pad = KerasShapes.samePadding(in, kernel, stride, dilation);
                        long lastEnd = (long) (same - 1) * stride + span;
                        assertEquals(Math.max(lastEnd - in, 0), pad);
                        assertEquals(pad / 2, KerasShapes.before(pad));
                    }
                }
            }
        }
    }

    @Test
    void transposeOutputCoversTheScatteredCells() {
        for (int in = 1; in <= 12; in++) {
            for (int kernel = 1; kernel <= 6; kernel++) {
                for (int stride = 1; stride <= 4; stride++) {
                    // every input cell i writes cells i*s .. i*s + k - 1 of the full result
                    int full = 0;
                    for (int i = 0; i < in; i++) {
                        full = Math.max(full, i * stride + kernel);
                    }
                    full = Math.max(full, in * stride); // a stride larger than the kernel leaves empty cells
                    assertEquals(full, KerasShapes.transposeOutput(in, kernel, stride, false));
                    assertEquals((long) in * stride, KerasShapes.transposeOutput(in, kernel, stride, true));
                    assertEquals(full - (long) in * stride, KerasShapes.transposeOverhang(kernel, stride));
                }
            }
        }
    }

    @Test
    void weightShapesInGetWeightsOrder() {
        List<KerasWeights.Tensor> conv = KerasWeights.conv2D(3, 3, 1, 32, true);
        assertEquals(List.of("kernel", "bias"), conv.stream().map(KerasWeights.Tensor::role).toList());
        assertArrayEquals(new int[] {3, 3, 1, 32}, conv.get(0).shape());
        assertArrayEquals(new int[] {32}, conv.get(1).shape());
        assertArrayEquals(new int[] {2, 2, 64, 128}, KerasWeights.conv2DTranspose(2, 2, 128, 64, false).get(0).shape());
        List<KerasWeights.Tensor> separable = KerasWeights.separableConv2D(3, 3, 8, 2, 16, true);
        assertArrayEquals(new int[] {1, 1, 16, 16}, separable.get(1).shape());
        assertEquals(List.of("gamma", "beta", "moving_mean", "moving_variance"),
                KerasWeights.batchNormalization(4, true, true).stream().map(KerasWeights.Tensor::role).toList());
        assertEquals(List.of("beta", "moving_mean", "moving_variance"),
                KerasWeights.batchNormalization(4, true, false).stream().map(KerasWeights.Tensor::role).toList());
        assertArrayEquals(new int[] {KerasWeights.ANY}, KerasWeights.depthwiseConv2D(3, 3, KerasWeights.ANY, 2, true)
                .get(1).shape());
        assertThrows(IllegalArgumentException.class, () -> KerasWeights.times(1 << 16, 1 << 16));
    }
}
