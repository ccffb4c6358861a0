package io.shendu.backend.cpu;

import io.shendu.backend.PoolKernels.Planes;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorShuffle;
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
    private static final VectorShuffle<Float> LOW_PAIRS = interleave(0), HIGH_PAIRS = interleave(L / 2);
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

    /**
     * Whether {@link #reluBackward} pays for these planes: it needs a byte vector with as many lanes as {@code F},
     * and rows of at least half the lanes (a 5-wide row would leave most lanes idle; the scalar loop is faster).
     */
    static boolean suitsReluBackward(Planes p) {
        return B != null && p.outW() >= L / 2;
    }

    /**
     * Planes {@code [c0, c1)} of {@link io.shendu.backend.PoolKernels#maxPool2x2ReluBackward}, a row of outputs at a
     * time: each slot's gradient is the upstream one where the window position names the slot and 0 elsewhere
     * (blends on the codes), and the two slots of a row are interleaved into the input row by two-vector shuffles.
     * A row shorter than the lanes uses masked loads and stores. Input elements no window covers are left alone.
     */
    static void reluBackward(Planes p, float[] gradOut, int gOff, byte[] which, float[] gradIn, int c0, int c1) {
        int outW = p.outW(), width = p.inW();
        for (int c = c0; c < c1; c++) {
            for (int oh = 0; oh < p.outH(); oh++) {
                int o = c * p.outSize() + oh * outW, top = c * p.inSize() + 2 * oh * width, bottom = top + width;
                for (int ow = 0; ow < outW; ow += L) {
                    int n = Math.min(L, outW - ow);
                    FloatVector g = FloatVector.fromArray(F, gradOut, gOff + o + ow, F.indexInRange(0, n))
                            .add(0f);   // −0 becomes +0, as when it is added onto a zero
                    IntVector k = (IntVector) ByteVector.fromArray(B, which, o + ow, B.indexInRange(0, n))
                            .convertShape(VectorOperators.B2I, I, 0);
                    FloatVector zero = FloatVector.zero(F);
                    FloatVector g0 = zero.blend(g, k.eq(0).cast(F)), g1 = zero.blend(g, k.eq(1).cast(F));
                    FloatVector g2 = zero.blend(g, k.eq(2).cast(F)), g3 = zero.blend(g, k.eq(3).cast(F));
                    VectorMask<Float> first = F.indexInRange(0, 2 * n), second = F.indexInRange(L, 2 * n);
                    int at = 2 * ow;
                    g0.rearrange(LOW_PAIRS, g1).intoArray(gradIn, top + at, first);
                    g0.rearrange(HIGH_PAIRS, g1).intoArray(gradIn, top + at + L, second);
                    g2.rearrange(LOW_PAIRS, g3).intoArray(gradIn, bottom + at, first);
                    g2.rearrange(HIGH_PAIRS, g3).intoArray(gradIn, bottom + at + L, second);
                }
            }
        }
    }

    /**
     * Interleaves the lanes {@code [base, base + L/2)} of two vectors, {@code a.rearrange(s, b)} giving
     * {@code a[base], b[base], a[base + 1], b[base + 1], ...}; an index below 0 (exceptional) selects from b.
     */
    private static VectorShuffle<Float> interleave(int base) {
        int[] index = new int[L];
        for (int j = 0; j < L / 2; j++) {
            index[2 * j] = base + j;
            index[2 * j + 1] = base + j - L;
        }
        return VectorShuffle.fromArray(F, index, 0);
    }

    /** Lanes where {@code v} replaces the running best: greater, or NaN. */
    private static VectorMask<Float> replaces(FloatVector v, FloatVector best) {
        return v.compare(VectorOperators.GT, best).or(v.compare(VectorOperators.NE, v));
    }
}
