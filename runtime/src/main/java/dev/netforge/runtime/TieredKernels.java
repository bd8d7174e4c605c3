package dev.netforge.runtime;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The Vector API kernels, served by {@link PackedScalarKernels} until they are compiled: the default
 * when the JVM has {@code jdk.incubator.vector}.
 *
 * <p>Why: only C2 compiles Vector API code well; before it does (thousands of calls), every vector
 * is a boxed object and a MnistNet call takes ~30 ms instead of ~0.1 ms. A program that runs a few
 * inferences and exits would pay that, and a server its first seconds. So calls go to plain-Java code
 * on the same packed weights (a few ms per MnistNet call, even interpreted) while one daemon thread,
 * {@code netforge-kernels-warm-up}, runs the vector kernels on private copies of the shapes the calls used, until
 * each beats the plain-Java code on its shape three rounds in a row; then every call takes the vector
 * kernels. The thread gives up after {@link #PATIENCE_NANOS} (the plain-Java code then stays), and
 * never writes caller data. {@code -Dnetforge.kernels=vector} skips all this.
 *
 * <p>No call allocates, from the first one on: a call records its shape in tables allocated with this
 * object (the thread, too, is started here, and waits for the first shape), and the switch waits until
 * the vector code is compiled on the callers' own shapes. Beating the plain-Java code does not prove
 * that: it happened with most of the time in compiled micro-kernels while a method around them still
 * ran in C1 (boxing a few KB per call for seconds, or for good when a branch the scaled-down shapes
 * never took sent C2's code back to the interpreter). So once the vector kernels win on scaled-down
 * copies, the thread runs them on the exact shapes, with the callers' weights (read only) and its own
 * inputs and outputs, until {@value #CLEAN_ROUNDS} rounds in a row allocate nothing on this thread
 * (measured by {@code com.sun.management.ThreadMXBean}; boxing is the sign of code C2 has not
 * compiled), or for at most {@link #CLEAN_PATIENCE_NANOS} (what still allocates then is compiled code's
 * own, which waiting would not remove). A model whose shapes first appear after the
 * switch runs the vector kernels at once.
 *
 * <p>Results of the two implementations differ only by float rounding (both are tested against the
 * same references), but a caller comparing outputs bit for bit across the switch would see it.
 */
final class TieredKernels extends Kernels {
    /** Give up warming the vector kernels after this long. */
    static final long PATIENCE_NANOS = 60_000_000_000L;
    /** Shapes remembered at most (distinct kernel calls of all models in the JVM). */
    private static final int MAX_SHAPES = 256;
    /** How long the warm-up thread waits before it starts. */
    private static final long START_DELAY_MILLIS = 250;
    /** Rounds in a row the vector kernels must win on every shape. */
    private static final int WINS_NEEDED = 3;
    /** Rounds in a row the vector kernels must run on the exact shapes allocating nothing. */
    static final int CLEAN_ROUNDS = 3;
    /**
     * How long the exact-shape rounds may keep allocating before the switch happens anyway: C2 has
     * compiled what it will by then (a second or two here), and what still allocates is compiled
     * code's own, which waiting would not remove (seen before the kernels' exact casts: a type
     * profile left empty boxed 4,608 bytes a row in the compiled dense kernel; RELIABILITY.md). Not a
     * count of rounds: code C2 has not compiled yet allocates the same bytes round after round, too.
     */
    static final long CLEAN_PATIENCE_NANOS = 20_000_000_000L;
    /** The int fields of a {@link Shape}, in the order of its components. */
    private static final int SHAPE_INTS = 15;

    private final int lanes;
    private final Kernels cold;
    /** The Vector API kernels, created by the warm-up thread (so the caller never waits for the Vector API to load). */
    private Kernels vector;
    /** Set once, by the warm-up thread; the only state calls read. */
    private volatile boolean vectorReady;
    /**
     * The shapes calls used, guarded by {@code this}, in tables allocated here so that recording one
     * allocates nothing: hashes, then each shape's ints, flags, and the call's kernel and bias arrays
     * (for the rehearsals on the exact shapes; read, never written, and let go at the switch).
     */
    private final long[] shapeHashes = new long[MAX_SHAPES];
    private final int[] shapeInts = new int[MAX_SHAPES * SHAPE_INTS];
    private final boolean[] shapeRelu = new boolean[MAX_SHAPES];
    private final float[] shapeCeilings = new float[MAX_SHAPES];
    private final float[][] shapeKernels = new float[MAX_SHAPES][];
    private final float[][] shapeBiases = new float[MAX_SHAPES][];
    private int shapeCount;

    /** Kernels for vectors of {@code lanes} floats, the Vector API's preferred size. */
    TieredKernels(int lanes) {
        this.lanes = lanes;
        this.cold = new PackedScalarKernels(lanes);
        // started here, not at the first call, which must allocate nothing; it waits for a shape
        // (an anonymous class, not a method reference: the first lambda of a JVM costs ~15 ms of start-up)
        Thread warmUp = new Thread(new Runnable() {
            @Override
            public void run() {
                warmUp();
            }
        }, KernelsText.threadName());
        warmUp.setDaemon(true);
        warmUp.setPriority(Thread.MIN_PRIORITY);
        warmUp.start();
    }

    /** The vector kernels' name, with {@link KernelsText#warmingUp()} until calls take them. */
    @Override
    public String name() {
        return KernelsText.vectorName(lanes * Float.SIZE, !vectorReady);
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
            int sh, int sw, float[] out, int oh, int ow, float[] residual, boolean relu, float ceiling,
            float[] scratch) {
        if (vectorReady) {
            vector.conv2d(in, h, w, c, kernel, kh, kw, f, bias, sh, sw, out, oh, ow, residual, relu, ceiling, scratch);
            return;
        }
        remember(residual == null ? Shape.CONV : Shape.CONV_ADD, h, w, c, kh, kw, f, sh, sw, 0, 0, 0, 0, oh, ow, relu,
                ceiling, kernel, bias);
        cold.conv2d(in, h, w, c, kernel, kh, kw, f, bias, sh, sw, out, oh, ow, residual, relu, ceiling, scratch);
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
        remember(Shape.CONV_POOL, h, w, c, kh, kw, f, sh, sw, ph, pw, psh, psw, poh, pow, relu, Float.POSITIVE_INFINITY,
                kernel, bias);
        cold.conv2dMaxPool(in, h, w, c, kernel, kh, kw, f, bias, sh, sw, ph, pw, psh, psw, out, poh, pow, relu,
                scratch);
    }

    @Override
    public void dense(float[] in, int n, float[] kernel, int units, float[] bias, float[] out, boolean relu) {
        if (vectorReady) {
            vector.dense(in, n, kernel, units, bias, out, relu);
            return;
        }
        remember(Shape.DENSE, 0, 0, n, 0, 0, units, 0, 0, 0, 0, 0, 0, 0, 0, relu, Float.POSITIVE_INFINITY, kernel, bias);
        cold.dense(in, n, kernel, units, bias, out, relu);
    }

    @Override
    public void denseBatch(float[] in, int n, int count, float[] kernel, int units, float[] bias, float[] out,
            boolean relu) {
        if (vectorReady) {
            vector.denseBatch(in, n, count, kernel, units, bias, out, relu);
            return;
        }
        remember(Shape.DENSE_BATCH, count, 0, n, 0, 0, units, 0, 0, 0, 0, 0, 0, 0, 0, relu, Float.POSITIVE_INFINITY,
                kernel, bias);
        cold.denseBatch(in, n, count, kernel, units, bias, out, relu);
    }

    @Override
    public void depthwiseConv2d(float[] in, int h, int w, int c, float[] kernel, int kh, int kw, int m, int dh,
            int dw, float[] bias, int sh, int sw, int padTop, int padLeft, float[] out, int oh, int ow, float floor,
            float ceiling) {
        if (vectorReady) {
            vector.depthwiseConv2d(in, h, w, c, kernel, kh, kw, m, dh, dw, bias, sh, sw, padTop, padLeft, out, oh, ow,
                    floor, ceiling);
            return;
        }
        // the clamp takes the same code whatever its bounds (the rehearsals clamp from 0)
        remember(Shape.DEPTHWISE, h, w, c, kh, kw, m, sh, sw, dh, dw, padTop, padLeft, oh, ow, false, ceiling, kernel,
                bias);
        cold.depthwiseConv2d(in, h, w, c, kernel, kh, kw, m, dh, dw, bias, sh, sw, padTop, padLeft, out, oh, ow, floor,
                ceiling);
    }

    /** Records a call's shape, kernel and bias for the warm-up thread, allocating nothing. */
    private synchronized void remember(int op, int h, int w, int c, int kh, int kw, int f, int sh, int sw, int ph,
            int pw, int psh, int psw, int oh, int ow, boolean relu, float ceiling, float[] kernel, float[] bias) {
        long hash = mix(mix(mix(mix(op, h), w), c), kh);
        hash = mix(mix(mix(mix(mix(hash, kw), f), sh), sw), ph);
        hash = mix(mix(mix(mix(mix(hash, pw), psh), psw), oh), ow);
        hash = mix(hash, Float.floatToIntBits(ceiling)) * 4 + (relu ? 2 : 0) + (bias != null ? 1 : 0);
        int known = shapeCount;
        for (int i = 0; i < known; i++) {
            if (shapeHashes[i] == hash) {
                return;
            }
        }
        if (known == MAX_SHAPES) {
            return;
        }
        shapeHashes[known] = hash;
        int at = known * SHAPE_INTS;
        int[] ints = shapeInts;
        ints[at] = op;
        ints[at + 1] = h;
        ints[at + 2] = w;
        ints[at + 3] = c;
        ints[at + 4] = kh;
        ints[at + 5] = kw;
        ints[at + 6] = f;
        ints[at + 7] = sh;
        ints[at + 8] = sw;
        ints[at + 9] = ph;
        ints[at + 10] = pw;
        ints[at + 11] = psh;
        ints[at + 12] = psw;
        ints[at + 13] = oh;
        ints[at + 14] = ow;
        shapeRelu[known] = relu;
        shapeCeilings[known] = ceiling;
        shapeKernels[known] = kernel;
        shapeBiases[known] = bias;
        shapeCount = known + 1;
        notifyAll(); // the warm-up thread waits for the first shape
    }

    private static long mix(long hash, int value) {
        return hash * 0x9E3779B97F4A7C15L + value;
    }

    /** The shapes recorded from {@code from} on, with their kernels and biases (on the warm-up thread). */
    private synchronized List<Recorded> shapesFrom(int from) {
        List<Recorded> recorded = new ArrayList<>();
        for (int i = from; i < shapeCount; i++) {
            int[] v = Arrays.copyOfRange(shapeInts, i * SHAPE_INTS, (i + 1) * SHAPE_INTS);
            recorded.add(new Recorded(new Shape(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10],
                    v[11], v[12], v[13], v[14], shapeRelu[i], shapeCeilings[i], shapeBiases[i] != null), shapeKernels[i],
                    shapeBiases[i]));
        }
        return recorded;
    }

    /** Waits until a call has recorded a shape. */
    private synchronized void awaitFirstShape() throws InterruptedException {
        while (shapeCount == 0) {
            wait();
        }
    }

    /** Lets go of the callers' weights once the rehearsals are done. */
    private synchronized void forgetWeights() {
        Arrays.fill(shapeKernels, null);
        Arrays.fill(shapeBiases, null);
    }

    /** A recorded call: its shape and the caller's kernel and bias. */
    private record Recorded(Shape shape, float[] kernel, float[] bias) {
    }

    /**
     * The warm-up thread: rounds over every remembered shape, timing the vector kernels against the
     * plain-Java ones on a scaled-down copy of it, until the vector kernels win everywhere
     * {@value #WINS_NEEDED} rounds in a row; then rounds of the vector kernels alone on the exact
     * shapes until {@value #CLEAN_ROUNDS} in a row allocate nothing.
     */
    private void warmUp() {
        try {
            awaitFirstShape();
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
            KernelsText.vectorKernelsFailed(e);
            return;
        }
        if (vector.packingLanes() != lanes) {
            return; // cannot happen: both ask the Vector API for its preferred shape
        }
        this.vector = vector; // published by the volatile write of vectorReady
        AllocationCounter allocations = AllocationCounter.forThisThread();
        long start = System.nanoTime();
        List<Recorded> recorded = new ArrayList<>();
        List<Rehearsal> rehearsals = new ArrayList<>();
        List<Rehearsal> exact = new ArrayList<>();
        RehearsalBuffers buffers = new RehearsalBuffers();
        int wins = 0;
        int clean = 0;
        long exactSince = -1; // when the exact-shape rounds began
        for (int round = 0; System.nanoTime() - start < PATIENCE_NANOS; round++) {
            for (Recorded r : shapesFrom(recorded.size())) {
                recorded.add(r);
                rehearsals.add(new Rehearsal(r.shape().scaledDown(), null, null, vector, cold, null));
                exact.add(new Rehearsal(r.shape(), r.kernel(), r.bias(), vector, cold, buffers));
                wins = 0;
                clean = 0;
                exactSince = -1;
            }
            if (wins < WINS_NEEDED) {
                // while the vector code is far from compiled, time it alone: the plain-Java code gets timed
                // again (it gets compiled too) only every 16th round and when the vector code looks fast
                boolean allWon = true;
                for (Rehearsal rehearsal : rehearsals) {
                    allWon &= rehearsal.vectorWins(round % 16 == 0 || wins > 0);
                }
                wins = allWon ? wins + 1 : 0;
                continue;
            }
            if (allocations == null) {
                break; // no allocation counter in this JVM: beating the plain-Java code is all there is to go by
            }
            long bytes = 0;
            for (Rehearsal rehearsal : exact) {
                long before = allocations.bytes();
                rehearsal.runVector();
                bytes += allocations.bytes() - before;
            }
            clean = bytes == 0 ? clean + 1 : 0;
            if (exactSince < 0) {
                exactSince = System.nanoTime();
            }
            if (clean == CLEAN_ROUNDS || System.nanoTime() - exactSince > CLEAN_PATIENCE_NANOS) {
                break;
            }
        }
        if (wins == WINS_NEEDED && (allocations == null || clean == CLEAN_ROUNDS
                || System.nanoTime() - exactSince > CLEAN_PATIENCE_NANOS)) {
            vectorReady = true;
        }
        forgetWeights();
    }

    /**
     * This thread's allocated bytes, through {@code com.sun.management.ThreadMXBean} (HotSpot's), or
     * null where the JVM has none or does not count them.
     */
    private record AllocationCounter(com.sun.management.ThreadMXBean threads) {
        static AllocationCounter forThisThread() {
            try {
                if (java.lang.management.ManagementFactory.getThreadMXBean()
                        instanceof com.sun.management.ThreadMXBean threads
                        && threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled()) {
                    return new AllocationCounter(threads);
                }
            } catch (RuntimeException | LinkageError e) {
                // no java.management in this runtime image: go by speed alone
            }
            return null;
        }

        long bytes() {
            return threads.getCurrentThreadAllocatedBytes();
        }
    }

    /**
     * The inputs, outputs and scratch of the exact-shape rehearsals, shared by all (they run one at a
     * time) and grown to the largest shape.
     */
    private static final class RehearsalBuffers {
        float[] in = new float[0];
        float[] out = new float[0];
        float[] residual = new float[0];
        float[] scratch = new float[0];

        static float[] atLeast(float[] a, int n) {
            return a.length >= n ? a : new float[n];
        }
    }

    /**
     * A kernel call's shape; the fields are the {@link Kernels} parameters of the same names ({@code ceiling}
     * the ReLU's, or the depthwise clamp's: a finite one takes a branch an infinite one does not, and a
     * rehearsal must take the callers' branches).
     */
    record Shape(int op, int h, int w, int c, int kh, int kw, int f, int sh, int sw, int ph, int pw, int psh,
            int psw, int oh, int ow, boolean relu, float ceiling, boolean bias) {
        static final int CONV = 1;
        static final int CONV_POOL = 2;
        static final int DENSE = 3;
        /** A convolution with a residual added ({@code residual} not null). */
        static final int CONV_ADD = 4;
        /** {@link Kernels#denseBatch}: {@code h} is the row count, {@code c} the inputs, {@code f} the units. */
        static final int DENSE_BATCH = 5;
        /**
         * {@link Kernels#depthwiseConv2d}: {@code f} is the depth multiplier, {@code ph} and {@code pw}
         * the dilations, {@code psh} and {@code psw} the top and left padding.
         */
        static final int DEPTHWISE = 6;

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
                        f <= 1024 ? f : 1024 + f % block, 0, 0, 0, 0, 0, 0, 0, 0, relu, ceiling, bias);
            }
            int outH = Math.min(oh, 8);
            int outW = Math.min(ow, 8);
            if (op == DEPTHWISE) { // the same padding, kernel and channels, and rows of 8, 4 or 1 inner pixels
                outW = Math.min(ow, 12); // 8 inner pixels beside a border
                int spanH = (kh - 1) * ph + 1;
                int spanW = (kw - 1) * pw + 1;
                int padBottom = Math.max(0, (oh - 1) * sh + spanH - psh - h);
                int padRight = Math.max(0, (ow - 1) * sw + spanW - psw - w);
                return new Shape(op, Math.max(1, (outH - 1) * sh + spanH - psh - padBottom),
                        Math.max(1, (outW - 1) * sw + spanW - psw - padRight), c, kh, kw, f, sh, sw, ph, pw, psh, psw,
                        outH, outW, relu, ceiling, bias);
            }
            boolean pooled = op == CONV_POOL;
            int convH = pooled ? (outH - 1) * psh + ph : outH;
            int convW = pooled ? (outW - 1) * psw + pw : outW;
            return new Shape(op, (convH - 1) * sh + kh, (convW - 1) * sw + kw, c, kh, kw, f, sh, sw, ph, pw, psh, psw,
                    outH, outW, relu, ceiling, bias);
        }
    }

    /**
     * A shape run on both implementations: a scaled-down copy with its own data, or the exact shape
     * with the caller's kernel and bias and {@link RehearsalBuffers} for the rest.
     */
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
         * A Dense call on fewer units than one vector holds is a few short dot products in the vector
         * implementation (its tail units): too little work for a timing against the plain-Java
         * kernels' blocked loops to mean anything, so it counts as won (else one such layer, a
         * 10-class output say, could keep the vector kernels from ever serving); the exact-shape
         * rounds still wait until its compiled code allocates nothing. So does a depthwise convolution
         * the vector kernels leave to the plain-Java loops (a depth multiplier above 1, or fewer
         * channels than a vector holds).
         */
        private final boolean noVectorWork;

        /**
         * @param callerKernel the call's prepared kernel, or null to make one for {@code s}
         * @param buffers shared buffers grown to {@code s}, or null for arrays of this rehearsal's own
         */
        Rehearsal(Shape s, float[] callerKernel, float[] callerBias, Kernels vector, Kernels cold,
                RehearsalBuffers buffers) {
            this.shape = s;
            this.vector = vector;
            this.cold = cold;
            boolean dense = s.op() == Shape.DENSE || s.op() == Shape.DENSE_BATCH;
            boolean depthwise = s.op() == Shape.DEPTHWISE;
            int rows = s.op() == Shape.DENSE_BATCH ? s.h() : 1;
            int inLength = dense ? rows * s.c() : s.h() * s.w() * s.c();
            // a depthwise convolution's f is its multiplier: c * f output channels
            int outChannels = depthwise ? s.c() * s.f() : s.f();
            int outLength = dense ? rows * s.f() : s.oh() * s.ow() * outChannels;
            int scratchLength = dense || depthwise ? 0 : convScratch(s.kh(), s.kw(), s.c(), s.f());
            if (callerKernel != null) {
                kernel = callerKernel;
                bias = callerBias;
            } else {
                float[] weights = filled(dense ? s.c() * s.f() : s.kh() * s.kw() * s.c() * s.f());
                kernel = dense ? vector.prepareDense(weights, s.c(), s.f())
                        : depthwise ? weights // taken as it is
                        : vector.prepareConv2d(weights, s.kh(), s.kw(), s.c(), s.f());
                bias = s.bias() ? filled(outChannels) : null;
            }
            if (buffers != null) {
                buffers.in = RehearsalBuffers.atLeast(buffers.in, inLength);
                buffers.out = RehearsalBuffers.atLeast(buffers.out, outLength);
                buffers.residual = RehearsalBuffers.atLeast(buffers.residual, outLength);
                buffers.scratch = RehearsalBuffers.atLeast(buffers.scratch, scratchLength);
                in = buffers.in;
                out = buffers.out;
                residual = s.op() == Shape.CONV_ADD ? buffers.residual : null;
                scratch = dense || depthwise ? null : buffers.scratch;
            } else {
                in = filled(inLength);
                out = new float[outLength];
                residual = s.op() == Shape.CONV_ADD ? filled(outLength) : null;
                scratch = dense || depthwise ? null : new float[scratchLength];
            }
            noVectorWork = dense && s.f() < vector.packingLanes()
                    || depthwise && (s.f() != 1 || s.c() < vector.packingLanes());
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

        void runVector() {
            run(vector);
        }

        private void run(Kernels kernels) {
            Shape s = shape;
            switch (s.op()) {
                case Shape.CONV, Shape.CONV_ADD -> kernels.conv2d(in, s.h(), s.w(), s.c(), kernel, s.kh(), s.kw(),
                        s.f(), bias, s.sh(), s.sw(), out, s.oh(), s.ow(), residual, s.relu(), s.ceiling(), scratch);
                case Shape.CONV_POOL -> kernels.conv2dMaxPool(in, s.h(), s.w(), s.c(), kernel, s.kh(), s.kw(), s.f(),
                        bias, s.sh(), s.sw(), s.ph(), s.pw(), s.psh(), s.psw(), out, s.oh(), s.ow(), s.relu(), scratch);
                case Shape.DENSE_BATCH -> kernels.denseBatch(in, s.c(), s.h(), kernel, s.f(), bias, out, s.relu());
                case Shape.DEPTHWISE -> kernels.depthwiseConv2d(in, s.h(), s.w(), s.c(), kernel, s.kh(), s.kw(), s.f(),
                        s.ph(), s.pw(), bias, s.sh(), s.sw(), s.psh(), s.psw(), out, s.oh(), s.ow(), 0f, s.ceiling());
                default -> kernels.dense(in, s.c(), kernel, s.f(), bias, out, s.relu());
            }
        }
    }
}
