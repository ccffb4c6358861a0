package io.shendu.backend.cpu;

/**
 * An SGEMM micro-kernel: multiplies one packed MR×kc micro-panel of A by one packed kc×NR micro-panel of B
 * and adds the product to the MR×NR tile of C: {@code C += A·B}.
 *
 * <p>Packed A holds, for each p, the MR values of column p; packed B holds, for each p, the NR values of row p
 * (see {@link SgemmPacking}).
 */
interface SgemmKernel {

    /** Rows of the register tile. */
    int mr();

    /** Columns of the register tile. */
    int nr();

    void multiply(int kc, float[] ap, int aIdx, float[] bp, int bIdx, float[] c, int cIdx, int ldc);
}
