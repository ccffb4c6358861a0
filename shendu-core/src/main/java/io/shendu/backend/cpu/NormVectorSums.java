package io.shendu.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The per-segment sums of batch norm in vector lanes. Each block of {@link #BLOCK} elements is summed in float
 * lanes (four vectors of independent accumulators, so every lane adds only a handful of values), the block's lanes
 * are added in index order, and the block totals are added in double. The order of every addition is fixed by
 * the segment's length alone, never by the JIT or the thread count ({@code reduceLanes} would leave it open).
 * Load only when {@link VectorSupport#available()}.
 */
final class NormVectorSums {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Elements per float block; a multiple of 4·L. */
    private static final int BLOCK = 64 * L;

    private NormVectorSums() {}

    /** Writes Σ(a − k) and Σ(a − k)² over {@code a[off, off + len)} into {@code out[0]}, {@code out[1]}. */
    static void shiftedSums(float[] a, int off, int len, float k, double[] out) {
        FloatVector shift = FloatVector.broadcast(S, k);
        float[] lanes = new float[L];
        double sum = 0, squares = 0;
        int i = off, end = off + len;
        while (end - i >= 4 * L) {
            int stop = i + Math.min(BLOCK, (end - i) / (4 * L) * (4 * L));
            FloatVector s0 = FloatVector.zero(S), s1 = s0, s2 = s0, s3 = s0, q0 = s0, q1 = s0, q2 = s0, q3 = s0;
            for (; i < stop; i += 4 * L) {
                FloatVector d0 = FloatVector.fromArray(S, a, i).sub(shift);
                FloatVector d1 = FloatVector.fromArray(S, a, i + L).sub(shift);
                FloatVector d2 = FloatVector.fromArray(S, a, i + 2 * L).sub(shift);
                FloatVector d3 = FloatVector.fromArray(S, a, i + 3 * L).sub(shift);
                s0 = s0.add(d0);
                s1 = s1.add(d1);
                s2 = s2.add(d2);
                s3 = s3.add(d3);
                q0 = d0.fma(d0, q0);
                q1 = d1.fma(d1, q1);
                q2 = d2.fma(d2, q2);
                q3 = d3.fma(d3, q3);
            }
            sum += sumLanes(s0.add(s1).add(s2.add(s3)), lanes);
            squares += sumLanes(q0.add(q1).add(q2.add(q3)), lanes);
        }
        for (; i < end; i++) {
            double d = a[i] - k;
            sum += d;
            squares += d * d;
        }
        out[0] = sum;
        out[1] = squares;
    }

    /**
     * Writes Σg and Σ g·(x − mean) over {@code g[gOff, gOff + len)} and {@code x[xOff, xOff + len)} into
     * {@code out[0]}, {@code out[1]}.
     */
    static void sumAndDotCentered(float[] g, int gOff, float[] x, int xOff, int len, float mean, double[] out) {
        FloatVector mu = FloatVector.broadcast(S, mean);
        float[] lanes = new float[L];
        double sum = 0, dot = 0;
        int d = xOff - gOff;   // x's index minus g's
        int i = gOff, end = gOff + len;
        while (end - i >= 4 * L) {
            int stop = i + Math.min(BLOCK, (end - i) / (4 * L) * (4 * L));
            FloatVector s0 = FloatVector.zero(S), s1 = s0, s2 = s0, s3 = s0, p0 = s0, p1 = s0, p2 = s0, p3 = s0;
            for (; i < stop; i += 4 * L) {
                FloatVector g0 = FloatVector.fromArray(S, g, i), g1 = FloatVector.fromArray(S, g, i + L);
                FloatVector g2 = FloatVector.fromArray(S, g, i + 2 * L), g3 = FloatVector.fromArray(S, g, i + 3 * L);
                s0 = s0.add(g0);
                s1 = s1.add(g1);
                s2 = s2.add(g2);
                s3 = s3.add(g3);
                p0 = FloatVector.fromArray(S, x, i + d).sub(mu).fma(g0, p0);
                p1 = FloatVector.fromArray(S, x, i + d + L).sub(mu).fma(g1, p1);
                p2 = FloatVector.fromArray(S, x, i + d + 2 * L).sub(mu).fma(g2, p2);
                p3 = FloatVector.fromArray(S, x, i + d + 3 * L).sub(mu).fma(g3, p3);
            }
            sum += sumLanes(s0.add(s1).add(s2.add(s3)), lanes);
            dot += sumLanes(p0.add(p1).add(p2.add(p3)), lanes);
        }
        for (; i < end; i++) {
            sum += g[i];
            dot += (double) g[i] * (x[i + d] - mean);
        }
        out[0] = sum;
        out[1] = dot;
    }

    /** The lanes added in index order, in double (stored to {@code lanes} and read back: {@code lane(i)} is slow). */
    private static double sumLanes(FloatVector v, float[] lanes) {
        v.intoArray(lanes, 0);
        double s = 0;
        for (int i = 0; i < L; i++) s += lanes[i];
        return s;
    }
}
