package io.shendu.backend.cpu;

import io.shendu.backend.PoolKernels.Planes;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The 2×2 stride-2 max pool in vector lanes. A scalar loop spends most of its time in mispredicted branches (which
 * of four values is largest is a coin toss on real activations); here each lane gathers the four values of one
 * window and the running maximum is chosen with masks and blends, in the reference's order: a later value
 * replaces the best when it is greater or NaN, so ties keep the first, NaN wins and {@code -0.0} before
 * {@code 0.0} stays {@code -0.0}. Several small planes are handled as one run of outputs so that 5×5 or 7×7
 * outputs still fill the lanes. The argmax (the flat index within its plane) is written only when asked for: a
 * forward without autograd needs none. For a pool fused after a ReLU, a byte per output holds the window position instead. Load only when {@link VectorSupport#available()}.
 */
final class MaxPool2x2Vector {

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> I = VectorSpecies.of(int.class, F.vectorShape());
    private static final int L = F.length();
    /** Bytes with as many lanes as {@code F}; null below 8 lanes, for which there is no byte vector shape. */
    private static final VectorSpecies<Byte> B = L >= 8 ? VectorSpecies.of(byte.class, VectorShape.forBitSize(8 * L)) : null;
    /** Outputs per run, at least: small planes are grouped until a run holds this many. */
    private static final int RUN = 256;

    private MaxPool2x2Vector() {}

    /** Where each output of a run of {@code planes} planes reads its window, and its argmax within its plane. */
    private record Run(int planes, int[] offset, int[] local) {
        static Run of(Planes p) {
            int planes = Math.max(1, Math.ceilDiv(RUN, p.outSize()));
            int n = planes * p.outSize();
            int[] offset = new int[n], local = new int[n];
            for (int g = 0, o = 0; g < planes; g++) {
                for (int oh = 0; oh < p.outH(); oh++) {
                    for (int ow = 0; ow < p.outW(); ow++, o++) {
                        local[o] = 2 * oh * p.inW() + 2 * ow;
                        offset[o] = g * p.inSize() + local[o];
                    }
                }
            }
            return new Run(planes, offset, local);
        }
    }

    /**
     * Planes {@code [c0, c1)}: out[c, oh, ow] = max of x's window; argmax (when not null) gets its flat index in the
     * plane, which (when not null) its window position 0..3, or -1 where the maximum is not positive (see
     * {@link io.shendu.backend.PoolKernels#maxPool2x2Relu}).
     */
    static void planes(Planes p, float[] x, int xOff, float[] out, int[] argmax, byte[] which, int c0, int c1) {
        Run run = Run.of(p);
        int width = p.inW();
        boolean scalarOnly = which != null && B == null;   // no byte shape this narrow
        for (int c = c0; c < c1; c += run.planes) {
            int n = Math.min(run.planes, c1 - c) * p.outSize();
            int in = xOff + c * p.inSize(), o = c * p.outSize();
            int i = 0;
            for (int bound = scalarOnly ? 0 : n; i + L <= bound; i += L) {
                FloatVector best = FloatVector.fromArray(F, x, in, run.offset, i);
                FloatVector b = FloatVector.fromArray(F, x, in + 1, run.offset, i);
                FloatVector cv = FloatVector.fromArray(F, x, in + width, run.offset, i);
                FloatVector d = FloatVector.fromArray(F, x, in + width + 1, run.offset, i);
                VectorMask<Float> mb = replaces(b, best);
                best = best.blend(b, mb);
                VectorMask<Float> mc = replaces(cv, best);
                best = best.blend(cv, mc);
                VectorMask<Float> md = replaces(d, best);
                best = best.blend(d, md);
                best.intoArray(out, o + i);
                if (argmax != null) {
                    IntVector at = IntVector.fromArray(I, run.local, i);
                    IntVector pick = IntVector.zero(I).blend(1, mb.cast(I)).blend(width, mc.cast(I))
                            .blend(width + 1, md.cast(I));
                    at.add(pick).intoArray(argmax, o + i);
                }
                if (which != null) {
                    IntVector code = IntVector.zero(I).blend(1, mb.cast(I)).blend(2, mc.cast(I)).blend(3, md.cast(I))
                            .blend(-1, best.compare(VectorOperators.GT, 0f).not().cast(I));
                    ((ByteVector) code.convertShape(VectorOperators.I2B, B, 0)).intoArray(which, o + i);
                }
            }
            for (; i < n; i++) {
                int a = in + run.offset[i], k = CpuPool.windowMax(x, a, width);
                float best = x[a + (k >> 1) * width + (k & 1)];
                out[o + i] = best;
                if (argmax != null) argmax[o + i] = run.local[i] + (k >> 1) * width + (k & 1);
                if (which != null) which[o + i] = best > 0 ? (byte) k : -1;
            }
        }
    }

    /** Lanes where {@code v} replaces the running best: greater, or NaN. */
    private static VectorMask<Float> replaces(FloatVector v, FloatVector best) {
        return v.compare(VectorOperators.GT, best).or(v.compare(VectorOperators.NE, v));
    }
}
