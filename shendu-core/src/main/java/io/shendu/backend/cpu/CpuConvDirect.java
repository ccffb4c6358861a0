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
     * The lanes of {@code v} added in index order. {@code reduceLanes(ADD)} leaves the order unspecified (it differs
     * before and after the JIT compiles it), which made training results vary from run to run.
     */
    private static float sumLanes(FloatVector v) {
        float s = 0;
        for (int i = 0; i < L; i++) s += v.lane(i);
        return s;
    }

    /**
     * sums[sOff + r·ld + k] += Σ_{j < len} d[dOff + r·len + j] · padded[base + tap[k] + j] for r < rows and
     * k < taps: the weight gradient as dot products along the (padded-row) positions, four taps at a time, each
     * summed in vector lanes and reduced once. {@code len} is a multiple of the vector length.
     */
    static void correlate(int rows, float[] d, int dOff, int len, float[] padded, int base, int[] tap, int taps,
                          float[] sums, int sOff, int ld) {
        for (int r = 0; r < rows; r++) {
            int dr = dOff + r * len, sr = sOff + r * ld;
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
                sums[sr + k] += sumLanes(a0);
                sums[sr + k + 1] += sumLanes(a1);
                sums[sr + k + 2] += sumLanes(a2);
                sums[sr + k + 3] += sumLanes(a3);
            }
            for (; k < taps; k++) {
                int t0 = base + tap[k];
                FloatVector a0 = FloatVector.zero(S);
                for (int j = 0; j < len; j += L) {
                    a0 = FloatVector.fromArray(S, padded, t0 + j).fma(FloatVector.fromArray(S, d, dr + j), a0);
                }
                sums[sr + k] += sumLanes(a0);
            }
        }
    }

    /**
     * out[r·ld + t] += Σ_{k < taps} w[wOff + r·taps + k] · padded[base + tap[k] + j0 + t] for r < rows and
     * t < width, a multiple of the vector length.
     */
    static void accumulate(int rows, float[] w, int wOff, int taps, float[] padded, int base, int[] tap, int j0,
                           int width, float[] out, int ld) {
        for (int r = 0; r < rows; r++) {
            int wr = wOff + r * taps, or = r * ld;
            int t = 0;
            for (; t + 4 * L <= width; t += 4 * L) {
                FloatVector a0 = FloatVector.fromArray(S, out, or + t), a1 = FloatVector.fromArray(S, out, or + t + L);
                FloatVector a2 = FloatVector.fromArray(S, out, or + t + 2 * L);
                FloatVector a3 = FloatVector.fromArray(S, out, or + t + 3 * L);
                int at = base + j0 + t;
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
                int at = base + j0 + t;
                for (int k = 0; k < taps; k++) {
                    a0 = FloatVector.fromArray(S, padded, at + tap[k]).fma(FloatVector.broadcast(S, w[wr + k]), a0);
                }
                a0.intoArray(out, or + t);
            }
        }
    }
}
