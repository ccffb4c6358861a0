package io.shendu.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API micro-kernel: a 6 × (2 vectors) tile of C held in twelve vector registers, updated by
 * broadcasting one value of A against two vectors of B per row and step of k.
 *
 * <p>The species is {@link FloatVector#SPECIES_PREFERRED}, which follows the JVM's {@code -XX:UseAVX}
 * (a 512-bit species on a JVM that does not use AVX-512 would fall back to slow Java code). Twelve
 * accumulators plus two B vectors and a broadcast fit both the 16 AVX2 and the 32 AVX-512 registers.
 *
 * <p>Two things keep C2 on the fast path, and both were measured: the loop's induction variable is the index
 * into B, so C2 removes the bounds checks of the B loads (indexing by {@code p·NR} left them in, at a third of
 * the speed); and no vector is passed to a helper method, since a helper that failed to inline (C2's node
 * budget) boxed every accumulator. Load only when {@link VectorSupport#available()}.
 */
final class SgemmVectorKernel implements SgemmKernel {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final int MR = 6;
    private static final int NR = 2 * L;

    @Override
    public int mr() {
        return MR;
    }

    @Override
    public int nr() {
        return NR;
    }

    @Override
    public void multiply(int kc, float[] ap, int aIdx, float[] bp, int bIdx, float[] c, int cIdx, int ldc) {
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00;
        FloatVector c30 = c00, c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00;
        for (int a = aIdx, b = bIdx, bEnd = bIdx + kc * NR; b < bEnd; a += MR, b += NR) {
            FloatVector b0 = FloatVector.fromArray(S, bp, b), b1 = FloatVector.fromArray(S, bp, b + L);
            FloatVector x = FloatVector.broadcast(S, ap[a]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(S, ap[a + 1]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(S, ap[a + 2]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(S, ap[a + 3]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            x = FloatVector.broadcast(S, ap[a + 4]);
            c40 = x.fma(b0, c40);
            c41 = x.fma(b1, c41);
            x = FloatVector.broadcast(S, ap[a + 5]);
            c50 = x.fma(b0, c50);
            c51 = x.fma(b1, c51);
        }
        int i = cIdx;
        c00.add(FloatVector.fromArray(S, c, i)).intoArray(c, i);
        c01.add(FloatVector.fromArray(S, c, i + L)).intoArray(c, i + L);
        i += ldc;
        c10.add(FloatVector.fromArray(S, c, i)).intoArray(c, i);
        c11.add(FloatVector.fromArray(S, c, i + L)).intoArray(c, i + L);
        i += ldc;
        c20.add(FloatVector.fromArray(S, c, i)).intoArray(c, i);
        c21.add(FloatVector.fromArray(S, c, i + L)).intoArray(c, i + L);
        i += ldc;
        c30.add(FloatVector.fromArray(S, c, i)).intoArray(c, i);
        c31.add(FloatVector.fromArray(S, c, i + L)).intoArray(c, i + L);
        i += ldc;
        c40.add(FloatVector.fromArray(S, c, i)).intoArray(c, i);
        c41.add(FloatVector.fromArray(S, c, i + L)).intoArray(c, i + L);
        i += ldc;
        c50.add(FloatVector.fromArray(S, c, i)).intoArray(c, i);
        c51.add(FloatVector.fromArray(S, c, i + L)).intoArray(c, i + L);
    }
}
