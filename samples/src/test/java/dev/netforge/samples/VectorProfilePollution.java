package dev.netforge.samples;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * What an application that uses the Vector API itself does to HotSpot's type profiles: runs
 * {@code FloatVector}'s methods on five species, so the receiver type recorded in each of them (two
 * at most: {@code TypeProfileWidth}) says "many". C2 then compiles a vector method call whose receiver
 * it cannot type exactly from the code as a virtual call, which boxes the vector: 0 bytes a call must
 * not rest on a profile that only NetForge filled.
 */
final class VectorProfilePollution {
    private VectorProfilePollution() {
    }

    @SuppressWarnings("unchecked")
    static void run() {
        VectorSpecies<?>[] species = {FloatVector.SPECIES_64, FloatVector.SPECIES_128, FloatVector.SPECIES_256,
                FloatVector.SPECIES_512, FloatVector.SPECIES_MAX};
        float[] values = new float[64];
        float sum = 0;
        for (int round = 0; round < 3_000; round++) {
            for (VectorSpecies<?> any : species) {
                VectorSpecies<Float> s = (VectorSpecies<Float>) any;
                FloatVector v = FloatVector.fromArray(s, values, 0);
                FloatVector w = FloatVector.broadcast(s, 1f);
                v = v.add(w).mul(w).max(w).min(w).fma(w, v).sub(w).max(0f).add(1f).div(w).neg().abs();
                v.intoArray(values, 0);
                sum += v.reduceLanes(VectorOperators.ADD) + v.reduceLanes(VectorOperators.MAX) + v.lane(0);
            }
        }
        if (Float.isNaN(sum)) {
            throw new AssertionError("the sum of finite values is NaN");
        }
    }
}
