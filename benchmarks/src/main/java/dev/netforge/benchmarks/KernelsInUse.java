package dev.netforge.benchmarks;

import dev.netforge.runtime.Kernels;

/**
 * Guards a benchmark row against timing the wrong {@link Kernels}: the choice is made once per JVM
 * from the fork's flags, and a row run without its {@code @Fork} flags (for instance after
 * {@code -jvmArgsAppend} on the command line replaced them) would otherwise time the other path.
 */
final class KernelsInUse {
    private KernelsInUse() {
    }

    /** Throws unless this JVM's kernels' name starts with {@code expected} ("vector" or "scalar"). */
    static void require(String expected) {
        String name = Kernels.get().name();
        if (!name.startsWith(expected)) {
            throw new IllegalStateException("expected the " + expected + " kernels, the JVM chose " + name
                    + ": run this benchmark with its @Fork flags (add flags with -jvmArgsPrepend)");
        }
    }

    /**
     * Calls {@code call} until the kernels have left their warm-up (with the Vector API module and no
     * forced choice, calls take plain-Java code until a background thread has the vector code
     * compiled, a few seconds), so that timing starts on the kernels a warmed-up program runs. Returns
     * at once for kernels that do not warm up.
     */
    static void awaitWarm(Runnable call) {
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (Kernels.get().name().contains("warms up")) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the kernels are still warming up after 2 minutes: " + Kernels.get().name());
            }
            call.run();
        }
    }
}
