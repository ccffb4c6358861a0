package io.shendu.backend.cpu;

/**
 * Single-precision general matrix multiply, {@code C = alpha · op(A) · op(B) + beta · C}, for the CPU backend.
 *
 * <p>Tiny problems run a direct loop. With the Vector API present the rest go through {@link SgemmDriver}: the
 * GotoBLAS/BLIS scheme of Goto and van de Geijn, "Anatomy of High-Performance Matrix Multiplication" (TOMS
 * 2008) — operands packed into cache-sized panels, then an MR×NR register-tile micro-kernel
 * ({@link SgemmVectorKernel}). Without it, {@link SgemmPlain} runs blocked loops that C2 auto-vectorises.
 * Where a system OpenBLAS is present, shapes on which it measured faster go to it instead ({@link NativeBlas}).
 */
public final class Sgemm {

    /** Below this many multiply-adds (m·n·k) packing costs more than it saves. */
    static final long DIRECT_WORK = 32 * 1024;

    /** Where OpenBLAS is present, calls of at least this many multiply-adds stay in Java ... */
    static final long JAVA_BAND_START = 1L << 20;

    /** ... up to this many, exclusive (see {@link #prefersNative}). */
    static final long JAVA_BAND_END = 3L << 20;

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
        run(call, choose(call, vector, NativeBlas.system()));
    }

    /**
     * The path for a call: by its shape alone, never by timings taken at run time, so a given machine always
     * computes a given call the same way. Where OpenBLAS is {@link NativeBlas#available() available} and
     * {@link #prefersNative} says it is faster for the shape, the call goes there; its sums are ordered
     * differently, so results differ in the last bits between machines with and without OpenBLAS.
     */
    static Path choose(SgemmCall call, boolean vector, NativeBlas blas) {
        if ((long) call.m() * call.n() * call.k() < DIRECT_WORK) return Path.DIRECT;
        if (blas.available() && prefersNative(call.m(), call.n(), call.k())) return Path.NATIVE;
        return vector && VectorSupport.available() ? Path.VECTOR : Path.PLAIN;
    }

    /**
     * Whether OpenBLAS (its AVX-512 kernels) beat the Java kernel on problems of this size in
     * {@code NativeSgemmBenchmark} (docs/BENCHMARKS.md, "Native OpenBLAS GEMM"), by m·n·k multiply-adds alone:
     * below {@link #JAVA_BAND_START} its single-threaded kernel was 2–4× faster than our packed path; from
     * {@link #JAVA_BAND_END} on it was 1.0–1.6× faster on squares 160–2048 and on the Linear and conv shapes of
     * the bench models; in between (128³ and the 128×256×64 weight gradient, 2.1M) it lost on two threads. The
     * transposes made no difference beyond the noise, so the rule ignores them.
     */
    static boolean prefersNative(int m, int n, int k) {
        long work = (long) m * n * k;
        return work < JAVA_BAND_START || work >= JAVA_BAND_END;
    }

    /** How a call is computed; tests pick each one directly. */
    enum Path {
        /** One dot product per element, no packing: for tiny problems. */
        DIRECT,
        /** Packed blocks and auto-vectorised plain loops ({@link SgemmPlain}). */
        PLAIN,
        /** Packed blocks and the Vector API micro-kernel ({@link SgemmVectorKernel}); needs the module. */
        VECTOR,
        /** OpenBLAS's {@code cblas_sgemm} through {@link NativeBlas}; needs the library. */
        NATIVE
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
            case NATIVE -> NativeBlas.system().sgemm(call);
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
