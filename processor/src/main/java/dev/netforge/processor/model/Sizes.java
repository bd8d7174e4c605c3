package dev.netforge.processor.model;

/**
 * Products of sizes that cannot wrap: anything that does not fit a {@code long} is
 * {@link Long#MAX_VALUE}, which every "fits a Java array" check rejects. Sizes are non-negative.
 */
public final class Sizes {
    private Sizes() {
    }

    public static long product(long... factors) {
        long result = 1;
        for (long factor : factors) {
            if (factor == 0) {
                return 0;
            }
            if (Math.multiplyHigh(result, factor) != 0 || result * factor < 0) {
                result = Long.MAX_VALUE;
            } else {
                result *= factor;
            }
        }
        return result;
    }

    /** {@code a + b}, saturating like {@link #product}. */
    public static long sum(long a, long b) {
        long sum = a + b;
        return sum < 0 ? Long.MAX_VALUE : sum;
    }
}
