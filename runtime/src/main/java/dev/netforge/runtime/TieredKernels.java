package dev.netforge.runtime;

import java.util.ArrayList;
import java.util.List;

/**
 * The Vector API kernels, served by {@link PackedScalarKernels} until they are compiled: the default
 * when the JVM has {@code jdk.incubator.vector}.
 *
 * <p>Why: only C2 compiles Vector API code well; before it does (thousands of calls), every vector
 * is a boxed object and a MnistNet call takes ~30 ms instead of ~0.1 ms. A program that runs a few
 * inferences and exits would pay that, and a server its first seconds. So calls go to plain-Java code
 * on the same packed weights (a few ms per MnistNet call, even interpreted) while one daemon thread,
 * {@value #THREAD_NAME}, runs the vector kernels on private copies of the shapes the calls used, until
 * each beats the plain-Java code on its shape three rounds in a row; then every call takes the vector
 * kernels. The thread gives up after {@link #PATIENCE_NANOS} (the plain-Java code then stays), and
 * never touches caller data. {@code -Dnetforge.kernels=vector} skips all this.
 *
 * <p>Results of the two implementations differ only by float rounding (both are tested against the
 * same references), but a caller comparing outputs bit for bit across the switch would see it.
 */
final class TieredKernels extends Kernels {
    static final String THREAD_NAME = "netforge-kernels-warm-up";
    /** What {@link #name()} adds while calls take the plain-Java kernels. */
    static final String WARMING_UP = ", plain Java while it warms up";
    /** Give up warming the vector kernels after this long. */
    static final long PATIENCE_NANOS = 60_000_000_000L;
    /** Shapes remembered at most (distinct kernel calls of all models in the JVM). */
    private static final int MAX_SHAPES = 256;
    /** How long the warm-up thread waits before it starts. */
    private static final long START_DELAY_MILLIS = 250;
    /** Rounds in a row the vector kernels must win on every shape. */
    private static final int WINS_NEEDED = 3;

    private final int lanes;
    private final Kernels cold;
    /** The Vector API kernels, created by the warm-up thread (so the caller never waits for the Vector API to load). */
    private Kernels vector;
    /** Set once, by the warm-up thread; the only state calls read. */
    private volatile boolean vectorReady;
    /** The shapes calls used (guarded by {@code this}); hashes first, for a check that allocates nothing. */
    private final long[] shapeHashes = new long[MAX_SHAPES];
    private final List<Shape> shapes = new ArrayList<>();
    private Thread warmUp;

    /** Kernels for vectors of {@code lanes} floats, the Vector API's preferred size. */
    TieredKernels(int lanes) {
        this.lanes = lanes;
        this.cold = new PackedScalarKernels(lanes);
    }

    /** The vector kernels' name, with {@value #WARMING_UP} until calls take them. */
    @Override
    public String name() {
        String name = "vector (" + lanes * Float.SIZE + "-bit)";
        return vectorReady ? name : name + WARMING_UP;
    }

    @Override
    int packingLanes() {
        return lanes;
    }

    /** Whether calls now take the vector kernels. */
    boolean vectorReady() {
        return vectorReady;
    }

    @Override
    public float[] prepareConv2d(float[] kernel, int kh, int kw, int c, int f) {
        return cold.prepareConv2d(kernel, kh, kw, c, f); // the layout of the vector kernels, too
    }

    @Override
    public float[] prepareDense(float[] kernel, int n, int units) {
        return cold.prepareDense(kernel, n, units);
    }

    @Override
    public void conv2d(float[] in, int h, int w, int c, float[] kernel, int kh, int kw, int f, float[] bias,
            int sh, int sw, float[] out, int oh, int ow, float[] residual, boolean relu, float[] scratch) {
        if (vectorReady) {
            vector.conv2d(in, h, w, c, kernel, kh, kw, f, bias, sh, sw, out, oh, ow, residual, relu, scratch);
            return;
        }
        remember(residual == null ? Shape.CONV : Shape.CONV_ADD, h, w, c, kh, kw, f, sh, sw, 0, 0, 0, 0, oh, ow, relu,
                bias != null);
        cold.conv2d(in, h, w, c, kernel, kh, kw, f, bias, sh, sw, out, oh, ow, residual, relu, scratch);
    }

    @Override
    public void conv2dMaxPool(float[] in, int h, int w, int c, float[] kernel, int kh, int kw, int f,
            float[] bias, int sh, int sw, int ph, int pw, int psh, int psw, float[] out, int poh, int pow,
            boolean relu, float[] scratch) {
        if (vectorReady) {
            vector.conv2dMaxPool(in, h, w, c, kernel, kh, kw, f, bias, sh, sw, ph, pw, psh, psw, out, poh, pow,
                    relu, scratch);
            return;
        }
        remember(Shape.CONV_POOL, h, w, c, kh, kw, f, sh, sw, ph, pw, psh, psw, poh, pow, relu, bias != null);
        cold.conv2dMaxPool(in, h, w, c, kernel, kh, kw, f, bias, sh, sw, ph, pw, psh, psw, out, poh, pow, relu,
                scratch);
    }

