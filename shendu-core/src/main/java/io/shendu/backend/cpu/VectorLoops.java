package io.shendu.backend.cpu;

import io.shendu.backend.BinaryOp;
import io.shendu.backend.UnaryOp;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API inner loops for the hottest elementwise ops on unit-stride (or broadcast, stride 0) segments.
 * Loaded only when {@link VectorSupport#available()}; returns false for a case it does not cover so the caller
 * falls back to {@link PlainLoops}. The lane width follows {@code SPECIES_PREFERRED}, which honours
 * {@code -XX:UseAVX}.
 */
final class VectorLoops {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private VectorLoops() {}

    static boolean unary(UnaryOp op, float p, float q, float[] x, int xo, int xs, float[] out, int oo, int len) {
        if (xs != 1) return false;
        int bound = S.loopBound(len);
        int i = 0;
        switch (op) {
            case AFFINE -> {
                for (; i < bound; i += S.length()) {
                    FloatVector.fromArray(S, x, xo + i).mul(p).add(q).intoArray(out, oo + i); // no fma: round as ScalarMath does
                }
                for (; i < len; i++) out[oo + i] = p * x[xo + i] + q;
            }
            case RELU -> {
                for (; i < bound; i += S.length()) {
                    FloatVector.fromArray(S, x, xo + i).max(0f).intoArray(out, oo + i);
                }
                for (; i < len; i++) out[oo + i] = Math.max(x[xo + i], 0f);
            }
            // No EXP or TANH here: the vector versions (an intrinsic once compiled, Math.exp per lane before) round
            // differently from Math.exp, so an element's bits would depend on whether it fell in a vector body or
            // a tail (that is, on the thread count) and on the JIT's progress. The scalar loops are exact to a rule.
            default -> {
                return false;
            }
        }
        return true;
    }

    static boolean binary(BinaryOp op, float p, float[] a, int ao, int as, float[] b, int bo, int bs,
                          float[] out, int oo, int len) {
        if (as != 1 || (bs != 1 && bs != 0)) return false;
        int bound = S.loopBound(len);
        int i = 0;
        boolean bScalar = bs == 0;
        FloatVector bb = bScalar ? FloatVector.broadcast(S, b[bo]) : null;
        switch (op) {
            case ADD, SUB -> {
                float scale = op == BinaryOp.ADD ? p : -p;
                for (; i < bound; i += S.length()) {
                    FloatVector vb = bScalar ? bb : FloatVector.fromArray(S, b, bo + i);
                    FloatVector.fromArray(S, a, ao + i).add(vb.mul(scale)).intoArray(out, oo + i);
                }
                for (; i < len; i++) out[oo + i] = a[ao + i] + scale * b[bo + i * bs];
            }
            case MUL -> {
                for (; i < bound; i += S.length()) {
                    FloatVector vb = bScalar ? bb : FloatVector.fromArray(S, b, bo + i);
                    FloatVector.fromArray(S, a, ao + i).mul(vb).intoArray(out, oo + i);
                }
                for (; i < len; i++) out[oo + i] = a[ao + i] * b[bo + i * bs];
            }
            case DIV -> {
                for (; i < bound; i += S.length()) {
                    FloatVector vb = bScalar ? bb : FloatVector.fromArray(S, b, bo + i);
                    FloatVector.fromArray(S, a, ao + i).div(vb).intoArray(out, oo + i);
                }
                for (; i < len; i++) out[oo + i] = a[ao + i] / b[bo + i * bs];
            }
            case RELU_BACKWARD -> {
                if (bScalar) return false;
                for (; i < bound; i += S.length()) {
                    FloatVector va = FloatVector.fromArray(S, a, ao + i);
                    FloatVector vb = FloatVector.fromArray(S, b, bo + i);
                    FloatVector.zero(S).blend(vb, va.compare(VectorOperators.GT, 0f)).intoArray(out, oo + i);
                }
                for (; i < len; i++) out[oo + i] = a[ao + i] > 0 ? b[bo + i] : 0f;
            }
            default -> {
                return false;
            }
        }
        return true;
    }

    /** Sum of {@code len} contiguous floats, lane-parallel. */
    static float sum(float[] x, int xo, int len) {
        int bound = S.loopBound(len);
        FloatVector acc = FloatVector.zero(S);
        int i = 0;
        for (; i < bound; i += S.length()) acc = acc.add(FloatVector.fromArray(S, x, xo + i));
        // reduceLanes(ADD) leaves the order of the additions unspecified (it differs before and after the JIT
        // compiles it), so the lanes are added in index order instead: the same bits on every run.
        float[] lanes = new float[S.length()];
        acc.intoArray(lanes, 0);
        float s = 0;
        for (float lane : lanes) s += lane;
        for (; i < len; i++) s += x[xo + i];
        return s;
    }

    /** out[oo..] += x[xo..] over {@code len} contiguous floats. */
    static void accumulate(float[] x, int xo, float[] out, int oo, int len) {
        int bound = S.loopBound(len);
        int i = 0;
        for (; i < bound; i += S.length()) {
            FloatVector.fromArray(S, out, oo + i).add(FloatVector.fromArray(S, x, xo + i)).intoArray(out, oo + i);
        }
        for (; i < len; i++) out[oo + i] += x[xo + i];
    }
}
