package dev.netforge.runtime;

/**
 * Every string of the classes a {@code forward} call runs ({@link Kernels} and its implementations),
 * reached through methods, never as constants (which javac would copy into the caller's class).
 *
 * <p>Why: HotSpot resolves all the string constants of a class, allocating each {@code String}, the
 * first time C2 is asked to compile one of its methods, in the thread that asks. For the kernel
 * classes that thread is a caller of {@code forward}: 120 bytes in one of its first calls, which
 * must allocate nothing. Here, the kernel classes hold no string (the generated classes keep theirs
 * in a nested {@code Text} for the same reason), and this class is loaded where text is needed: at
 * the kernels' choice, their names, and their errors.
 */
final class KernelsText {
    /** Kernel arrays {@link #wrongLength} names. */
    static final int CONV2D_KERNEL = 0;
    static final int DENSE_KERNEL = 1;

    private KernelsText() {
    }

    /** The system property that forces an implementation ({@link Kernels#PROPERTY}). */
    static String property() {
        return "netforge.kernels";
    }

    /** The warm-up thread's name ({@link TieredKernels}). */
    static String threadName() {
        return "netforge-kernels-warm-up";
    }

    /** What a name adds while calls take the plain-Java kernels. */
    static String warmingUp() {
        return ", plain Java while it warms up";
    }

    /** {@code vector (N-bit)}, plus {@link #warmingUp()} if {@code warming}. */
    static String vectorName(int bits, boolean warming) {
        return "vector (" + bits + "-bit)" + (warming ? warmingUp() : "");
    }

    static String scalarName() {
        return "scalar";
    }

    static String packedScalarName(int lanes) {
        return "scalar (packed for " + lanes + " lanes)";
    }

    /** The kernel array {@code what} ({@link #CONV2D_KERNEL}, {@link #DENSE_KERNEL}) has the wrong length. */
    static IllegalArgumentException wrongLength(int what, int actual, long expected) {
        return new IllegalArgumentException((what == CONV2D_KERNEL ? "conv2d kernel" : "dense kernel") + " has "
                + actual + " values, expected " + expected);
    }

    /** Logs, once, that the Vector API kernels failed to load and the plain-Java ones stay. */
    static void vectorKernelsFailed(Throwable e) {
        System.getLogger(Kernels.class.getName()).log(System.Logger.Level.WARNING,
                "NetForge keeps its plain-Java kernels: the Vector API ones failed to load", e);
    }
}
