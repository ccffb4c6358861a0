package io.shendu.optim;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Adam's update (without AMSGrad) on Vector API lanes: the same operations in the same order as the scalar loop
 * in {@link Adam}, with no fused multiply-add, so every element gets the same bits. Loaded only when
 * {@code jdk.incubator.vector} is present. Returns the index where the scalar tail must continue.
 */
final class AdamVectorLoop {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private AdamVectorLoop() {}

    static int run(float[] p, int po, float[] g, int go, float[] m, float[] v, int start, int end, float decay, float sign,
                   float lambda, float b1, float rest1, float b2, float rest2, float correction2, float epsilon, float stepSize) {
        int i = start;
        for (int bound = start + S.loopBound(end - start); i < bound; i += S.length()) {
            FloatVector theta = FloatVector.fromArray(S, p, po + i).mul(decay);
            FloatVector d = FloatVector.fromArray(S, g, go + i).mul(sign).add(theta.mul(lambda));
            FloatVector mi = FloatVector.fromArray(S, m, i).mul(b1).add(d.mul(rest1));
            FloatVector vi = FloatVector.fromArray(S, v, i).mul(b2).add(d.mul(rest2).mul(d));
            mi.intoArray(m, i);
            vi.intoArray(v, i);
            FloatVector denominator = vi.lanewise(VectorOperators.SQRT).div(correction2).add(epsilon);
            theta.sub(mi.div(denominator).mul(stepSize)).intoArray(p, po + i);
        }
        return i;
    }
}