    @Override
    public void dense(float[] in, int n, float[] kernel, int units, float[] bias, float[] out, boolean relu) {
        if (vectorReady) {
            vector.dense(in, n, kernel, units, bias, out, relu);
            return;
        }
        remember(Shape.DENSE, 0, 0, n, 0, 0, units, 0, 0, 0, 0, 0, 0, 0, 0, relu, bias != null);
        cold.dense(in, n, kernel, units, bias, out, relu);
    }

    @Override
    public void denseBatch(float[] in, int n, int count, float[] kernel, int units, float[] bias, float[] out,
            boolean relu) {
        if (vectorReady) {
            vector.denseBatch(in, n, count, kernel, units, bias, out, relu);
            return;
        }
        remember(Shape.DENSE_BATCH, count, 0, n, 0, 0, units, 0, 0, 0, 0, 0, 0, 0, 0, relu, bias != null);
        cold.denseBatch(in, n, count, kernel, units, bias, out, relu);
    }

    /** Records a call's shape for the warm-up thread (allocating only the first time it is seen). */
    private synchronized void remember(int op, int h, int w, int c, int kh, int kw, int f, int sh, int sw, int ph,
            int pw, int psh, int psw, int oh, int ow, boolean relu, boolean bias) {
        long hash = mix(mix(mix(mix(op, h), w), c), kh);
        hash = mix(mix(mix(mix(mix(hash, kw), f), sh), sw), ph);
        hash = mix(mix(mix(mix(mix(hash, pw), psh), psw), oh), ow);
        hash = hash * 4 + (relu ? 2 : 0) + (bias ? 1 : 0);
        int known = shapes.size();
        for (int i = 0; i < known; i++) {
            if (shapeHashes[i] == hash) {
                return;
            }
        }
        if (known == MAX_SHAPES) {
            return;
        }
        shapeHashes[known] = hash;
        shapes.add(new Shape(op, h, w, c, kh, kw, f, sh, sw, ph, pw, psh, psw, oh, ow, relu, bias));
        if (warmUp == null) {
            // an anonymous class, not a method reference: the first lambda of a JVM costs ~15 ms of start-up
            warmUp = new Thread(new Runnable() {
                @Override
                public void run() {
                    warmUp();
                }
            }, THREAD_NAME);
            warmUp.setDaemon(true);
            warmUp.setPriority(Thread.MIN_PRIORITY);
            warmUp.start();
        }
    }

    private static long mix(long hash, int value) {
        return hash * 0x9E3779B97F4A7C15L + value;
    }

    private synchronized List<Shape> shapesSoFar() {
        return List.copyOf(shapes);
    }

    /**
     * The warm-up thread: rounds over every remembered shape, timing the vector kernels against the
     * plain-Java ones on a scaled-down copy of it, until the vector kernels win everywhere
     * {@value #WINS_NEEDED} rounds in a row.
     */
    private void warmUp() {
        try {
            // a program that runs one inference and exits has its result by then, undisturbed by this
            // thread and by the C2 compilations it sets off
            Thread.sleep(START_DELAY_MILLIS);
        } catch (InterruptedException e) {
            return;
        }
        Kernels vector;
        try {
            vector = KernelsLookup.loadPanama();
        } catch (RuntimeException | LinkageError e) {
            System.getLogger(Kernels.class.getName()).log(System.Logger.Level.WARNING,
                    "NetForge keeps its plain-Java kernels: the Vector API ones failed to load", e);
            return;
        }
        if (vector.packingLanes() != lanes) {
            return; // cannot happen: both ask the Vector API for its preferred shape
        }
        this.vector = vector; // published by the volatile write of vectorReady
        long start = System.nanoTime();
        List<Rehearsal> rehearsals = new ArrayList<>();
        int wins = 0;
        for (int round = 0; System.nanoTime() - start < PATIENCE_NANOS; round++) {
            List<Shape> known = shapesSoFar();
            for (int i = rehearsals.size(); i < known.size(); i++) {
                rehearsals.add(new Rehearsal(known.get(i), vector, cold));
                wins = 0;
            }
            // while the vector code is far from compiled, time it alone: the plain-Java code gets timed
            // again (it gets compiled too) only every 16th round and when the vector code looks fast
            boolean allWon = true;
            for (Rehearsal rehearsal : rehearsals) {
                allWon &= rehearsal.vectorWins(round % 16 == 0 || wins > 0);
            }
            wins = allWon ? wins + 1 : 0;
            if (wins == WINS_NEEDED) {
                vectorReady = true;
                return;
            }
        }
    }

