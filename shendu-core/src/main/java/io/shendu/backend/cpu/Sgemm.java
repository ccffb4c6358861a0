package io.shendu.backend.cpu;

/**
 * Single-precision general matrix multiply, {@code C = alpha · op(A) · op(B) + beta · C}, for the CPU backend.
 *
 * <p>Tiny problems run a direct loop. With the Vector API present the rest go through {@link SgemmDriver}: the
 * GotoBLAS/BLIS scheme of Goto and van de Geijn, "Anatomy of High-Performance Matrix Multiplication" (TOMS
 * 2008) — operands packed into cache-sized panels, then an MR×NR register-tile micro-kernel
 * ({@link SgemmVectorKernel}). Without it, {@link SgemmPlain} runs blocked loops that C2 auto-vectorises.
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
        sgemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc, VectorSupport.available());
    }

    /** As above; {@code vector} false keeps to the plain-Java loops (the backend without the Vector API). */
    static void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
            float[] a, int aOff, int lda, float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc, boolean vector) {
        var call = new SgemmCall(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
        call.validate();
        if ((long) m * n * k < DIRECT_WORK) {
            run(call, Path.DIRECT);
        } else {
            run(call, vector && VectorSupport.available() ? Path.VECTOR : Path.PLAIN);
        }
    }

    /** How a call is computed; tests pick each one directly. */
    enum Path {
        /** One dot product per element, no packing: for tiny problems. */
        DIRECT,
        /** Packed blocks and auto-vectorised plain loops ({@link SgemmPlain}). */
        PLAIN,
        /** Packed blocks and the Vector API micro-kernel ({@link SgemmVectorKernel}); needs the module. */
        VECTOR
    }

    /** Computes an already validated call along {@code path}. */
    static void run(SgemmCall call, Path path) {
        if (call.m() == 0 || call.n() == 0) return;
        if (call.k() == 0 || call.alpha() == 0f) {
            SgemmDriver.scale(call, 0, call.m(), 0, call.n());
            return;
        }
        switch (path) {
            case DIRECT -> direct(call);
            case PLAIN -> SgemmPlain.run(call);
            case VECTOR -> SgemmDriver.run(call, VectorKernelHolder.KERNEL);
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

    /** Loads {@link SgemmVectorKernel} (and with it jdk.incubator.vector) only on first use. */
    private static final class VectorKernelHolder {
        static final SgemmKernel KERNEL = new SgemmVectorKernel();
    }
}
