package dev.netforge.processor.writer;

import dev.netforge.processor.model.LayerSpec;
import dev.netforge.processor.model.LayerSpec.Conv2DSpec;
import dev.netforge.processor.model.LayerSpec.FlattenSpec;
import dev.netforge.processor.model.Network;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Which array each layer reads and writes, decided once at compile time: the first layer reads the
 * caller's input, the last computing layer writes straight into the caller's output, and layers in
 * between ping-pong between two scratch arrays sized for the largest activation. {@code Flatten}
 * moves no data, so it gets no step at all. A convolution with padding first writes its input,
 * inside a zero border, into the pad array, which all padded layers share.
 */
public final class MemoryPlan {
    /** The arrays a layer can read or write. */
    public enum Buffer { INPUT, OUTPUT, SCRATCH_A, SCRATCH_B }

    /** One computing layer: its index in the network, where it reads and where it writes. */
    public record Step(int layerIndex, LayerSpec layer, Buffer source, Buffer target) {
    }

    private final List<Step> steps;
    private final long parameterCount;
    private final int scratchA;
    private final int scratchB;
    private final int pad;

    private MemoryPlan(List<Step> steps, long parameterCount, int scratchA, int scratchB, int pad) {
        this.steps = Collections.unmodifiableList(steps);
        this.parameterCount = parameterCount;
        this.scratchA = scratchA;
        this.scratchB = scratchB;
        this.pad = pad;
    }

    public static MemoryPlan of(Network network) {
        List<LayerSpec> layers = network.layers();
        int last = -1;
        for (int i = 0; i < layers.size(); i++) {
            if (!(layers.get(i) instanceof FlattenSpec)) {
                last = i;
            }
        }
        List<Step> steps = new ArrayList<>();
        Buffer current = Buffer.INPUT;
        int a = 0, b = 0, pad = 0;
        for (int i = 0; i <= last; i++) {
            LayerSpec layer = layers.get(i);
            if (layer instanceof FlattenSpec) {
                continue;
            }
            Buffer target = i == last ? Buffer.OUTPUT : current == Buffer.SCRATCH_A ? Buffer.SCRATCH_B : Buffer.SCRATCH_A;
            if (target == Buffer.SCRATCH_A) {
                a = Math.max(a, layer.output().size());
            } else if (target == Buffer.SCRATCH_B) {
                b = Math.max(b, layer.output().size());
            }
            if (layer instanceof Conv2DSpec conv && conv.window().padded()) {
                pad = Math.max(pad, paddedSize(conv));
            }
            steps.add(new Step(i, layer, current, target));
            current = target;
        }
        return new MemoryPlan(steps, network.parameterCount(), a, b, pad);
    }

    /** The size of a convolution's input once padded: {@code (H + top + bottom) x (W + left + right) x C}. */
    public static int paddedSize(Conv2DSpec conv) {
        return paddedHeight(conv) * paddedWidth(conv) * conv.input().channels();
    }

    public static int paddedHeight(Conv2DSpec conv) {
        return conv.input().height() + conv.window().padTop() + conv.window().padBottom();
    }

    public static int paddedWidth(Conv2DSpec conv) {
        return conv.input().width() + conv.window().padLeft() + conv.window().padRight();
    }

    /** The computing layers in order; empty when the network only flattens (output = input). */
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

    public long parameterBytes() {
        return parameterCount * Float.BYTES;
    }

    public long scratchBytes() {
        return ((long) scratchA + scratchB + pad) * Float.BYTES;
    }
}
