package dev.netforge.processor.reference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Hand-computed cases that show the reference implementation itself is right. Every expected
 * value below was worked out by hand (or is a published constant), not produced by the code.
 */
class ReferenceNetworkTest {

    private static final double EXACT = 1e-12;

    // ------------------------------------------------------------------------------------------
    // Pooling
    // ------------------------------------------------------------------------------------------

    @Test
    void maxPool2x2OnTheClassic4x4Example() {
        // [1,3,2,1]
        // [4,2,0,3]     2x2 windows, stride 2:  max{1,3,4,2}=4  max{2,1,0,3}=3
        // [1,0,5,1]                             max{1,0,3,4}=4  max{5,1,2,0}=5
        // [3,4,2,0]
        int[] input = {4, 4, 1};
        List<RefLayer> layers = List.of(new RefLayer.MaxPool(2, 2, 2, 2, false));
        float[] x = {
            1, 3, 2, 1,
            4, 2, 0, 3,
            1, 0, 5, 1,
            3, 4, 2, 0};
        assertArrayEquals(new int[] {2, 2, 1}, ReferenceNetwork.shapes(input, layers).get(0));
        double[] y = ReferenceNetwork.forward(input, layers, new float[0], x);
        assertArrayEquals(new double[] {4, 3, 4, 5}, y, EXACT);
    }