    /** A kernel call's shape; the fields are the {@link Kernels} parameters of the same names. */
    record Shape(int op, int h, int w, int c, int kh, int kw, int f, int sh, int sw, int ph, int pw, int psh,
            int psw, int oh, int ow, boolean relu, boolean bias) {
        static final int CONV = 1;
        static final int CONV_POOL = 2;
        static final int DENSE = 3;
        /** A convolution with a residual added ({@code residual} not null). */
        static final int CONV_ADD = 4;
        /** {@link Kernels#denseBatch}: {@code h} is the row count, {@code c} the inputs, {@code f} the units. */
        static final int DENSE_BATCH = 5;

        /**
         * The same call on fewer output pixels and inputs (at most 8 x 8 outputs, 1,024 dense inputs and
         * 1,024 + a remainder of units): the kernels take the same code paths (they depend on the
         * kernel and channel sizes, not on the image size), on data small enough to copy.
         */
        Shape scaledDown() {
            if (op == DENSE || op == DENSE_BATCH) {
                int block = 8 * 16; // a whole number of dense blocks for any vector size up to 512 bits
                int rows = h < 4 ? h : 4 + h % 4; // the same groups of four rows and the same remainder
                return new Shape(op, op == DENSE ? 0 : rows, 0, Math.min(c, 1024), 0, 0,
                        f <= 1024 ? f : 1024 + f % block, 0, 0, 0, 0, 0, 0, 0, 0, relu, bias);
            }
            int outH = Math.min(oh, 8);
            int outW = Math.min(ow, 8);
            boolean pooled = op == CONV_POOL;
            int convH = pooled ? (outH - 1) * psh + ph : outH;
            int convW = pooled ? (outW - 1) * psw + pw : outW;
            return new Shape(op, (convH - 1) * sh + kh, (convW - 1) * sw + kw, c, kh, kw, f, sh, sw, ph, pw, psh, psw,
                    outH, outW, relu, bias);
        }
    }

    /** A scaled-down shape with its own data, run on both implementations. */
    private static final class Rehearsal {
        private final Shape shape;
        private final Kernels vector;
        private final Kernels cold;
        private final float[] in;
        private final float[] kernel;
        private final float[] bias;
        private final float[] out;
        private final float[] residual;
        private final float[] scratch;
        /**
         * A Dense call on fewer units than one vector holds runs plain scalar loops in the vector
         * implementation too (no vector is made): it cannot beat the plain-Java kernels' blocked
         * loops, and has nothing to wait for, so it counts as won (else one such layer, a 10-class
         * output say, could keep the vector kernels from ever serving).
         */
        private final boolean noVectorWork;

        Rehearsal(Shape original, Kernels vector, Kernels cold) {
            this.shape = original.scaledDown();
            this.vector = vector;
            this.cold = cold;
            Shape s = shape;
            boolean dense = s.op() == Shape.DENSE || s.op() == Shape.DENSE_BATCH;
            int rows = s.op() == Shape.DENSE_BATCH ? s.h() : 1;
            in = filled(dense ? rows * s.c() : s.h() * s.w() * s.c());
            float[] weights = filled(dense ? s.c() * s.f() : s.kh() * s.kw() * s.c() * s.f());
            kernel = dense ? vector.prepareDense(weights, s.c(), s.f())
                    : vector.prepareConv2d(weights, s.kh(), s.kw(), s.c(), s.f());
            bias = s.bias() ? filled(s.f()) : null;
            out = new float[dense ? rows * s.f() : s.oh() * s.ow() * s.f()];
            residual = s.op() == Shape.CONV_ADD ? filled(out.length) : null;
            scratch = dense ? null : new float[convScratch(s.kh(), s.kw(), s.c(), s.f())];
            noVectorWork = dense && s.f() < vector.packingLanes();
        }

        private static float[] filled(int n) {
            float[] values = new float[n];
            for (int i = 0; i < n; i++) {
                values[i] = ((i * 7919) % 201 - 100) / 1000f;
            }
            return values;
        }

        /** The last time of a plain-Java call, in nanoseconds. */
        private long coldNanos = -1;

        /**
         * Times a vector call, and a plain-Java one if {@code timeCold} (or never timed); true if the
         * vector call was faster than the last plain-Java one.
         */
        boolean vectorWins(boolean timeCold) {
            if (noVectorWork) {
                run(vector);
                return true;
            }
            if (timeCold || coldNanos < 0) {
                long t0 = System.nanoTime();
                run(cold);
                coldNanos = System.nanoTime() - t0;
            }
            long t0 = System.nanoTime();
            run(vector);
            return System.nanoTime() - t0 < coldNanos;
        }

        private void run(Kernels kernels) {
            Shape s = shape;
            switch (s.op()) {
                case Shape.CONV, Shape.CONV_ADD -> kernels.conv2d(in, s.h(), s.w(), s.c(), kernel, s.kh(), s.kw(),
                        s.f(), bias, s.sh(), s.sw(), out, s.oh(), s.ow(), residual, s.relu(), scratch);
                case Shape.CONV_POOL -> kernels.conv2dMaxPool(in, s.h(), s.w(), s.c(), kernel, s.kh(), s.kw(), s.f(),
                        bias, s.sh(), s.sw(), s.ph(), s.pw(), s.psh(), s.psw(), out, s.oh(), s.ow(), s.relu(), scratch);
                case Shape.DENSE_BATCH -> kernels.denseBatch(in, s.c(), s.h(), kernel, s.f(), bias, out, s.relu());
                default -> kernels.dense(in, s.c(), kernel, s.f(), bias, out, s.relu());
            }
        }
    }
}
