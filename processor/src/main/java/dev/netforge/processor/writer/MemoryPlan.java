package dev.netforge.processor.writer;

import dev.netforge.Activation;
import dev.netforge.processor.model.LayerSpec;
import dev.netforge.processor.model.LayerSpec.ActivationSpec;
import dev.netforge.processor.model.LayerSpec.BatchNormalizationSpec;
import dev.netforge.processor.model.LayerSpec.Conv2DSpec;
import dev.netforge.processor.model.LayerSpec.DenseSpec;
import dev.netforge.processor.model.LayerSpec.DepthwiseConv2DSpec;
import dev.netforge.processor.model.LayerSpec.PoolSpec;
import dev.netforge.processor.model.Shape;
import dev.netforge.processor.model.Network;
import dev.netforge.processor.model.Window;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What runs and where it reads and writes, decided once at compile time.
 *
 * <p>Layers that move no data (Flatten, Dropout) get no step. A Conv2D, DepthwiseConv2D or Dense
 * with a linear activation absorbs a BatchNormalization that directly follows it (folded into its
 * weights when they are built) and then an activation layer that directly follows (applied in its
 * loop), so the common Keras pattern {@code Conv2D -> BatchNormalization -> Activation} is one step.
 *
 * <p>An undilated Conv2D whose activation (after that) is linear or ReLU also absorbs a valid max
 * pool that directly follows it: the kernels then compute only the convolution outputs the pool
 * reads (MnistNet's second convolution drops a row and a column) and never store the rest.
 *
 * <p>The first step reads the caller's input, the last writes straight into the caller's output,
 * and steps in between ping-pong between two scratch arrays sized for the largest activation. A
 * padded convolution first writes its input, inside a zero border, into the pad array that all
 * padded steps share.
 */
public final class MemoryPlan {
    /** The arrays a step can read or write. */
    public enum Buffer { INPUT, OUTPUT, SCRATCH_A, SCRATCH_B }

    /**
     * One step of {@code forward}: the layer that computes (its index in the network), an optional
     * BatchNormalization folded into it, the activation it applies last, and its arrays.
     */
    public record Step(int layerIndex, LayerSpec layer, BatchNormalizationSpec foldedNorm, Activation activation,
                       PoolSpec fusedPool, Buffer source, Buffer target) {
        /** What the step writes: the layer's output, or the fused pool's. */
        public Shape output() {
            return fusedPool == null ? layer.output() : fusedPool.output();
        }

        /** Names of the layers this step computes, for comments: {@code conv1 + bn1 + relu1}. */
        public String describeLayers(List<LayerSpec> all, int lastIndex) {
            StringBuilder names = new StringBuilder();
            for (int i = layerIndex; i <= lastIndex; i++) {
                if (!all.get(i).movesNoData() || i == layerIndex) {
                    names.append(names.length() > 0 ? " + " : "").append(all.get(i).name());
                }
            }
            return names.toString();
        }
    }

    private final List<Step> steps;
    private final long parameterCount;
    private final int scratchA;
    private final int scratchB;
    private final int pad;
    private final int kernelScratch;

    private MemoryPlan(List<Step> steps, long parameterCount, int scratchA, int scratchB, int pad, int kernelScratch) {
        this.steps = Collections.unmodifiableList(steps);
        this.parameterCount = parameterCount;
        this.scratchA = scratchA;
        this.scratchB = scratchB;
        this.pad = pad;
        this.kernelScratch = kernelScratch;
    }

    public static MemoryPlan of(Network network) {
        List<LayerSpec> layers = network.layers();
        // First, which layers form each step (before buffers are known).
        List<int[]> groups = new ArrayList<>(); // {first layer, folded norm or -1, last layer, fused pool or -1}
        for (int i = 0; i < layers.size(); i++) {
            LayerSpec layer = layers.get(i);
            if (layer.movesNoData()) {
                continue;
            }
            int norm = -1, last = i;
            if (activation(layer) == Activation.LINEAR && foldsNorm(layer)
                    && last + 1 < layers.size() && layers.get(last + 1) instanceof BatchNormalizationSpec) {
                norm = ++last;
            }
            if (activation(layer) == Activation.LINEAR && takesActivation(layer)
                    && last + 1 < layers.size() && layers.get(last + 1) instanceof ActivationSpec) {
                last++;
            }
            int pool = -1;
            Activation activation = last != i && layers.get(last) instanceof ActivationSpec act ? act.activation()
                    : activation(layer);
            if (layer instanceof Conv2DSpec conv && !conv.window().dilated()
                    && (activation == Activation.LINEAR || activation == Activation.RELU)
                    && last + 1 < layers.size() && layers.get(last + 1) instanceof PoolSpec next
                    && !next.average() && !next.window().padded()) {
                pool = ++last; // conv + max pool: the vector kernel computes only what the pool reads
            }
            groups.add(new int[] {i, norm, last, pool});
            i = last;
        }
        List<Step> steps = new ArrayList<>();
        Buffer current = Buffer.INPUT;
        int a = 0, b = 0, pad = 0;
        for (int g = 0; g < groups.size(); g++) {
            int[] group = groups.get(g);
            LayerSpec layer = layers.get(group[0]);
            int lastCovered = group[3] >= 0 ? group[3] - 1 : group[2];
            LayerSpec last = layers.get(lastCovered);
            Activation activation = last instanceof ActivationSpec act && lastCovered != group[0]
                    ? act.activation() : activation(layer);
            PoolSpec pool = group[3] < 0 ? null : (PoolSpec) layers.get(group[3]);
            int size = pool == null ? layer.output().size() : pool.output().size();
            Buffer target = g == groups.size() - 1 ? Buffer.OUTPUT
                    : current == Buffer.SCRATCH_A ? Buffer.SCRATCH_B : Buffer.SCRATCH_A;
            if (target == Buffer.SCRATCH_A) {
                a = Math.max(a, size);
            } else if (target == Buffer.SCRATCH_B) {
                b = Math.max(b, size);
            }
            Window window = paddedWindow(layer);
            if (window != null) {
                pad = Math.max(pad, paddedSize(layer, window));
            }
            BatchNormalizationSpec norm = group[1] < 0 ? null : (BatchNormalizationSpec) layers.get(group[1]);
            steps.add(new Step(group[0], layer, norm, activation, pool, current, target));
            current = target;
        }
        int[] largest = largestKernelConvolution(steps);
        int kernelScratch = largest == null ? 0
                : dev.netforge.runtime.Kernels.convScratch(largest[0], largest[1], largest[2], largest[3]);
        return new MemoryPlan(steps, network.parameterCount(), a, b, pad, kernelScratch);
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
                Conv2DSpec conv = (Conv2DSpec) step.layer();
                int[] dims = {conv.window().height(), conv.window().width(), conv.input().channels(), conv.filters()};
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

    /** The activation a layer applies itself; LINEAR for layers without one. */
    static Activation activation(LayerSpec layer) {
        if (layer instanceof Conv2DSpec conv) {
            return conv.activation();
        } else if (layer instanceof DepthwiseConv2DSpec depthwise) {
            return depthwise.activation();
        } else if (layer instanceof DenseSpec dense) {
            return dense.activation();
        } else if (layer instanceof ActivationSpec act) {
            return act.activation();
        }
        return Activation.LINEAR;
    }

    private static boolean foldsNorm(LayerSpec layer) {
        return layer instanceof Conv2DSpec || layer instanceof DepthwiseConv2DSpec || layer instanceof DenseSpec;
    }

    /** Layers whose loop can apply an activation layer that follows them. */
    private static boolean takesActivation(LayerSpec layer) {
        return foldsNorm(layer) || layer instanceof BatchNormalizationSpec;
    }

    /** The window of a convolution that needs an explicitly padded input, else null. */
    static Window paddedWindow(LayerSpec layer) {
        Window window = layer instanceof Conv2DSpec conv ? conv.window()
                : layer instanceof DepthwiseConv2DSpec depthwise ? depthwise.window() : null;
        return window != null && window.padded() ? window : null;
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

    public int scratchASize() {
        return scratchA;
    }

    public int scratchBSize() {
        return scratchB;
    }

    public int padSize() {
        return pad;
    }

    /** The runtime kernels' convolution scratch, {@code Kernels.convScratch} of the largest dimensions, or 0. */
    public int kernelScratchSize() {
        return kernelScratch;
    }

    public long parameterBytes() {
        return parameterCount * Float.BYTES;
    }

    public long scratchBytes() {
        return ((long) scratchA + scratchB + pad + kernelScratch) * Float.BYTES;
    }
}
