package io.shendu.backend.cpu;

import java.util.Arrays;

/**
 * Copies blocks of op(A) and op(B) into the contiguous, zero-padded layouts the micro-kernels stream through.
 * Transposed operands are transposed here, block by block, so no full transpose is ever materialised.
 *
 * <p>Every loop reads its source along stored rows, so the hardware prefetcher sees sequential streams; the
 * scattered writes land in the packing buffer, which is small enough to stay in cache.
 */
final class SgemmPacking {

    private SgemmPacking() {}

    /**
     * Packs alpha · op(A)[i0 : i0+mc, p0 : p0+kc] into micro-panels of {@code mr} rows: the panel of rows
     * r0 .. r0+mr holds, for each p, the {@code mr} values of column p at {@code dst[r0·kc + p·mr + r]}. Rows
     * past mc are zero.
     */
    static void packA(SgemmCall g, int i0, int mc, int p0, int kc, int mr, float[] dst) {
        float[] a = g.a();
        float alpha = g.alpha();
        int tail = mc % mr;
        if (tail != 0) Arrays.fill(dst, (mc - tail) * kc, (mc - tail + mr) * kc, 0f);
        if (g.transA()) {
            // op(A)(i, p) = a[p*lda + i]: row p of the stored matrix holds column p of op(A).
            for (int p = 0; p < kc; p++) {
                int src = g.aOff() + (p0 + p) * g.lda() + i0;
                for (int r0 = 0; r0 < mc; r0 += mr) {
                    int rows = Math.min(mr, mc - r0), d = r0 * kc + p * mr;
                    for (int r = 0; r < rows; r++) dst[d + r] = alpha * a[src + r0 + r];
                }
            }
        } else {
            for (int i = 0; i < mc; i++) {
                int src = g.aOff() + (i0 + i) * g.lda() + p0, d = (i / mr) * mr * kc + i % mr;
                for (int p = 0; p < kc; p++) dst[d + p * mr] = alpha * a[src + p];
            }
        }
    }

    /**
     * Packs op(B)[p0 : p0+kc, j0 : j0+nc] into micro-panels of {@code nr} columns: the panel of columns
     * q0 .. q0+nr holds, for each p, the {@code nr} values of row p at {@code dst[q0·kc + p·nr + j]}. Columns
     * past nc are zero.
     */
    static void packB(SgemmCall g, int p0, int kc, int j0, int nc, int nr, float[] dst) {
        float[] b = g.b();
        int tail = nc % nr, full = nc - tail;
        if (tail != 0) Arrays.fill(dst, full * kc, (full + nr) * kc, 0f);
        if (g.transB()) {
            // op(B)(p, j) = b[j*ldb + p]: stored row j holds column j of op(B).
            for (int j = 0; j < nc; j++) {
                int src = g.bOff() + (j0 + j) * g.ldb() + p0, d = (j / nr) * nr * kc + j % nr;
                for (int p = 0; p < kc; p++) dst[d + p * nr] = b[src + p];
            }
        } else {
            for (int p = 0; p < kc; p++) {
                int src = g.bOff() + (p0 + p) * g.ldb() + j0;
                for (int q0 = 0; q0 < full; q0 += nr) System.arraycopy(b, src + q0, dst, q0 * kc + p * nr, nr);
                if (tail != 0) System.arraycopy(b, src + full, dst, full * kc + p * nr, tail);
            }
        }
    }
}