    @Test
    void maxPoolValidDropsTheLastRowAndColumnOfAnOddInput() {
        // 3x3 [1..9], pool 2 stride 2 'valid': out 1x1 = max{1,2,4,5} = 5; row 2 and col 2 dropped
        int[] input = {3, 3, 1};
        List<RefLayer> layers = List.of(new RefLayer.MaxPool(2, 2, 2, 2, false));
        double[] y = ReferenceNetwork.forward(input, layers, new float[0],
                new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9});
        assertArrayEquals(new double[] {5}, y, EXACT);
    }

    @Test
    void maxPoolWorksPerChannel() {
        // 2x2x2: channel 0 = {1, 5, 2, 0}, channel 1 = {-1, -5, -2, -7}
        int[] input = {2, 2, 2};
        List<RefLayer> layers = List.of(new RefLayer.MaxPool(2, 2, 2, 2, false));
        float[] x = {1, -1, 5, -5, 2, -2, 0, -7};
        double[] y = ReferenceNetwork.forward(input, layers, new float[0], x);
        assertArrayEquals(new double[] {5, -1}, y, EXACT);
    }

    @Test
    void avgPoolSameDividesByTheNumberOfRealCells() {
        // 3x3 [1..9], pool 2x2 stride 2 'same': out = ceil(3/2) = 2, total = 1*2 + 2 - 3 = 1,
        // before 0, after 1 (bottom/right).
        //   (0,0): {1,2,4,5} / 4 = 3
        //   (0,1): {3,6} (column 3 is padding) / 2 = 4.5      (not 9/4)
        //   (1,0): {7,8} (row 3 is padding) / 2 = 7.5
        //   (1,1): {9} / 1 = 9
        int[] input = {3, 3, 1};
        List<RefLayer> layers = List.of(new RefLayer.AvgPool(2, 2, 2, 2, true));
        assertArrayEquals(new int[] {2, 2, 1}, ReferenceNetwork.shapes(input, layers).get(0));
        double[] y = ReferenceNetwork.forward(input, layers, new float[0],
                new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9});
        assertArrayEquals(new double[] {3, 4.5, 7.5, 9}, y, EXACT);
    }

    @Test
    void avgPoolSameStride1PadsOnBothSides() {
        // 3x3 [1..9], pool 3 stride 1 'same': total = 2*1 + 3 - 3 = 2 -> 1 before, 1 after.
        //   corner (0,0): {1,2,4,5}/4 = 3; edge (0,1): {1,2,3,4,5,6}/6 = 3.5; centre: 45/9 = 5
        //   (2,2): {5,6,8,9}/4 = 7
        int[] input = {3, 3, 1};
        List<RefLayer> layers = List.of(new RefLayer.AvgPool(3, 3, 1, 1, true));
        double[] y = ReferenceNetwork.forward(input, layers, new float[0],
                new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9});
        assertArrayEquals(new double[] {3, 3.5, 4, 4.5, 5, 5.5, 6, 6.5, 7}, y, EXACT);
    }

    @Test
    void avgPoolValid() {
        // 3x3 [1..9], pool 2 stride 1 'valid': {1,2,4,5}=3, {2,3,5,6}=4, {4,5,7,8}=6, {5,6,8,9}=7
        int[] input = {3, 3, 1};
        List<RefLayer> layers = List.of(new RefLayer.AvgPool(2, 2, 1, 1, false));
        double[] y = ReferenceNetwork.forward(input, layers, new float[0],
                new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9});
        assertArrayEquals(new double[] {3, 4, 6, 7}, y, EXACT);
    }

    @Test
    void maxPoolSameIgnoresPaddingEvenWhenAllInputsAreNegative() {
        // 3x3 [-1..-9], pool 2 stride 2 'same': padding must not contribute a 0 to the max.
        //   (0,0): max{-1,-2,-4,-5} = -1; (0,1): max{-3,-6} = -3; (1,0): max{-7,-8} = -7; (1,1): -9
        int[] input = {3, 3, 1};
        List<RefLayer> layers = List.of(new RefLayer.MaxPool(2, 2, 2, 2, true));
        double[] y = ReferenceNetwork.forward(input, layers, new float[0],
                new float[] {-1, -2, -3, -4, -5, -6, -7, -8, -9});
        assertArrayEquals(new double[] {-1, -3, -7, -9}, y, EXACT);
    }

    @Test
    void globalPools() {
        // 2x2x2: channel 0 = {1,2,3,4}, channel 1 = {-1,-2,-3,-4}
        int[] input = {2, 2, 2};
        float[] x = {1, -1, 2, -2, 3, -3, 4, -4};
        List<RefLayer> avg = List.of(new RefLayer.GlobalAvgPool());
        List<RefLayer> max = List.of(new RefLayer.GlobalMaxPool());
        assertArrayEquals(new int[] {2}, ReferenceNetwork.shapes(input, avg).get(0));
        assertArrayEquals(new double[] {2.5, -2.5},
                ReferenceNetwork.forward(input, avg, new float[0], x), EXACT);
        assertArrayEquals(new double[] {4, -1},
                ReferenceNetwork.forward(input, max, new float[0], x), EXACT);
    }

    // ------------------------------------------------------------------------------------------
    // Convolutions
    // ------------------------------------------------------------------------------------------

    @Test
    void tinyConvByHand() {
        // input 3x3x1            kernel 2x2 (HWIO, CIN = F = 1)
        // [1 2 3]                [1 2]
        // [4 5 6]                [3 4]
        // [7 8 9]
        // valid, stride 1 -> 2x2:
        //   (0,0) 1*1 + 2*2 + 4*3 + 5*4 = 37
        //   (0,1) 2*1 + 3*2 + 5*3 + 6*4 = 47
        //   (1,0) 4*1 + 5*2 + 7*3 + 8*4 = 67
        //   (1,1) 5*1 + 6*2 + 8*3 + 9*4 = 77
        // bias -40 -> -3, 7, 27, 37; relu after the bias -> 0, 7, 27, 37
        int[] input = {3, 3, 1};
        float[] x = {1, 2, 3, 4, 5, 6, 7, 8, 9};
        float[] params = {1, 2, 3, 4, -40};
        List<RefLayer> linear = List.of(conv(1, 2, 2, 1, 1, 1, 1, false, "linear", true));
        List<RefLayer> relu = List.of(conv(1, 2, 2, 1, 1, 1, 1, false, "relu", true));
        assertArrayEquals(new int[] {2, 2, 1}, ReferenceNetwork.shapes(input, linear).get(0));
        assertEquals(List.of(5L), ReferenceNetwork.parameterCounts(input, linear));
        assertArrayEquals(new double[] {-3, 7, 27, 37},
                ReferenceNetwork.forward(input, linear, params, x), EXACT);
        assertArrayEquals(new double[] {0, 7, 27, 37},
                ReferenceNetwork.forward(input, relu, params, x), EXACT);
    }

    @Test
    void convKernelLayoutIsHwio() {
        // 1x1x2 input [1, 2]; 1x1 kernel, CIN 2, F 3: element (0,0,ci,f) at ci*3 + f
        //   ci 0: [1, 2, 3]; ci 1: [10, 20, 30]; bias [1, 2, 3]
        //   f0 = 1*1 + 2*10 + 1 = 22; f1 = 1*2 + 2*20 + 2 = 44; f2 = 1*3 + 2*30 + 3 = 66
        int[] input = {1, 1, 2};
        List<RefLayer> layers = List.of(conv(3, 1, 1, 1, 1, 1, 1, false, null, true));
        float[] params = {1, 2, 3, 10, 20, 30, 1, 2, 3};
        assertEquals(List.of(9L), ReferenceNetwork.parameterCounts(input, layers));
        assertArrayEquals(new double[] {22, 44, 66},
                ReferenceNetwork.forward(input, layers, params, new float[] {1, 2}), EXACT);
    }

    @Test
    void convWithoutBias() {
        // same 1x1 conv without bias: [21, 42, 63]; 6 parameters
        int[] input = {1, 1, 2};
        List<RefLayer> layers = List.of(conv(3, 1, 1, 1, 1, 1, 1, false, "linear", false));
        assertEquals(List.of(6L), ReferenceNetwork.parameterCounts(input, layers));
        assertArrayEquals(new double[] {21, 42, 63},
                ReferenceNetwork.forward(input, layers, new float[] {1, 2, 3, 10, 20, 30},
                        new float[] {1, 2}), EXACT);
    }

    @Test
    void dilatedConvValid() {
        // 5x5 input in(h,w) = 5h + w; 2x2 kernel of ones, dilation 2: extent 3, out 3x3;
        // out(i,j) = in(i,j) + in(i,j+2) + in(i+2,j) + in(i+2,j+2) = 4(5i + j) + 24
        int[] input = {5, 5, 1};
        float[] x = new float[25];
        for (int i = 0; i < 25; i++) {
            x[i] = i;
        }
        List<RefLayer> layers = List.of(conv(1, 2, 2, 1, 1, 2, 2, false, "linear", false));
        assertArrayEquals(new int[] {3, 3, 1}, ReferenceNetwork.shapes(input, layers).get(0));
        double[] y = ReferenceNetwork.forward(input, layers, new float[] {1, 1, 1, 1}, x);
        assertArrayEquals(new double[] {24, 28, 32, 44, 48, 52, 64, 68, 72}, y, EXACT);
    }

    @Test
    void dilatedConvSamePadsTheEffectiveKernel() {
        // 1x5 input [1..5]; kernel 1x3 of ones, dilation 2 (extent 5), 'same', stride 1:
        // total = 4*1 + 5 - 5 = 4 -> 2 left, 2 right; out(w) = in(w-2) + in(w) + in(w+2)
        //   [0+1+3, 0+2+4, 1+3+5, 2+4+0, 3+5+0] = [4, 6, 9, 6, 8]
        int[] input = {1, 5, 1};
        List<RefLayer> layers = List.of(conv(1, 1, 3, 1, 1, 1, 2, true, "linear", false));
        double[] y = ReferenceNetwork.forward(input, layers, new float[] {1, 1, 1},
                new float[] {1, 2, 3, 4, 5});
        assertArrayEquals(new double[] {4, 6, 9, 6, 8}, y, EXACT);
    }

    @Test
    void sameEvenKernelPutsTheExtraPaddingAtTheRight() {
        // 1x4 input [1,2,3,4]; kernel 1x2 = [1, 10], 'same', stride 1:
        // total = 3 + 2 - 4 = 1 -> 0 left, 1 right; out(w) = in(w) + 10 in(w+1)
        //   [1+20, 2+30, 3+40, 4+0] = [21, 32, 43, 4]
        int[] input = {1, 4, 1};
        List<RefLayer> layers = List.of(conv(1, 1, 2, 1, 1, 1, 1, true, "linear", false));
        double[] y = ReferenceNetwork.forward(input, layers, new float[] {1, 10},
                new float[] {1, 2, 3, 4});
        assertArrayEquals(new double[] {21, 32, 43, 4}, y, EXACT);
    }

    /** A 3x3 kernel that is 1 at (r, s) and 0 elsewhere: reads the input cell at that tap. */
    private static float[] indicator3x3(int r, int s) {
        float[] k = new float[9];
        k[r * 3 + s] = 1;
        return k;
    }

    @Test
    void sameStride2OnEvenHeightAndOddWidth() {
        // 4x5 input in(h,w) = 1 + 5h + w (every real cell is non-zero, padding reads as 0):
        //   [ 1  2  3  4  5]
        //   [ 6  7  8  9 10]
        //   [11 12 13 14 15]
        //   [16 17 18 19 20]
        // kernel 3, stride 2, 'same': out 2x3.
        //   rows (even 4): total = 1*2 + 3 - 4 = 1 -> 0 top, 1 bottom
        //   cols (odd 5):  total = 2*2 + 3 - 5 = 2 -> 1 left, 1 right
        // tap (0,0) reads in(2oh, 2ow - 1):  [0, 2, 4 ; 0, 12, 14]
        // tap (2,2) reads in(2oh + 2, 2ow + 1): [12, 14, 0 ; 0, 0, 0]  (row 4 and col 5 padded)
        int[] input = {4, 5, 1};
        float[] x = new float[20];
        for (int i = 0; i < 20; i++) {
            x[i] = i + 1;
        }
        List<RefLayer> layers = List.of(conv(1, 3, 3, 2, 2, 1, 1, true, "linear", false));
        assertArrayEquals(new int[] {2, 3, 1}, ReferenceNetwork.shapes(input, layers).get(0));
        assertArrayEquals(new double[] {0, 2, 4, 0, 12, 14},
                ReferenceNetwork.forward(input, layers, indicator3x3(0, 0), x), EXACT);
        assertArrayEquals(new double[] {12, 14, 0, 0, 0, 0},
                ReferenceNetwork.forward(input, layers, indicator3x3(2, 2), x), EXACT);
        // the centre tap (1,1) reads in(2oh + 1, 2ow), always a real cell:
        //   in(1,0) = 6, in(1,2) = 8, in(1,4) = 10; in(3,0) = 16, in(3,2) = 18, in(3,4) = 20
        assertArrayEquals(new double[] {6, 8, 10, 16, 18, 20},
                ReferenceNetwork.forward(input, layers, indicator3x3(1, 1), x), EXACT);
    }

    @Test
    void sameStride2OnOddHeightAndEvenWidth() {
        // 5x4 input in(h,w) = 1 + 4h + w:
        //   [ 1  2  3  4]
        //   [ 5  6  7  8]
        //   [ 9 10 11 12]
        //   [13 14 15 16]
        //   [17 18 19 20]
        // kernel 3, stride 2, 'same': out 3x2; rows: 1 top, 1 bottom; cols: 0 left, 1 right.
        // tap (0,0) reads in(2oh - 1, 2ow):     [0, 0 ; 5, 7 ; 13, 15]
        // tap (2,2) reads in(2oh + 1, 2ow + 2): [7, 0 ; 15, 0 ; 0, 0]
        int[] input = {5, 4, 1};
        float[] x = new float[20];
        for (int i = 0; i < 20; i++) {
            x[i] = i + 1;
        }
        List<RefLayer> layers = List.of(conv(1, 3, 3, 2, 2, 1, 1, true, "linear", false));
        assertArrayEquals(new int[] {3, 2, 1}, ReferenceNetwork.shapes(input, layers).get(0));
        assertArrayEquals(new double[] {0, 0, 5, 7, 13, 15},
                ReferenceNetwork.forward(input, layers, indicator3x3(0, 0), x), EXACT);
        assertArrayEquals(new double[] {7, 0, 15, 0, 0, 0},
                ReferenceNetwork.forward(input, layers, indicator3x3(2, 2), x), EXACT);
    }

    @Test
    void sameStride2WithAllOnesKernelSumsOnlyRealCells() {
        // 4x4 [1..16], 3x3 ones, stride 2, 'same': out 2x2, 0 top/left, 1 bottom/right.
        //   (0,0): rows 0-2, cols 0-2: 1+2+3+5+6+7+9+10+11 = 54
        //   (0,1): rows 0-2, cols 2-3: 3+4+7+8+11+12 = 45
        //   (1,0): rows 2-3, cols 0-2: 9+10+11+13+14+15 = 72
        //   (1,1): rows 2-3, cols 2-3: 11+12+15+16 = 54
        int[] input = {4, 4, 1};
        float[] x = new float[16];
        for (int i = 0; i < 16; i++) {
            x[i] = i + 1;
        }
        float[] ones = {1, 1, 1, 1, 1, 1, 1, 1, 1};
        List<RefLayer> layers = List.of(conv(1, 3, 3, 2, 2, 1, 1, true, "linear", false));
        assertArrayEquals(new double[] {54, 45, 72, 54},
                ReferenceNetwork.forward(input, layers, ones, x), EXACT);
    }

    @Test
    void samePaddingArithmetic() {
        // in 4, K 3, S 2: out 2, total 1 -> before 0
        assertEquals(2, ReferenceNetwork.convOutputSize(4, 3, 2, 1, true));
        assertEquals(0, ReferenceNetwork.samePaddingBefore(4, 2, 3, 2, 1));
        // in 5, K 3, S 2: out 3, total 2 -> before 1
        assertEquals(3, ReferenceNetwork.convOutputSize(5, 3, 2, 1, true));
        assertEquals(1, ReferenceNetwork.samePaddingBefore(5, 3, 3, 2, 1));
        // in 4, K 2, S 2: out 2, total 0
        assertEquals(0, ReferenceNetwork.samePaddingBefore(4, 2, 2, 2, 1));
        // in 6, K 1, S 3: out 2, total max(3 + 1 - 6, 0) = 0
        assertEquals(2, ReferenceNetwork.convOutputSize(6, 1, 3, 1, true));
        assertEquals(0, ReferenceNetwork.samePaddingBefore(6, 2, 1, 3, 1));
        // valid: 28 K 3 -> 26; 28 K 5 -> 24; 7 K 3 S 2 -> 3; 8 K 3 S 2 -> 3; 7 K 3 D 2 -> 3
        assertEquals(26, ReferenceNetwork.convOutputSize(28, 3, 1, 1, false));
        assertEquals(24, ReferenceNetwork.convOutputSize(28, 5, 1, 1, false));
        assertEquals(3, ReferenceNetwork.convOutputSize(7, 3, 2, 1, false));
        assertEquals(3, ReferenceNetwork.convOutputSize(8, 3, 2, 1, false));
        assertEquals(3, ReferenceNetwork.convOutputSize(7, 3, 1, 2, false));
        // pools: 26 P 2 -> 13; 11 P 2 -> 5; 24 P 2 -> 12; 5 P 3 S 2 -> 2; same 5 S 2 -> 3
        assertEquals(13, ReferenceNetwork.poolOutputSize(26, 2, 2, false));
        assertEquals(5, ReferenceNetwork.poolOutputSize(11, 2, 2, false));
        assertEquals(12, ReferenceNetwork.poolOutputSize(24, 2, 2, false));
        assertEquals(2, ReferenceNetwork.poolOutputSize(5, 3, 2, false));
        assertEquals(3, ReferenceNetwork.poolOutputSize(5, 2, 2, true));
    }

    @Test
    void depthwiseConvLayoutAndChannelOrder() {
        // 2x2x2 input: channel 0 = [1 2; 3 4], channel 1 = [10 20; 30 40]
        // 2x2 kernel, DM 2, element (kh,kw,ci,m) at ((kh*2+kw)*2+ci)*2+m:
        //   (ci0,m0) ones, (ci0,m1) [1 2; 3 4], (ci1,m0) ones, (ci1,m1) [1 2; 3 4]
        // outputs (channel ci*DM+m): c0 = 1+2+3+4 = 10, c1 = 1+4+9+16 = 30,
        //                             c2 = 100, c3 = 10+40+90+160 = 300; bias [1,2,3,4]
        int[] input = {2, 2, 2};
        float[] x = {1, 10, 2, 20, 3, 30, 4, 40};
        float[] params = {
            1, 1, 1, 1, // tap (0,0): ci0m0, ci0m1, ci1m0, ci1m1
            1, 2, 1, 2, // tap (0,1)
            1, 3, 1, 3, // tap (1,0)
            1, 4, 1, 4, // tap (1,1)
            1, 2, 3, 4}; // bias
        List<RefLayer> layers = List.of(
                new RefLayer.DepthwiseConv2D(2, 2, 1, 1, 1, 1, false, 2, "linear", true));
        assertArrayEquals(new int[] {1, 1, 4}, ReferenceNetwork.shapes(input, layers).get(0));
        assertEquals(List.of(20L), ReferenceNetwork.parameterCounts(input, layers));
        assertArrayEquals(new double[] {11, 32, 103, 304},
                ReferenceNetwork.forward(input, layers, params, x), EXACT);
    }

    @Test
    void depthwiseParameterCounts() {
        // 3x3 on 8 channels, DM 2: 9*8*2 + 16 = 160; without bias 144
        int[] input = {5, 5, 8};
        assertEquals(List.of(160L), ReferenceNetwork.parameterCounts(input, List.of(
                new RefLayer.DepthwiseConv2D(3, 3, 1, 1, 1, 1, true, 2, "relu6", true))));
        assertEquals(List.of(144L), ReferenceNetwork.parameterCounts(input, List.of(
                new RefLayer.DepthwiseConv2D(3, 3, 1, 1, 1, 1, true, 2, "relu6", false))));
    }

    // ------------------------------------------------------------------------------------------
    // Dense, BatchNorm, ZeroPadding, Flatten, Dropout
    // ------------------------------------------------------------------------------------------

    @Test
    void denseByHand() {
        // x = [1,2,3]; kernel (3,2) row-major [[1,2],[3,4],[5,6]]; bias [0.5,-0.5]
        //   u0 = 1 + 6 + 15 + 0.5 = 22.5; u1 = 2 + 8 + 18 - 0.5 = 27.5
        int[] input = {3};
        List<RefLayer> layers = List.of(new RefLayer.Dense(2, "linear", true));
        assertEquals(List.of(8L), ReferenceNetwork.parameterCounts(input, layers));
        assertArrayEquals(new double[] {22.5, 27.5}, ReferenceNetwork.forward(input, layers,
                new float[] {1, 2, 3, 4, 5, 6, 0.5f, -0.5f}, new float[] {1, 2, 3}), EXACT);
    }

    @Test
    void flattenKeepsTheChannelsLastOrder() {
        // 1x2x2 input: (0,0,c0)=1, (0,0,c1)=2, (0,1,c0)=3, (0,1,c1)=4; Flatten then Dense(1)
        // with kernel [1, 10, 100, 1000], no bias: 1 + 20 + 300 + 4000 = 4321
        int[] input = {1, 2, 2};
        List<RefLayer> layers = List.of(new RefLayer.Flatten(),
                new RefLayer.Dense(1, "linear", false));
        List<int[]> shapes = ReferenceNetwork.shapes(input, layers);
        assertArrayEquals(new int[] {4}, shapes.get(0));
        List<double[]> outs = ReferenceNetwork.forwardPerLayer(input, layers,
                new float[] {1, 10, 100, 1000}, new float[] {1, 2, 3, 4});
        assertArrayEquals(new double[] {1, 2, 3, 4}, outs.get(0), EXACT);
        assertArrayEquals(new double[] {4321}, outs.get(1), EXACT);
    }

    @Test
    void flattenOfAVectorIsANoOp() {
        int[] input = {3};
        List<RefLayer> layers = List.of(new RefLayer.Flatten(), new RefLayer.Flatten());
        assertArrayEquals(new int[] {3}, ReferenceNetwork.shapes(input, layers).get(1));
        assertArrayEquals(new double[] {1, -2, 3}, ReferenceNetwork.forward(input, layers,
                new float[0], new float[] {1, -2, 3}), EXACT);
    }

    @Test
    void batchNormOnAVector() {
        // x = [1, 2]; gamma [2, 3], beta [0.5, -1], mean [0, 1], var [3.5, 0.5], eps 0.5
        //   sqrt(var + eps) = [2, 1]; y0 = 2*(1-0)/2 + 0.5 = 1.5; y1 = 3*(2-1)/1 - 1 = 2
        int[] input = {2};
        List<RefLayer> layers = List.of(new RefLayer.BatchNorm(0.5));
        assertEquals(List.of(8L), ReferenceNetwork.parameterCounts(input, layers));
        float[] params = {2, 3, 0.5f, -1, 0, 1, 3.5f, 0.5f};
        assertArrayEquals(new double[] {1.5, 2}, ReferenceNetwork.forward(input, layers, params,
                new float[] {1, 2}), EXACT);
    }

    @Test
    void batchNormOnAnImageUsesTheLastAxis() {
        // 1x2x2: pixel 0 = [1, 10], pixel 1 = [3, 20]; gamma [2, 1], beta [0, 5],
        // mean [1, 10], var [3.5, 15.5], eps 0.5 -> std [2, 4]
        //   c0: 2*(1-1)/2 + 0 = 0, 2*(3-1)/2 = 2; c1: (10-10)/4 + 5 = 5, (20-10)/4 + 5 = 7.5
        int[] input = {1, 2, 2};
        List<RefLayer> layers = List.of(new RefLayer.BatchNorm(0.5));
        float[] params = {2, 1, 0, 5, 1, 10, 3.5f, 15.5f};
        assertArrayEquals(new double[] {0, 5, 2, 7.5}, ReferenceNetwork.forward(input, layers,
                params, new float[] {1, 10, 3, 20}), EXACT);
    }

    @Test
    void zeroPadding() {
        // 1x1x1 [5], top 1, bottom 0, left 2, right 1 -> 2x4x1 with the 5 at (1, 2) = index 6
        int[] input = {1, 1, 1};
        List<RefLayer> layers = List.of(new RefLayer.ZeroPadding(1, 0, 2, 1));
        assertArrayEquals(new int[] {2, 4, 1}, ReferenceNetwork.shapes(input, layers).get(0));
        assertArrayEquals(new double[] {0, 0, 0, 0, 0, 0, 5, 0},
                ReferenceNetwork.forward(input, layers, new float[0], new float[] {5}), EXACT);
    }

    @Test
    void zeroPaddingKeepsChannels() {
        // 1x1x2 [7, 8], pad right 1 -> 1x2x2 [7, 8, 0, 0]
        int[] input = {1, 1, 2};
        List<RefLayer> layers = List.of(new RefLayer.ZeroPadding(0, 0, 0, 1));
        assertArrayEquals(new double[] {7, 8, 0, 0},
                ReferenceNetwork.forward(input, layers, new float[0], new float[] {7, 8}), EXACT);
    }

    @Test
    void dropoutIsTheIdentity() {
        int[] input = {2, 1, 1};
        List<RefLayer> layers = List.of(new RefLayer.Dropout(0.5));
        assertArrayEquals(new double[] {3, -4},
                ReferenceNetwork.forward(input, layers, new float[0], new float[] {3, -4}), EXACT);
    }

    // ------------------------------------------------------------------------------------------
    // A whole small network, and MnistNet
    // ------------------------------------------------------------------------------------------

    @Test
    void smallNetworkEndToEndByHand() {
        // input 2x2x1 [1,2,3,4]
        // conv 1x1, 2 filters, kernel [1, -1], bias [0, 0], relu -> pixel p: [p, 0]
        // maxpool 2x2 -> [4, 0]; flatten -> [4, 0]
        // dense 1, kernel [[0.5], [100]], bias [1] -> 0.5*4 + 100*0 + 1 = 3
        int[] input = {2, 2, 1};
        List<RefLayer> layers = List.of(
                conv(2, 1, 1, 1, 1, 1, 1, false, "relu", true),
                new RefLayer.MaxPool(2, 2, 2, 2, false),
                new RefLayer.Flatten(),
                new RefLayer.Dense(1, "linear", true));
        assertEquals(List.of(4L, 0L, 0L, 3L), ReferenceNetwork.parameterCounts(input, layers));
        float[] params = {1, -1, 0, 0, 0.5f, 100, 1};
        float[] x = {1, 2, 3, 4};
        List<double[]> outs = ReferenceNetwork.forwardPerLayer(input, layers, params, x);
        assertEquals(4, outs.size());
        assertArrayEquals(new double[] {1, 0, 2, 0, 3, 0, 4, 0}, outs.get(0), EXACT);
        assertArrayEquals(new double[] {4, 0}, outs.get(1), EXACT);
        assertArrayEquals(new double[] {4, 0}, outs.get(2), EXACT);
        assertArrayEquals(new double[] {3}, outs.get(3), EXACT);
        assertArrayEquals(new double[] {3}, ReferenceNetwork.forward(input, layers, params, x),
                EXACT);
    }

    private static List<RefLayer> mnistNet() {
        return List.of(
                conv(32, 3, 3, 1, 1, 1, 1, false, "relu", true),
                new RefLayer.MaxPool(2, 2, 2, 2, false),
                conv(64, 3, 3, 1, 1, 1, 1, false, "relu", true),
                new RefLayer.MaxPool(2, 2, 2, 2, false),
                new RefLayer.Flatten(),
                new RefLayer.Dense(128, "relu", true),
                new RefLayer.Dense(10, "softmax", true));
    }

    @Test
    void mnistNetShapesAndParameters() {
        int[] input = {28, 28, 1};
        List<int[]> shapes = ReferenceNetwork.shapes(input, mnistNet());
        assertEquals(7, shapes.size());
        assertArrayEquals(new int[] {26, 26, 32}, shapes.get(0));
        assertArrayEquals(new int[] {13, 13, 32}, shapes.get(1));
        assertArrayEquals(new int[] {11, 11, 64}, shapes.get(2));
        assertArrayEquals(new int[] {5, 5, 64}, shapes.get(3));
        assertArrayEquals(new int[] {1600}, shapes.get(4));
        assertArrayEquals(new int[] {128}, shapes.get(5));
        assertArrayEquals(new int[] {10}, shapes.get(6));

        List<Long> counts = ReferenceNetwork.parameterCounts(input, mnistNet());
        assertEquals(List.of(320L, 0L, 18_496L, 0L, 0L, 204_928L, 1_290L), counts);
        assertEquals(225_034L, counts.stream().mapToLong(Long::longValue).sum());
    }

    @Test
    void mnistNetRunsAndItsSoftmaxSumsToOne() {
        int[] input = {28, 28, 1};
        Random random = new Random(42);
        float[] params = new float[225_034];
        for (int i = 0; i < params.length; i++) {
            params[i] = (float) (random.nextGaussian() * 0.1);
        }
        float[] x = new float[784];
        for (int i = 0; i < x.length; i++) {
            x[i] = random.nextFloat();
        }
        double[] y = ReferenceNetwork.forward(input, mnistNet(), params, x);
        assertEquals(10, y.length);
        double sum = 0;
        for (double v : y) {
            assertTrue(v >= 0 && v <= 1, "probability " + v);
            sum += v;
        }
        assertEquals(1.0, sum, EXACT);
    }

    @Test
    void wrongLengthsAreRejected() {
        int[] input = {2};
        List<RefLayer> layers = List.of(new RefLayer.Dense(1, "linear", true));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ReferenceNetwork.forward(input, layers, new float[2], new float[2]));
        assertTrue(e.getMessage().contains("expected 3"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> ReferenceNetwork.forward(input, layers, new float[3], new float[3]));
    }

    @Test
    void invalidStacksAreRejected() {
        float[] none = new float[0];
        // conv / pools / padding / global pools need an image
        assertInvalid(new int[] {10}, conv(1, 3, 3, 1, 1, 1, 1, false, "linear", true));
        assertInvalid(new int[] {10}, new RefLayer.MaxPool(2, 2, 2, 2, false));
        assertInvalid(new int[] {10}, new RefLayer.ZeroPadding(1, 1, 1, 1));
        assertInvalid(new int[] {10}, new RefLayer.GlobalAvgPool());
        // Dense needs a vector (a Flatten or global pool first)
        assertInvalid(new int[] {2, 2, 1}, new RefLayer.Dense(3, "linear", true));
        // valid windows larger than the input
        assertInvalid(new int[] {4, 4, 1}, conv(1, 5, 5, 1, 1, 1, 1, false, "linear", true));
        assertInvalid(new int[] {4, 4, 1}, conv(1, 3, 3, 1, 1, 2, 2, false, "linear", true));
        assertInvalid(new int[] {2, 2, 1}, new RefLayer.MaxPool(3, 3, 1, 1, false));
        // zero or negative sizes
        assertInvalid(new int[] {4, 4, 1}, conv(0, 3, 3, 1, 1, 1, 1, false, "linear", true));
        assertInvalid(new int[] {4, 4, 1}, conv(1, 3, 3, 0, 1, 1, 1, false, "linear", true));
        assertInvalid(new int[] {4, 4, 1}, new RefLayer.ZeroPadding(-1, 0, 0, 0));
        assertInvalid(new int[] {4}, new RefLayer.Dense(0, "linear", true));
        // Keras: strides > 1 together with dilation > 1 is an error
        assertInvalid(new int[] {9, 9, 1}, conv(1, 3, 3, 2, 2, 2, 2, true, "linear", true));
        // unknown activation, dropout rate out of range
        assertInvalid(new int[] {4}, new RefLayer.Dense(2, "nope", true));
        assertInvalid(new int[] {4}, new RefLayer.Dropout(1.5));
        // bad input shapes
        assertThrows(IllegalArgumentException.class,
                () -> ReferenceNetwork.shapes(new int[] {2, 2}, List.of()));
        assertThrows(IllegalArgumentException.class,
                () -> ReferenceNetwork.shapes(new int[] {2, 0, 1}, List.of()));
        assertThrows(IllegalArgumentException.class,
                () -> ReferenceNetwork.forward(new int[] {2, 2}, List.of(), none, new float[4]));
    }

    private static void assertInvalid(int[] input, RefLayer layer) {
        assertThrows(IllegalArgumentException.class,
                () -> ReferenceNetwork.shapes(input, List.of(layer)), layer::toString);
    }

    // ------------------------------------------------------------------------------------------
    // Activations
    // ------------------------------------------------------------------------------------------

    @Test
    void softmaxSumsToOneAndIsStable() {
        double[] s = ReferenceNetwork.softmax(new double[] {1, 2, 3, -4, 0.5});
        double sum = 0;
        for (double v : s) {
            sum += v;
        }
        assertEquals(1.0, sum, EXACT);
        // softmax(a, a + ln 3) = [1/4, 3/4] even for a = 1000 (exp(1000) overflows)
        assertArrayEquals(new double[] {0.25, 0.75},
                ReferenceNetwork.softmax(new double[] {1000, 1000 + Math.log(3)}), EXACT);
        assertArrayEquals(new double[] {0.5, 0.5},
                ReferenceNetwork.softmax(new double[] {-1000, -1000}), EXACT);
    }

    @Test
    void softmaxOfADenseIsOverTheWholeVector() {
        // Dense(3) with identity kernel and no bias on [0, ln 2, ln 5]: exps 1, 2, 5 -> /8
        int[] input = {3};
        List<RefLayer> layers = List.of(new RefLayer.Dense(3, "softmax", false));
        float[] identity = {1, 0, 0, 0, 1, 0, 0, 0, 1};
        float[] x = {0, (float) Math.log(2), (float) Math.log(5)};
        double[] y = ReferenceNetwork.forward(input, layers, identity, x);
        // x is rounded to float, so compare with a float-level tolerance
        assertArrayEquals(new double[] {1 / 8.0, 2 / 8.0, 5 / 8.0}, y, 1e-7);
        assertEquals(1.0, y[0] + y[1] + y[2], EXACT);
    }

    @Test
    void softmaxOfAnImageIsPerPixelOverChannels() {
        // 1x2x2: pixel 0 = [0, 0] -> [1/2, 1/2]; pixel 1 = [1, 2] -> [1/(1+e), e/(1+e)]
        int[] input = {1, 2, 2};
        List<RefLayer> layers = List.of(new RefLayer.ActivationLayer("softmax"));
        double[] y = ReferenceNetwork.forward(input, layers, new float[0],
                new float[] {0, 0, 1, 2});
        double e = Math.E;
        assertArrayEquals(new double[] {0.5, 0.5, 1 / (1 + e), e / (1 + e)}, y, EXACT);
    }

    @Test
    void erfAtKnownValues() {
        assertEquals(0.0, ReferenceNetwork.erf(0.0), 0.0);
        assertEquals(0.1124629160182849, ReferenceNetwork.erf(0.1), EXACT);
        assertEquals(0.5204998778130465, ReferenceNetwork.erf(0.5), EXACT);
        assertEquals(0.8427007929497149, ReferenceNetwork.erf(1.0), EXACT);
        assertEquals(-0.8427007929497149, ReferenceNetwork.erf(-1.0), EXACT);
        assertEquals(0.9953222650189527, ReferenceNetwork.erf(2.0), EXACT);
        assertEquals(0.9999779095030014, ReferenceNetwork.erf(3.0), EXACT);
        assertEquals(1.0, ReferenceNetwork.erf(10.0), EXACT);
        // erfc keeps relative accuracy in the tail
        assertEquals(2.209049699858544e-05, ReferenceNetwork.erfc(3.0), 2.209049699858544e-05 * 1e-12);
        assertEquals(1.5374597944280349e-12, ReferenceNetwork.erfc(5.0), 1.5374597944280349e-12 * 1e-12);
        assertEquals(2.0, ReferenceNetwork.erfc(-10.0), EXACT);
    }

    @Test
    void geluIsExact() {
        // gelu(x) = x * Phi(x); Phi(1) = 0.8413447460685429, Phi(-1) = 0.15865525393145707
        assertEquals(0.0, ReferenceNetwork.activate("gelu", 0.0), 0.0);
        assertEquals(0.8413447460685429, ReferenceNetwork.activate("gelu", 1.0), EXACT);
        assertEquals(-0.15865525393145707, ReferenceNetwork.activate("gelu", -1.0), EXACT);
        // 2 * Phi(2) = 2 * 0.9772498680518208
        assertEquals(1.9544997361036416, ReferenceNetwork.activate("gelu", 2.0), EXACT);
        // not the tanh approximation: at x = 1 that gives 0.8411919906082768
        assertTrue(Math.abs(ReferenceNetwork.activate("gelu", 1.0) - 0.8411919906082768) > 1e-4);
        assertEquals(10.0, ReferenceNetwork.activate("gelu", 10.0), EXACT);
        assertEquals(0.0, ReferenceNetwork.activate("gelu", -10.0), EXACT);
    }

    @Test
    void seluAndElu() {
        double alpha = 1.67326324235437728481;
        double scale = 1.05070098735548049342;
        assertEquals(1.0507009873554805, ReferenceNetwork.activate("selu", 1.0), EXACT);
        assertEquals(scale * 2.5, ReferenceNetwork.activate("selu", 2.5), EXACT);
        // selu(-1) = scale * alpha * (1/e - 1) = -1.1113307378125625
        assertEquals(scale * alpha * (Math.exp(-1) - 1), ReferenceNetwork.activate("selu", -1.0),
                EXACT);
        assertEquals(-1.1113307378125625, ReferenceNetwork.activate("selu", -1.0), EXACT);
        assertEquals(0.0, ReferenceNetwork.activate("selu", 0.0), 0.0);
        // elu(-1) = 1/e - 1, elu(2) = 2
        assertEquals(-0.6321205588285577, ReferenceNetwork.activate("elu", -1.0), EXACT);
        assertEquals(2.0, ReferenceNetwork.activate("elu", 2.0), EXACT);
        assertEquals(-1.0, ReferenceNetwork.activate("elu", -100.0), EXACT);
    }

    @Test
    void softplus() {
        assertEquals(Math.log(2), ReferenceNetwork.activate("softplus", 0.0), EXACT);
        assertEquals(1.3132616875182228, ReferenceNetwork.activate("softplus", 1.0), EXACT);
        assertEquals(0.31326168751822286, ReferenceNetwork.activate("softplus", -1.0), EXACT);
        assertEquals(100.0, ReferenceNetwork.activate("softplus", 100.0), EXACT);
        assertEquals(1000.0, ReferenceNetwork.activate("softplus", 1000.0), EXACT); // no overflow
        // log(1 + e^-100) = e^-100 to double precision
        assertEquals(Math.exp(-100), ReferenceNetwork.activate("softplus", -100.0),
                Math.exp(-100) * 1e-12);
    }

    @Test
    void otherActivations() {
        assertEquals(-3.0, ReferenceNetwork.activate("linear", -3.0), 0.0);
        assertEquals(-3.0, ReferenceNetwork.activate(null, -3.0), 0.0);
        assertEquals(0.0, ReferenceNetwork.activate("relu", -3.0), 0.0);
        assertEquals(2.5, ReferenceNetwork.activate("relu", 2.5), 0.0);
        assertEquals(0.5, ReferenceNetwork.activate("sigmoid", 0.0), EXACT);
        assertEquals(0.7310585786300049, ReferenceNetwork.activate("sigmoid", 1.0), EXACT);
        assertEquals(Math.tanh(0.3), ReferenceNetwork.activate("tanh", 0.3), EXACT);
        assertEquals(6.0, ReferenceNetwork.activate("relu6", 7.0), 0.0);
        assertEquals(0.0, ReferenceNetwork.activate("relu6", -1.0), 0.0);
        assertEquals(3.0, ReferenceNetwork.activate("relu6", 3.0), 0.0);
        assertEquals(-0.2, ReferenceNetwork.activate("leaky_relu", -1.0), EXACT);
        assertEquals(4.0, ReferenceNetwork.activate("leaky_relu", 4.0), EXACT);
        // Keras 3 hard_sigmoid: relu6(x + 3) / 6
        assertEquals(0.5, ReferenceNetwork.activate("hard_sigmoid", 0.0), EXACT);
        assertEquals(0.75, ReferenceNetwork.activate("hard_sigmoid", 1.5), EXACT);
        assertEquals(0.0, ReferenceNetwork.activate("hard_sigmoid", -3.0), EXACT);
        assertEquals(1.0, ReferenceNetwork.activate("hard_sigmoid", 3.5), EXACT);
        // swish(1) = 1 * sigmoid(1)
        assertEquals(0.7310585786300049, ReferenceNetwork.activate("swish", 1.0), EXACT);
        assertEquals(-2 * 0.11920292202211755, ReferenceNetwork.activate("swish", -2.0), EXACT);
        assertEquals(ReferenceNetwork.activate("swish", 0.7),
                ReferenceNetwork.activate("silu", 0.7), 0.0);
        assertThrows(IllegalArgumentException.class,
                () -> ReferenceNetwork.activate("mystery", 0.0));
    }

    @Test
    void activationIsAppliedAfterTheBias() {
        // Dense(1) kernel [[1]], bias -2, relu on x = 1: relu(1 - 2) = 0 (relu(1) - 2 would be -1)
        int[] input = {1};
        List<RefLayer> layers = List.of(new RefLayer.Dense(1, "relu", true));
        assertArrayEquals(new double[] {0}, ReferenceNetwork.forward(input, layers,
                new float[] {1, -2}, new float[] {1}), 0.0);
    }

    private static RefLayer.Conv2D conv(int filters, int kh, int kw, int sh, int sw, int dh,
                                        int dw, boolean same, String activation, boolean bias) {
        return new RefLayer.Conv2D(filters, kh, kw, sh, sw, dh, dw, same, activation, bias);
    }
}
