package io.shendu.backend;

/**
 * The kernels a tensor library needs from a device. Each method computes into a caller-allocated contiguous
 * output array; inputs are {@link StridedView}s, so views (transposes, slices, broadcasts with stride 0) reach
 * the kernel without being copied first.
 *
 * <p>Implementations: {@code ReferenceBackend} (plain loops, the oracle every other backend is tested against)
 * and {@code CpuBackend} (multi-threaded, vectorised; the default).
 */
public interface Backend {

    String name();

    /** out[i] = f(x[i]) over the shape of {@code x}, in row-major order. */
    void unary(UnaryOp op, float p, float q, StridedView x, float[] out);

    /** out[i] = f(a[i], b[i]); {@code a} and {@code b} have the same shape. */
    void binary(BinaryOp op, float p, float q, StridedView a, StridedView b, float[] out);

    /** out[i] = cond[i] != 0 ? a[i] : b[i]; all three have the same shape. */
    void where(StridedView cond, StridedView a, StridedView b, float[] out);

    /** dst[i] = src[i] elementwise; {@code dst} is a (possibly strided) view of the same shape to write. */
    void copy(StridedView src, StridedView dst);

    /**
     * Reduces {@code x} over the dimensions flagged in {@code reduced} (SUM, MAX or MIN). {@code out} holds the
     * kept dimensions in row-major order.
     */
    void reduce(ReduceOp op, StridedView x, boolean[] reduced, float[] out);

    /** Index of the max (ARGMAX) or min (ARGMIN) along {@code dim}; the first one wins ties. */
    void argReduce(ReduceOp op, StridedView x, int dim, int[] out);

    /**
     * Softmax or log-softmax of contiguous {@code x} viewed as {@code [outer, n, inner]}, along the middle axis.
     */
    void softmax(boolean log, float[] x, float[] out, int outer, int n, int inner);

    /**
     * Gradient of {@link #softmax} given its output {@code y} and upstream {@code g} (both contiguous):
     * softmax {@code y·(g − Σ g·y)}, log-softmax {@code g − e^y·Σ g}.
     */
    void softmaxBackward(boolean log, float[] y, float[] g, float[] out, int outer, int n, int inner);

    /**
     * Row-major {@code C = alpha·op(A)·op(B) + beta·C}; with {@code transA} A is stored {@code k×m}, with
     * {@code transB} B is stored {@code n×k}. {@code beta == 0} overwrites C.
     */
    void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
              float[] a, int aOff, int lda, float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc);

    /** Convolution kernels (forward, and the gradients with respect to input and weight). */
    ConvKernels conv();

    /** Pooling and resampling kernels. */
    PoolKernels pool();

    /** Normalisation kernels (batch norm, layer norm). */
    NormKernels norm();
}
