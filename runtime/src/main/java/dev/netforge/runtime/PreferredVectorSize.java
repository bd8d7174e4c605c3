package dev.netforge.runtime;

import jdk.incubator.vector.VectorShape;

/**
 * The Vector API's preferred vector size, in floats: the lane count {@link PanamaKernels} packs
 * weights for. Asked of {@link VectorShape}, which costs ~1 ms to initialise, where
 * {@code FloatVector} (which {@link PanamaKernels} needs) costs ~12 ms: so a program's first
 * inference, served by plain-Java code while the vector kernels warm up, does not wait for it.
 * Loaded by name from {@link KernelsLookup}, only when {@code jdk.incubator.vector} is readable.
 */
final class PreferredVectorSize {
    private PreferredVectorSize() {
    }

    static int floats() {
        return VectorShape.preferredShape().vectorBitSize() / Float.SIZE;
    }
}
