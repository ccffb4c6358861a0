package io.shendu.backend.cpu;

/** The arguments of one {@link Sgemm#sgemm} call, with the accessors the packing routines need. */
record SgemmCall(boolean transA, boolean transB, int m, int n, int k, float alpha,
        float[] a, int aOff, int lda, float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {

    /** Throws {@link IllegalArgumentException} naming sgemm and the offending values. */
    void validate() {
        if (m < 0 || n < 0 || k < 0) fail("sizes must be >= 0");
        if (a == null || b == null || c == null) fail("arrays must not be null");
        if (aOff < 0 || bOff < 0 || cOff < 0) fail("offsets must be >= 0");
        int aCols = transA ? m : k, bCols = transB ? k : n;
        if (lda < Math.max(1, aCols)) fail("lda " + lda + " < " + Math.max(1, aCols));
        if (ldb < Math.max(1, bCols)) fail("ldb " + ldb + " < " + Math.max(1, bCols));
        if (ldc < Math.max(1, n)) fail("ldc " + ldc + " < " + Math.max(1, n));
        checkLength("a", a.length, aOff, transA ? k : m, aCols, lda);
        checkLength("b", b.length, bOff, transB ? n : k, bCols, ldb);
        checkLength("c", c.length, cOff, m, n, ldc);
    }

    /** Needs {@code off + (rows-1)·ld + cols <= length} when the matrix is non-empty. */
    private void checkLength(String name, int length, int off, int rows, int cols, int ld) {
        if (rows == 0 || cols == 0) return;
        long needed = off + (long) (rows - 1) * ld + cols;
        if (needed > length) {
            fail("array " + name + " has length " + length + " but a " + rows + "x" + cols + " matrix at offset "
                    + off + " with leading dimension " + ld + " needs " + needed);
        }
    }

    private void fail(String why) {
        throw new IllegalArgumentException("sgemm: " + why + " (transA=" + transA + ", transB=" + transB
                + ", m=" + m + ", n=" + n + ", k=" + k + ", aOff=" + aOff + ", lda=" + lda + ", bOff=" + bOff
                + ", ldb=" + ldb + ", cOff=" + cOff + ", ldc=" + ldc + ")");
    }

    /** op(A)(i, p) */
    float opA(int i, int p) {
        return transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
    }
}
