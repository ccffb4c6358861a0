package io.shendu.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Direct convolution for few output channels, where a GEMM register tile of mr output rows would be mostly
 * padding (a depthwise convolution, the input gradient of a one-channel image). With stride-1 positions
 * ({@link CpuConvUnfold#contiguous()}) every row of the unfolded input is a run of the padded image, read in
 * place: the forward sums shifted runs, {@code out[o, j] += Σ_k w[o, k] · padded[tap[k] + j]}, and the weight
 * gradient takes dot products with them, {@code dw[o, k] += Σ_j dy[o, j] · padded[tap[k] + j]}. Load only when
 * {@link VectorSupport#available()}.
 */
final class CpuConvDirect {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private CpuConvDirect() {}

    /** Positions per step of {@link #accumulate}; widths must be multiples of {@link #L}. */
    static int vectorLength() {
        return L;
    }

    /**
     * sums[at + q] += the lanes of the q-th vector added in index order, for four vectors. {@code reduceLanes(ADD)}
     * leaves the order unspecified (it differs before and after the JIT compiles it), which made training results
     * vary from run to run; reading lanes one by one with {@code lane(i)} is slow, so the vectors are stored to a
     * scratch row and summed there, four independent chains.
     */
    private static void add4(float[] sums, int at, FloatVector a0, FloatVector a1, FloatVector a2, FloatVector a3,
                             float[] scratch) {
        a0.intoArray(scratch, 0);
        a1.intoArray(scratch, L);
        a2.intoArray(scratch, 2 * L);
        a3.intoArray(scratch, 3 * L);
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        for (int i = 0; i < L; i++) {
            s0 += scratch[i];
            s1 += scratch[L + i];
            s2 += scratch[2 * L + i];
            s3 += scratch[3 * L + i];
        }
        sums[at] += s0;
        sums[at + 1] += s1;
        sums[at + 2] += s2;
        sums[at + 3] += s3;
    }

    /** The lanes of {@code v} added in index order (see {@link #add4}). */
    private static float sumLanes(FloatVector v, float[] scratch) {
        v.intoArray(scratch, 0);
        float s = 0;
        for (int i = 0; i < L; i++) s += scratch[i];
        return s;
    }

    /**
     * sums[sOff + r·ld + k] += Σ_{j < len} d[dOff + r·len + j] · padded[base + tap[k] + j] for r < rows and
     * k < taps: the weight gradient as dot products along the (padded-row) positions. Three rows and four taps at
     * a time share their loads (twelve accumulators); each (r, k) is summed in vector lanes over j in order and
     * reduced once, so the grouping does not change any result. {@code len} is a multiple of the vector length.
     */
    static void correlate(int rows, float[] d, int dOff, int len, float[] padded, int base, int[] tap, int taps,
                          float[] sums, int sOff, int ld) {
        float[] scratch = new float[4 * L];
        int r = 0;
        for (; r + 3 <= rows; r += 3) {
            correlate3(d, dOff + r * len, len, padded, base, tap, taps, sums, sOff + r * ld, ld, scratch);
        }
        for (; r < rows; r++) correlate1(d, dOff + r * len, len, padded, base, tap, taps, sums, sOff + r * ld, scratch);
    }

    private static void correlate3(float[] d, int dr, int len, float[] padded, int base, int[] tap, int taps,
                                   float[] sums, int sr, int ld, float[] scratch) {
        int k = 0;
        for (; k + 4 <= taps; k += 4) {
            int t0 = base + tap[k], t1 = base + tap[k + 1], t2 = base + tap[k + 2], t3 = base + tap[k + 3];
            FloatVector a00 = FloatVector.zero(S), a01 = a00, a02 = a00, a03 = a00;
            FloatVector a10 = a00, a11 = a00, a12 = a00, a13 = a00, a20 = a00, a21 = a00, a22 = a00, a23 = a00;
            for (int j = 0; j < len; j += L) {
                FloatVector d0 = FloatVector.fromArray(S, d, dr + j);
                FloatVector d1 = FloatVector.fromArray(S, d, dr + len + j);
                FloatVector d2 = FloatVector.fromArray(S, d, dr + 2 * len + j);
                FloatVector p0 = FloatVector.fromArray(S, padded, t0 + j), p1 = FloatVector.fromArray(S, padded, t1 + j);
                FloatVector p2 = FloatVector.fromArray(S, padded, t2 + j), p3 = FloatVector.fromArray(S, padded, t3 + j);
                a00 = p0.fma(d0, a00);
                a01 = p1.fma(d0, a01);
                a02 = p2.fma(d0, a02);
                a03 = p3.fma(d0, a03);
                a10 = p0.fma(d1, a10);
                a11 = p1.fma(d1, a11);
                a12 = p2.fma(d1, a12);
                a13 = p3.fma(d1, a13);
                a20 = p0.fma(d2, a20);
                a21 = p1.fma(d2, a21);
                a22 = p2.fma(d2, a22);
                a23 = p3.fma(d2, a23);
            }
            add4(sums, sr + k, a00, a01, a02, a03, scratch);
            add4(sums, sr + ld + k, a10, a11, a12, a13, scratch);
            add4(sums, sr + 2 * ld + k, a20, a21, a22, a23, scratch);
        }
        for (int r = 0; r < 3; r++) {
            correlateTaps(d, dr + r * len, len, padded, base, tap, k, taps, sums, sr + r * ld, scratch);
        }
    }

    private static void correlate1(float[] d, int dr, int len, float[] padded, int base, int[] tap, int taps,
                                   float[] sums, int sr, float[] scratch) {
        int k = 0;
        for (; k + 4 <= taps; k += 4) {
            int t0 = base + tap[k], t1 = base + tap[k + 1], t2 = base + tap[k + 2], t3 = base + tap[k + 3];
            FloatVector a0 = FloatVector.zero(S), a1 = a0, a2 = a0, a3 = a0;
            for (int j = 0; j < len; j += L) {
                FloatVector dj = FloatVector.fromArray(S, d, dr + j);
                a0 = FloatVector.fromArray(S, padded, t0 + j).fma(dj, a0);
                a1 = FloatVector.fromArray(S, padded, t1 + j).fma(dj, a1);
                a2 = FloatVector.fromArray(S, padded, t2 + j).fma(dj, a2);
                a3 = FloatVector.fromArray(S, padded, t3 + j).fma(dj, a3);
            }
            add4(sums, sr + k, a0, a1, a2, a3, scratch);
        }
        correlateTaps(d, dr, len, padded, base, tap, k, taps, sums, sr, scratch);
    }

    /** Taps {@code [k0, taps)} of one row, one at a time. */
    private static void correlateTaps(float[] d, int dr, int len, float[] padded, int base, int[] tap, int k0, int taps,
                                      float[] sums, int sr, float[] scratch) {
        for (int k = k0; k < taps; k++) {
            int t0 = base + tap[k];
            FloatVector a0 = FloatVector.zero(S);
            for (int j = 0; j < len; j += L) {
                a0 = FloatVector.fromArray(S, padded, t0 + j).fma(FloatVector.fromArray(S, d, dr + j), a0);
            }
            sums[sr + k] += sumLanes(a0, scratch);
        }
    }

    /**
     * out[r·ld + t] += Σ_{k < taps} w[wOff + r·taps + k] · padded[base + tap[k] + j0 + t] for r < rows and
     * t < width, a multiple of the vector length. Three rows at a time share each tap's loads (twelve
     * accumulators over four vectors of positions); every output adds its taps in order, whatever the grouping.
     */
    static void accumulate(int rows, float[] w, int wOff, int taps, float[] padded, int base, int[] tap, int j0,
                           int width, float[] out, int ld) {
        int r = 0;
        for (; r + 3 <= rows; r += 3) accumulate3(w, wOff + r * taps, taps, padded, base + j0, tap, width, out, r * ld, ld);
        for (; r < rows; r++) accumulate1(w, wOff + r * taps, taps, padded, base + j0, tap, width, out, r * ld);
    }

    private static void accumulate3(float[] w, int wr, int taps, float[] padded, int at0, int[] tap, int width,
                                    float[] out, int or, int ld) {
        int t = 0;
        for (; t + 4 * L <= width; t += 4 * L) {
            int o0 = or + t, o1 = o0 + ld, o2 = o1 + ld;
            FloatVector a00 = FloatVector.fromArray(S, out, o0), a01 = FloatVector.fromArray(S, out, o0 + L);
            FloatVector a02 = FloatVector.fromArray(S, out, o0 + 2 * L), a03 = FloatVector.fromArray(S, out, o0 + 3 * L);
            FloatVector a10 = FloatVector.fromArray(S, out, o1), a11 = FloatVector.fromArray(S, out, o1 + L);
            FloatVector a12 = FloatVector.fromArray(S, out, o1 + 2 * L), a13 = FloatVector.fromArray(S, out, o1 + 3 * L);
            FloatVector a20 = FloatVector.fromArray(S, out, o2), a21 = FloatVector.fromArray(S, out, o2 + L);
            FloatVector a22 = FloatVector.fromArray(S, out, o2 + 2 * L), a23 = FloatVector.fromArray(S, out, o2 + 3 * L);
            int at = at0 + t;
            for (int k = 0; k < taps; k++) {
                int src = at + tap[k];
                FloatVector x0 = FloatVector.fromArray(S, padded, src), x1 = FloatVector.fromArray(S, padded, src + L);
                FloatVector x2 = FloatVector.fromArray(S, padded, src + 2 * L);
                FloatVector x3 = FloatVector.fromArray(S, padded, src + 3 * L);
                FloatVector w0 = FloatVector.broadcast(S, w[wr + k]);
                FloatVector w1 = FloatVector.broadcast(S, w[wr + taps + k]);
                FloatVector w2 = FloatVector.broadcast(S, w[wr + 2 * taps + k]);
                a00 = x0.fma(w0, a00);
                a01 = x1.fma(w0, a01);
                a02 = x2.fma(w0, a02);
                a03 = x3.fma(w0, a03);
                a10 = x0.fma(w1, a10);
                a11 = x1.fma(w1, a11);
                a12 = x2.fma(w1, a12);
                a13 = x3.fma(w1, a13);
                a20 = x0.fma(w2, a20);
                a21 = x1.fma(w2, a21);
                a22 = x2.fma(w2, a22);
                a23 = x3.fma(w2, a23);
            }
            a00.intoArray(out, o0);
            a01.intoArray(out, o0 + L);
            a02.intoArray(out, o0 + 2 * L);
            a03.intoArray(out, o0 + 3 * L);
            a10.intoArray(out, o1);
            a11.intoArray(out, o1 + L);
            a12.intoArray(out, o1 + 2 * L);
            a13.intoArray(out, o1 + 3 * L);
            a20.intoArray(out, o2);
            a21.intoArray(out, o2 + L);
            a22.intoArray(out, o2 + 2 * L);
            a23.intoArray(out, o2 + 3 * L);
        }
        for (; t < width; t += L) {
            int o0 = or + t;
            FloatVector a0 = FloatVector.fromArray(S, out, o0), a1 = FloatVector.fromArray(S, out, o0 + ld);
            FloatVector a2 = FloatVector.fromArray(S, out, o0 + 2 * ld);
            int at = at0 + t;
            for (int k = 0; k < taps; k++) {
                FloatVector x = FloatVector.fromArray(S, padded, at + tap[k]);
                a0 = x.fma(FloatVector.broadcast(S, w[wr + k]), a0);
                a1 = x.fma(FloatVector.broadcast(S, w[wr + taps + k]), a1);
                a2 = x.fma(FloatVector.broadcast(S, w[wr + 2 * taps + k]), a2);
            }
            a0.intoArray(out, o0);
            a1.intoArray(out, o0 + ld);
            a2.intoArray(out, o0 + 2 * ld);
        }
    }

    private static void accumulate1(float[] w, int wr, int taps, float[] padded, int at0, int[] tap, int width,
                                    float[] out, int or) {
        int t = 0;
        for (; t + 4 * L <= width; t += 4 * L) {
            FloatVector a0 = FloatVector.fromArray(S, out, or + t), a1 = FloatVector.fromArray(S, out, or + t + L);
            FloatVector a2 = FloatVector.fromArray(S, out, or + t + 2 * L);
            FloatVector a3 = FloatVector.fromArray(S, out, or + t + 3 * L);
            int at = at0 + t;
            for (int k = 0; k < taps; k++) {
                FloatVector wk = FloatVector.broadcast(S, w[wr + k]);
                int src = at + tap[k];
                a0 = FloatVector.fromArray(S, padded, src).fma(wk, a0);
                a1 = FloatVector.fromArray(S, padded, src + L).fma(wk, a1);
                a2 = FloatVector.fromArray(S, padded, src + 2 * L).fma(wk, a2);
                a3 = FloatVector.fromArray(S, padded, src + 3 * L).fma(wk, a3);
            }
            a0.intoArray(out, or + t);
            a1.intoArray(out, or + t + L);
            a2.intoArray(out, or + t + 2 * L);
            a3.intoArray(out, or + t + 3 * L);
        }
        for (; t < width; t += L) {
            FloatVector a0 = FloatVector.fromArray(S, out, or + t);
            int at = at0 + t;
            for (int k = 0; k < taps; k++) {
                a0 = FloatVector.fromArray(S, padded, at + tap[k]).fma(FloatVector.broadcast(S, w[wr + k]), a0);
            }
            a0.intoArray(out, or + t);
        }
    }
}
