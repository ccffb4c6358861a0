package io.shendu.backend.cpu;

import java.util.Arrays;

/**
 * Copies blocks of op(A) and op(B) into the contiguous, zero-padded layouts the micro-kernels stream through.
 * Transposed operands are transposed here, block by block, so no full transpose is ever materialised.
 */
final class SgemmPacking {

    private SgemmPacking() {}

    /**
     * Packs alpha · op(A)[i0 : i0+mc, p0 : p0+kc] into micro-panels of {@code mr} rows: panel r holds, for each
     * p, the {@code mr} values of column p, at {@code dst[r·mr·kc + p·mr + row]}. Rows past mc are zero.
     */
    static void packA(SgemmCall g, int i0, int mc, int p0, int kc, int mr, float[] dst) {
        float[] a = g.a();
        float alpha = g.alpha();
        for (int r0 = 0; r0 < mc; r0 += mr) {
            int rows = Math.min(mr, mc - r0), base = r0 * kc;
            if (rows < mr) Arrays.fill(dst, base, base + mr * kc, 0f);
            if (g.transA()) {
                // op(A)(i, p) = a[p*lda + i]: the mr values of column p are contiguous in a.
                for (int p = 0; p < kc; p++) {
                    int src = g.aOff() + (p0 + p) * g.lda() + i0 + r0, d = base + p * mr;
                    for (int r = 0; r < rows; r++) dst[d + r] = alpha * a[src + r];
                }
            } else {
                for (int r = 0; r < rows; r++) {
                    int src = g.aOff() + (i0 + r0 + r) * g.lda() + p0, d = base + r;
                    for (int p = 0; p < kc; p++) dst[d + p * mr] = alpha * a[src + p];
                }
            }
        }
    }

    /**
     * Packs op(B)[p0 : p0+kc, j0 : j0+nc] into micro-panels of {@code nr} columns: panel q holds, for each p,
     * the {@code nr} values of row p, at {@code dst[q·nr·kc + p·nr + col]}. Columns past nc are zero.
     */
    static void packB(SgemmCall g, int p0, int kc, int j0, int nc, int nr, float[] dst, int dstOff) {
        float[] b = g.b();
        for (int q0 = 0; q0 < nc; q0 += nr) {
            int cols = Math.min(nr, nc - q0), base = dstOff + q0 * kc;
            if (cols < nr) Arrays.fill(dst, base, base + nr * kc, 0f);
            if (g.transB()) {
                // op(B)(p, j) = b[j*ldb + p]: read each stored row of b once, scatter with stride nr.
                for (int j = 0; j < cols; j++) {
                    int src = g.bOff() + (j0 + q0 + j) * g.ldb() + p0, d = base + j;
                    for (int p = 0; p < kc; p++) dst[d + p * nr] = b[src + p];
                }
            } else {
                for (int p = 0; p < kc; p++) {
                    System.arraycopy(b, g.bOff() + (p0 + p) * g.ldb() + j0 + q0, dst, base + p * nr, cols);
                }
            }
        }
    }
}
