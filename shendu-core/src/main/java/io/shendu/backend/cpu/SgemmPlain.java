package io.shendu.backend.cpu;

import java.util.Arrays;

/**
 * The plain-loop SGEMM path, for JVMs without the Vector API.
 *
 * <p>Each row of C is built as a run of axpy updates {@code acc += A(i,p) · B(p, :)} over a block of op(B)
 * copied into separate row arrays. The separate rows matter: C2 auto-vectorises {@code acc[j] += x·row[j]},
 * but not the same loop over one flat array at two offsets, where it cannot rule out a loop-carried overlap
 * (measured on JDK 25: about 20 GFLOP/s against 4). Four rows of B per pass quarter the traffic on acc.
 */
final class SgemmPlain {

    private static final int KC = 256;
    private static final int NC = 512;

    private SgemmPlain() {}

    static void run(SgemmCall g) {
        SgemmDriver.forBlocks(g, 1, 16, (i0, i1, j0, j1) -> block(g, i0, i1, j0, j1));
    }

    /** C[i0:i1, j0:j1] = alpha · op(A)[i0:i1, :] · op(B)[:, j0:j1] + beta · C[i0:i1, j0:j1]. */
    private static void block(SgemmCall g, int i0, int i1, int j0, int j1) {
        SgemmDriver.scale(g, i0, i1, j0, j1);
        int width = Math.min(NC, j1 - j0);
        float[][] rows = new float[Math.min(KC, g.k())][width];
        float[] acc = new float[width];
        for (int p0 = 0; p0 < g.k(); p0 += KC) {
            int kc = Math.min(KC, g.k() - p0);
            for (int jc = j0; jc < j1; jc += NC) {
                int w = Math.min(NC, j1 - jc);
                copyB(g, p0, kc, jc, w, rows);
                for (int i = i0; i < i1; i++) {
                    Arrays.fill(acc, 0f);
                    rowTimesBlock(g, i, p0, kc, rows, acc);
                    int ci = g.cOff() + i * g.ldc() + jc;
                    for (int j = 0; j < w; j++) g.c()[ci + j] += acc[j];
                }
            }
        }
    }

    /** rows[p][0:w] = op(B)(p0 + p, jc : jc+w). */
    private static void copyB(SgemmCall g, int p0, int kc, int jc, int w, float[][] rows) {
        float[] b = g.b();
        if (g.transB()) {
            for (int j = 0; j < w; j++) {
                int src = g.bOff() + (jc + j) * g.ldb() + p0;
                for (int p = 0; p < kc; p++) rows[p][j] = b[src + p];
            }
        } else {
            for (int p = 0; p < kc; p++) System.arraycopy(b, g.bOff() + (p0 + p) * g.ldb() + jc, rows[p], 0, w);
        }
    }

    /** acc += alpha · op(A)(i, p0 : p0+kc) · rows[0:kc]. */
    private static void rowTimesBlock(SgemmCall g, int i, int p0, int kc, float[][] rows, float[] acc) {
        float alpha = g.alpha();
        int p = 0;
        for (; p + 4 <= kc; p += 4) {
            float x0 = alpha * g.opA(i, p0 + p), x1 = alpha * g.opA(i, p0 + p + 1);
            float x2 = alpha * g.opA(i, p0 + p + 2), x3 = alpha * g.opA(i, p0 + p + 3);
            float[] r0 = rows[p], r1 = rows[p + 1], r2 = rows[p + 2], r3 = rows[p + 3];
            for (int j = 0; j < acc.length; j++) acc[j] += x0 * r0[j] + x1 * r1[j] + x2 * r2[j] + x3 * r3[j];
        }
        for (; p < kc; p++) {
            float x = alpha * g.opA(i, p0 + p);
            float[] r = rows[p];
            for (int j = 0; j < acc.length; j++) acc[j] += x * r[j];
        }
    }
}
