package dev.netforge.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** A wrong parameter vector names the layer, the tensor and the index. */
class ParameterCheckTest {
    /** conv (2x2x1x3 + 3), bn (4 x 3): 27 values, split into two chunks as generated code may. */
    private static final String[] TABLE = {"conv/kernel/2x2x1x3;conv/bias/3;bn/gamma/3;",
        "bn/beta/3;bn/moving_mean/3;bn/moving_variance/3;"};

    private static float[] ones(int n) {
        float[] p = new float[n];
        Arrays.fill(p, 1f);
        return p;
    }

    private static String failure(float[] parameters) {
        return assertThrows(IllegalArgumentException.class, () -> ParameterCheck.check("Net", TABLE, parameters))
                .getMessage();
    }

    @Test
    void aValidVectorPasses() {
        ParameterCheck.check("Net", TABLE, ones(27));
    }

    @Test
    void aShortVectorNamesTheFirstTensorItCutsShort() {
        assertEquals("Net expects 27 parameters, got 16: the vector ends inside bn's gamma (3,), which takes values"
                + " 15 to 17: pass Keras's model.get_weights() flattened and joined, layer by layer, kernel then bias",
                failure(ones(16)));
    }

    @Test
    void aLongVectorSaysByHowMuch() {
        assertEquals("Net expects 27 parameters, got 30: 3 more than the last tensor, bn's moving_variance (3,): pass"
                + " Keras's model.get_weights() flattened and joined, layer by layer, kernel then bias", failure(ones(30)));
    }

    @Test
    void nanAndInfinityNameTheTensorAndIndex() {
        float[] p = ones(27);
        p[7] = Float.NaN; // kernel element (1, 1, 0, 1)
        assertEquals("Net: parameter 7 is NaN: conv's kernel (2, 2, 1, 3) at [1, 0, 0, 1]", failure(p));
        p[7] = 1;
        p[16] = Float.NEGATIVE_INFINITY;
        assertEquals("Net: parameter 16 is -Infinity: bn's gamma (3,) at [1]", failure(p));
    }

    @Test
    void aNegativeVarianceIsRefused() {
        float[] p = ones(27);
        p[26] = -0.5f;
        assertEquals("Net: bn's moving_variance (3,) is -0.5 at [2] (parameter 26): a variance cannot be negative",
                failure(p));
    }
}
