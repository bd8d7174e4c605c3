package dev.netforge.processor.writer;

import dev.netforge.Activation;
import dev.netforge.processor.kinds.ActivationKind;
import dev.netforge.processor.kinds.BatchNormalizationKind;
import dev.netforge.processor.kinds.Conv2DKind;
import dev.netforge.processor.kinds.DenseKind;
import dev.netforge.processor.kinds.DepthwiseConv2DKind;
import dev.netforge.processor.kinds.MergeKind;
import dev.netforge.processor.kinds.PoolKind;
import dev.netforge.processor.kinds.SeparableConv2DKind;
import dev.netforge.processor.kinds.ZeroPaddingKind;
import dev.netforge.processor.model.LayerSpec;
import dev.netforge.processor.model.MergeOp;
import dev.netforge.processor.model.Network;
import dev.netforge.processor.model.Shape;
import dev.netforge.processor.model.Window;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * What runs and where it reads and writes, decided once at compile time.
 *
 * <p>Layers that move no data (Flatten, Dropout, a linear activation) get no step: their output is
 * their input's array. A Conv2D, DepthwiseConv2D or Dense with a linear activation absorbs a
 * BatchNormalization that reads it (folded into its weights when they are built) and then an
 * activation layer that reads that (applied in its loop), so the common Keras pattern
 * {@code Conv2D -> BatchNormalization -> Activation} is one step. A layer is absorbed only when it
 * takes exactly the step's output and is that output's only reader (in a network that branches, a
 * tensor another layer also reads is kept); it need not be the next field.
 *
 * <p>An undilated Conv2D whose activation (after that) is linear or ReLU also absorbs a valid max
 * pool on the same terms: the kernels then compute only the convolution
 * outputs the pool reads (MnistNet's second convolution drops a row and a column) and never store
 * the rest.
 *
 * <p>An undilated Conv2D (with its folded BatchNormalization, and no activation of its own) also
 * absorbs the residual addition of a ResNet block, as ONNX Runtime fuses Conv+Add+Relu: an
 * {@code @Add} of two inputs that is the only reader of the step's output (reading it once), and then
 * an activation layer that is the Add's only reader. The other input of the Add, the residual, is
 * any other tensor (the model's input, or an earlier step's array); the kernels add it to each output
 * as they store it, before the activation, so the sum never makes a second pass over memory. Such a
 * step runs where the Add was declared (Keras lists a block's projection shortcut after its last
 * convolution), so its residual has been computed; it reads the residual as a second source, which
 * keeps that array live through the step and never makes it the step's target.
 *
 * <p>A ZeroPadding2D whose only reader is an unpadded DepthwiseConv2D joins that convolution's step,
 * which reads the padding in place (the kernels skip the taps outside the input): MobileNets pad
 * before each strided depthwise convolution, and in MobileNetV2 the four copies took a third as long
 * as the convolutions they fed (116-132 us against 341-383 us at 512 bits).
 *
 * <p>Steps read the caller's input or earlier steps' arrays; the step that computes the model's
 * output writes straight into the caller's output; every other step writes a scratch array, chosen
 * so that an array is reused as soon as the last step reading it has run (a chain ping-pongs
 * between two, {@code scratchA} and {@code scratchB}; a residual block holds a third while its
 * branch runs). Each scratch array is sized for the largest tensor it holds. A padded convolution
 * first writes its input, inside a zero border, into the pad array that all padded steps share.
 */
public final class MemoryPlan {
    /** An array a step reads or writes: the caller's input or output, or a scratch field. */
    public record Buffer(String name, int scratchIndex) {
        public static final Buffer INPUT = new Buffer("input", -1);
        public static final Buffer OUTPUT = new Buffer("output", -1);

        /** Scratch array {@code k}: {@code scratchA}, {@code scratchB}, ... */
        static Buffer scratch(int k) {
            return new Buffer(scratchName(k), k);
        }
    }

    /** The field name of scratch array {@code k}. */
    public static String scratchName(int k) {
        return k < 26 ? "scratch" + (char) ('A' + k) : "scratch" + k;
    }

    /**
     * One step of {@code forward}: the layer that computes (its index in the network), an optional
     * BatchNormalization folded into it, the activation it applies last, a max pool or a residual
     * {@code @Add} fused into it (or null), the layers it covers (in declaration order: {@code layerIndex}
     * first, but for a ZeroPadding2D joined to the depthwise convolution after it), the steps
     * whose outputs it reads (-1 for the model's input; several for a merging layer; for a fused Add,
     * the convolution's input then the residual) and the arrays it reads and writes.
     */
    public record Step(int layerIndex, LayerSpec layer, BatchNormalizationKind.Spec foldedNorm, Activation activation,
                       PoolKind.Spec fusedPool, MergeKind.Spec fusedAdd, List<Integer> coveredLayers, List<Integer> sourceSteps,
                       List<Buffer> sources, Buffer target) {
        public Step {
            coveredLayers = List.copyOf(coveredLayers);
            sourceSteps = List.copyOf(sourceSteps);
            sources = List.copyOf(sources);
        }

        /** The first (for most layers the only) array the step reads. */
        public Buffer source() {
            return sources.get(0);
        }

        /** The array a fused Add's other input is in (the residual the kernels add), or null when none. */
        public Buffer residual() {
            return fusedAdd == null ? null : sources.get(1);
        }

        /** What the step writes: the layer's output, or the fused pool's. */
        public Shape output() {
            return fusedPool == null ? layer.output() : fusedPool.output();
        }

        /** Names of the layers this step computes, for comments: {@code conv1 + bn1 + relu1}. */
        public String describeLayers(List<LayerSpec> all) {
            StringBuilder names = new StringBuilder();
            for (int i : coveredLayers) {
                if (!all.get(i).movesNoData() || i == layerIndex) {
                    names.append(names.length() > 0 ? " + " : "").append(all.get(i).name());
                }
            }
            return names.toString();
        }
    }

    private final List<Step> steps;
    private final long parameterCount;
    private final List<Integer> scratchSizes;
    private final int pad;
    private final int middle;
    private final int kernelScratch;

    private MemoryPlan(List<Step> steps, long parameterCount, List<Integer> scratchSizes, int pad, int middle,
                       int kernelScratch) {
        this.steps = Collections.unmodifiableList(steps);
        this.parameterCount = parameterCount;
        this.scratchSizes = List.copyOf(scratchSizes);
        this.pad = pad;
        this.middle = middle;
        this.kernelScratch = kernelScratch;
    }

    public static MemoryPlan of(Network network) {
        List<LayerSpec> layers = network.layers();
        int n = layers.size();
        // Which step computes each layer's output (-1: the model's input, for layers that move no data on it).
        int[] stepOf = new int[n];
        boolean[] absorbed = new boolean[n];
        // {computing layer, folded norm or -1, last layer, fused pool or -1, fused add or -1, residual producer,
        // position (the layer where the step runs: its first, or its fused Add), joined padding or -1}
        List<int[]> groups = new ArrayList<>();
        List<List<Integer>> coveredLayers = new ArrayList<>();
        int[] paddingBefore = new int[n]; // the ZeroPadding2D a depthwise convolution reads in place, or -1
        Arrays.fill(paddingBefore, -1);
        for (int i = 0; i < n; i++) {
            LayerSpec layer = layers.get(i);
            if (absorbed[i]) {
                continue;
            }
            if (layer.movesNoData()) {
                int producer = network.inputs().get(i).get(0);
                stepOf[i] = producer == Network.INPUT ? -1 : stepOf[producer];
                continue;
            }
            int reader = soleReader(network, i);
            if (layer instanceof ZeroPaddingKind.Spec && reader >= 0
                    && layers.get(reader) instanceof DepthwiseConv2DKind.Spec depthwise && !depthwise.window().padded()) {
                paddingBefore[reader] = i; // its step is the convolution's, which reads the padding in place
                absorbed[i] = true;
                continue;
            }
            int norm = -1, last = i;
            List<Integer> covered = new ArrayList<>();
            if (paddingBefore[i] >= 0) {
                covered.add(paddingBefore[i]);
            }
            covered.add(i);
            if (layer.activation() == Activation.LINEAR && foldsNorm(layer) && reader >= 0
                    && layers.get(reader) instanceof BatchNormalizationKind.Spec) {
                norm = last = reader;
                covered.add(reader);
                reader = soleReader(network, last);
            }
            if (layer.activation() == Activation.LINEAR && takesActivation(layer) && reader >= 0
                    && layers.get(reader) instanceof ActivationKind.Spec) {
                last = reader;
                covered.add(reader);
                reader = soleReader(network, last);
            }
            int pool = -1;
            Activation activation = last != i && layers.get(last) instanceof ActivationKind.Spec act ? act.activation()
                    : layer.activation();
            if (layer instanceof Conv2DKind.Spec conv && !conv.window().dilated()
                    && (activation == Activation.LINEAR || activation == Activation.RELU) && reader >= 0
                    && layers.get(reader) instanceof PoolKind.Spec next && !next.average() && !next.window().padded()) {
                pool = last = reader; // conv + max pool: the vector kernel computes only what the pool reads
                covered.add(reader);
            }
            int add = -1, residual = Network.INPUT;
            if (pool < 0 && activation == Activation.LINEAR && (last == i || last == norm)
                    && layer instanceof Conv2DKind.Spec conv && !conv.window().dilated()) {
                add = residualAdd(network, last, absorbed);
                if (add >= 0) { // conv (+ norm) + add: the kernels add the residual as they store
                    List<Integer> addInputs = network.inputs().get(add);
                    residual = addInputs.get(0) == last ? addInputs.get(1) : addInputs.get(0);
                    last = add;
                    covered.add(add);
                    reader = soleReader(network, add);
                    if (reader >= 0 && layers.get(reader) instanceof ActivationKind.Spec) {
                        last = reader; // then the activation, in the same store
                        covered.add(reader);
                    }
                }
            }
            for (int c : covered) {
                stepOf[c] = groups.size();
                absorbed[c] = true;
            }
            groups.add(new int[] {i, norm, last, pool, add, residual, add >= 0 ? add : i, paddingBefore[i]});
            coveredLayers.add(covered);
        }
        // Steps run in the order of their positions: declaration order, except that a step with a fused Add
        // runs where the Add was declared, after its residual (computed by a layer declared before the Add).
        // Every step still runs after the steps it reads and before those reading it, as every layer's
        // inputs are declared before it.
        Integer[] order = new Integer[groups.size()];
        for (int g = 0; g < order.length; g++) {
            order[g] = g;
        }
        Arrays.sort(order, (a, b) -> Integer.compare(groups.get(a)[6], groups.get(b)[6]));
        int[] rank = new int[order.length];
        List<int[]> sortedGroups = new ArrayList<>();
        List<List<Integer>> sortedCovered = new ArrayList<>();
        for (int g = 0; g < order.length; g++) {
            rank[order[g]] = g;
            sortedGroups.add(groups.get(order[g]));
            sortedCovered.add(coveredLayers.get(order[g]));
        }
        for (int i = 0; i < n; i++) {
            stepOf[i] = stepOf[i] < 0 ? stepOf[i] : rank[stepOf[i]];
        }
        groups.clear();
        groups.addAll(sortedGroups);
        coveredLayers.clear();
        coveredLayers.addAll(sortedCovered);
        int outputStep = n == 0 ? -1 : stepOf[n - 1];
        // The last step that reads each step's output, so its array can be reused after it.
        int[] lastRead = new int[groups.size()];
        Arrays.fill(lastRead, -1);
        List<List<Integer>> sourceSteps = new ArrayList<>();
        for (int g = 0; g < groups.size(); g++) {
            List<Integer> sources = new ArrayList<>();
            int reads = groups.get(g)[7] >= 0 ? groups.get(g)[7] : groups.get(g)[0]; // a joined padding's input
            List<Integer> producers = new ArrayList<>(network.inputs().get(reads));
            if (groups.get(g)[4] >= 0) {
                producers.add(groups.get(g)[5]); // the fused Add's residual
            }
            for (int producer : producers) {
                int source = producer == Network.INPUT ? -1 : stepOf[producer];
                sources.add(source);
                if (source >= 0) {
                    lastRead[source] = g;
                }
            }
            sourceSteps.add(sources);
        }
        List<Step> steps = new ArrayList<>();
        List<Integer> scratchSizes = new ArrayList<>();
        List<Buffer> targets = new ArrayList<>();
        java.util.Deque<Integer> free = new java.util.ArrayDeque<>();
        int pad = 0;
        for (int g = 0; g < groups.size(); g++) {
            int[] group = groups.get(g);
            LayerSpec layer = group[7] < 0 ? layers.get(group[0])
                    : ((DepthwiseConv2DKind.Spec) layers.get(group[0])).afterPadding((ZeroPaddingKind.Spec) layers.get(group[7]));
            List<Integer> covered = coveredLayers.get(g);
            int lastCovered = group[3] >= 0 ? covered.get(covered.size() - 2) : group[2]; // before the fused pool
            MergeKind.Spec add = group[4] < 0 ? null : (MergeKind.Spec) layers.get(group[4]);
            LayerSpec last = layers.get(lastCovered);
            Activation activation = last instanceof ActivationKind.Spec act && lastCovered != group[0]
                    ? act.activation() : layer.activation();
            PoolKind.Spec pool = group[3] < 0 ? null : (PoolKind.Spec) layers.get(group[3]);
            int size = pool == null ? layer.output().size() : pool.output().size();
            List<Buffer> sources = new ArrayList<>();
            for (int source : sourceSteps.get(g)) {
                sources.add(source < 0 ? Buffer.INPUT : targets.get(source));
            }
            Buffer target;
            if (g == outputStep) {
                target = Buffer.OUTPUT;
            } else {
                // sources are still being read, so they are not free yet: a step never writes what it reads
                int k = free.isEmpty() ? scratchSizes.size() : free.pollFirst();
                if (k == scratchSizes.size()) {
                    scratchSizes.add(0);
                }
                scratchSizes.set(k, Math.max(scratchSizes.get(k), size));
                target = Buffer.scratch(k);
            }
            targets.add(target);
            for (int source : new java.util.TreeSet<>(sourceSteps.get(g))) {
                if (source >= 0 && lastRead[source] == g && source != outputStep) {
                    free.addLast(targets.get(source).scratchIndex());
                }
            }
            Window window = layer.paddedInputWindow();
            if (window != null) {
                pad = Math.max(pad, paddedSize(layer, window));
            }
            BatchNormalizationKind.Spec norm = group[1] < 0 ? null : (BatchNormalizationKind.Spec) layers.get(group[1]);
            steps.add(new Step(group[0], layer, norm, activation, pool, add, coveredLayers.get(g), sourceSteps.get(g),
                    sources, target));
        }
        int[] largest = largestKernelConvolution(steps);
        int kernelScratch = largest == null ? 0
                : dev.netforge.runtime.Kernels.convScratch(largest[0], largest[1], largest[2], largest[3]);
        int middle = 0;
        for (Step step : steps) {
            if (step.layer() instanceof SeparableConv2DKind.Spec separable) {
                middle = Math.max(middle, separable.depthwiseOutput().size());
            }
        }
        return new MemoryPlan(steps, network.parameterCount(), scratchSizes, pad, middle, kernelScratch);
    }

    /**
     * The layer that can join {@code last}'s step: the only layer reading {@code last}'s output, and
     * reading nothing else; -1 when there is none. It need not be the next field (Keras lists a
     * residual block's projection between a convolution and its BatchNormalization): computing it
     * early changes nothing, since only layers after it read it.
     */
    private static int soleReader(Network network, int last) {
        List<Integer> readers = network.consumers(last);
        return readers.size() == 1 && network.inputs().get(readers.get(0)).equals(List.of(last)) ? readers.get(0) : -1;
    }

    /**
     * The {@code @Add} that can join {@code last}'s step as a residual addition: a merge of exactly two
     * inputs, one of them {@code last}'s output and the other a different tensor, that is the only
     * layer reading {@code last}'s output and not yet in a step (an Add of two convolutions joins the
     * first); -1 when there is none.
     */
    private static int residualAdd(Network network, int last, boolean[] absorbed) {
        List<Integer> readers = network.consumers(last);
        if (readers.size() != 1 || absorbed[readers.get(0)]) {
            return -1;
        }
        int reader = readers.get(0);
        List<Integer> inputs = network.inputs().get(reader);
        return network.layers().get(reader) instanceof MergeKind.Spec merge && merge.op() == MergeOp.ADD
                && inputs.size() == 2 && !inputs.get(0).equals(inputs.get(1)) ? reader : -1;
    }

    /**
     * The largest kernel height, width, input channels and filters over the convolutions that run
     * on the runtime's kernels (each dimension on its own), or null when there are none. The kernels'
     * scratch size never decreases as a dimension grows, so sizing for these serves every layer.
     */
    static int[] largestKernelConvolution(List<Step> steps) {
        int[] largest = null;
        for (Step step : steps) {
            if (LayerWriter.usesKernelScratch(step)) {
                int[] dims = step.layer() instanceof SeparableConv2DKind.Spec separable
                        ? new int[] {1, 1, separable.depthwiseOutput().channels(), separable.filters()} // pointwise
                        : new int[] {((Conv2DKind.Spec) step.layer()).window().height(),
                            ((Conv2DKind.Spec) step.layer()).window().width(), step.layer().input().channels(),
                            ((Conv2DKind.Spec) step.layer()).filters()};
                if (largest == null) {
                    largest = dims;
                }
                for (int k = 0; k < 4; k++) {
                    largest[k] = Math.max(largest[k], dims[k]);
                }
            }
        }
        return largest;
    }

    private static boolean foldsNorm(LayerSpec layer) {
        return layer instanceof Conv2DKind.Spec || layer instanceof DepthwiseConv2DKind.Spec || layer instanceof DenseKind.Spec;
    }

    /** Layers whose loop can apply an activation layer that follows them. */
    private static boolean takesActivation(LayerSpec layer) {
        return foldsNorm(layer) || layer instanceof BatchNormalizationKind.Spec;
    }

    /** A convolution's input once padded: {@code (H + top + bottom) x (W + left + right) x C}. */
    static int paddedSize(LayerSpec layer, Window window) {
        return (layer.input().height() + window.padTop() + window.padBottom())
                * (layer.input().width() + window.padLeft() + window.padRight()) * layer.input().channels();
    }

    /** The computing steps in order; empty when no layer moves data (then output = input). */
    public List<Step> steps() {
        return steps;
    }

    /** The size of each scratch array, {@code scratchA} first; a chain needs at most two. */
    public List<Integer> scratchSizes() {
        return scratchSizes;
    }

    public int padSize() {
        return pad;
    }

    /** The array separable convolutions' depthwise halves write, shared by all of them; 0 when none. */
    public int middleSize() {
        return middle;
    }

    /** The runtime kernels' convolution scratch, {@code Kernels.convScratch} of the largest dimensions, or 0. */
    public int kernelScratchSize() {
        return kernelScratch;
    }

    public long parameterBytes() {
        return parameterCount * Float.BYTES;
    }

    public long scratchBytes() {
        long floats = (long) pad + middle + kernelScratch;
        for (int size : scratchSizes) {
            floats += size;
        }
        return floats * Float.BYTES;
    }
}
