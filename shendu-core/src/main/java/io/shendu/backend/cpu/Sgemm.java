package io.shendu.backend.cpu;

/**
 * Single-precision general matrix multiply, {@code C = alpha · op(A) · op(B) + beta · C}, for the CPU backend.
 *
 * <p>Tiny problems run a direct loop. The rest go through {@link SgemmDriver}: the GotoBLAS/BLIS scheme of
 * Goto and van de Geijn, "Anatomy of High-Performance Matrix Multiplication" (TOMS 2008) — operands packed
 * into cache-sized panels, then an MR×NR register-tile micro-kernel. The micro-kernel is
 * {@link SgemmVectorKernel} when the Vector API is present, else {@link SgemmScalarKernel}.
 */
public final class Sgemm {

    /** Below this many multiply-adds (m·n·k) packing costs more than it saves. */
    static final long DIRECT_WORK = 32 * 1024;

    private Sgemm() {}

    /**
     * Row-major {@code C[m×n] = alpha · op(A)[m×k] · op(B)[k×n] + beta · C}, where op(X) is X or Xᵀ.
     *
     * <p>A is stored row-major starting at {@code a[aOff]} with leading dimension {@code lda} (row stride): if
     * {@code !transA}, A is m×k and element (i,p) is {@code a[aOff + i*lda + p]}; if {@code transA}, A is stored
     * k×m and op(A)(i,p) = {@code a[aOff + p*lda + i]}. Same for B (k×n, or stored n×k when {@code transB}).
     * C(i,j) = {@code c[cOff + i*ldc + j]}. {@code beta == 0} means C is overwritten (its old contents, even
     * NaN, are ignored). Multi-threaded via {@link Parallel}.
     */
    public static void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
            float[] a, int aOff, int lda, float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
        var call = new SgemmCall(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
        call.validate();
        if (VectorSupport.available()) {
            run(call, VectorKernelHolder.KERNEL);
        } else {
            run(call, SgemmScalarKernel.INSTANCE);
        }
    }

    /** The same as {@link #sgemm} but never touching the Vector API; tests use it to cover the plain path. */
    static void sgemmPlain(boolean transA, boolean transB, int m, int n, int k, float alpha,
            float[] a, int aOff, int lda, float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
        var call = new SgemmCall(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
        call.validate();
        run(call, SgemmScalarKernel.INSTANCE);
    }

    private static void run(SgemmCall call, SgemmKernel kernel) {
        if (call.m() == 0 || call.n() == 0) return;
        if (call.k() == 0 || call.alpha() == 0f) {
            SgemmDriver.scale(call, 0, call.m(), 0, call.n());
        } else if ((long) call.m() * call.n() * call.k() < DIRECT_WORK) {
            direct(call);
        } else {
            SgemmDriver.run(call, kernel);
        }
    }

    /** The textbook loop, one dot product per element of C: for problems too small to pack. */
    private static void direct(SgemmCall g) {
        float[] a = g.a(), b = g.b(), c = g.c();
        int aRow = g.transA() ? 1 : g.lda(), aStep = g.transA() ? g.lda() : 1;
        int bCol = g.transB() ? g.ldb() : 1, bStep = g.transB() ? 1 : g.ldb();
        for (int i = 0; i < g.m(); i++) {
            for (int j = 0; j < g.n(); j++) {
                int ai = g.aOff() + i * aRow, bj = g.bOff() + j * bCol;
                float sum = 0f;
                for (int p = 0; p < g.k(); p++) sum += a[ai + p * aStep] * b[bj + p * bStep];
                int ci = g.cOff() + i * g.ldc() + j;
                c[ci] = g.beta() == 0f ? g.alpha() * sum : g.alpha() * sum + g.beta() * c[ci];
            }
        }
    }

    static SgemmKernel vectorKernelForTest() {
        return VectorKernelHolder.KERNEL;
    }

    /** Loads {@link SgemmVectorKernel} (and with it jdk.incubator.vector) only on first use. */
    private static final class VectorKernelHolder {
        static final SgemmKernel KERNEL = new SgemmVectorKernel();
    }
}
