package io.shendu.backend.cpu;

import io.shendu.backend.Backend;
import io.shendu.backend.BinaryOp;
import io.shendu.backend.ReduceOp;
import io.shendu.backend.StridedView;
import io.shendu.backend.UnaryOp;

/**
 * The default backend: kernels split across {@link Parallel}'s threads, inner loops vectorised through
 * {@code jdk.incubator.vector} when it is present ({@link VectorLoops}) and plain loops otherwise
 * ({@link PlainLoops}). Reductions live in {@link CpuReductions}, matrix multiply in {@link Sgemm}.
 */
public final class CpuBackend implements Backend {

    public static final CpuBackend INSTANCE = new CpuBackend(VectorSupport.available());

    /** Elementwise work below this many elements stays on the calling thread. */
    static final int ELEMENTWISE_GRAIN = 1 << 15;

    private final boolean vector;

    private CpuBackend(boolean vector) {
        this.vector = vector;
    }

    /** This backend without the Vector API loops, so tests can cover the fallback path. */
    public static CpuBackend plain() {
        return new CpuBackend(false);
    }

    @Override
    public String name() {
        return vector ? "cpu (vector)" : "cpu (plain)";
    }

    @Override
    public void unary(UnaryOp op, float p, float q, StridedView x, float[] out) {
        StridedWalk walk = new StridedWalk(x, null, null);
        float[] xd = x.data();
        Parallel.forRange(walk.numel, ELEMENTWISE_GRAIN, (start, end) -> walk.walk(start, end,
                (oa, sa, ob, sb, oc, sc, oo, len) -> {
                    if (!vector || !VectorLoops.unary(op, p, q, xd, oa, sa, out, oo, len)) {
                        PlainLoops.unary(op, p, q, xd, oa, sa, out, oo, len);
                    }
                }));
    }

    @Override
    public void binary(BinaryOp op, float p, float q, StridedView a, StridedView b, float[] out) {
        StridedWalk walk = new StridedWalk(a, b, null);
        float[] ad = a.data(), bd = b.data();
        Parallel.forRange(walk.numel, ELEMENTWISE_GRAIN, (start, end) -> walk.walk(start, end,
                (oa, sa, ob, sb, oc, sc, oo, len) -> {
                    if (!vector || !VectorLoops.binary(op, p, ad, oa, sa, bd, ob, sb, out, oo, len)) {
                        PlainLoops.binary(op, p, q, ad, oa, sa, bd, ob, sb, out, oo, len);
                    }
                }));
    }

    @Override
    public void where(StridedView cond, StridedView a, StridedView b, float[] out) {
        StridedWalk walk = new StridedWalk(cond, a, b);
        float[] cd = cond.data(), ad = a.data(), bd = b.data();
        Parallel.forRange(walk.numel, ELEMENTWISE_GRAIN, (start, end) -> walk.walk(start, end,
                (oa, sa, ob, sb, oc, sc, oo, len) -> {
                    for (int i = 0; i < len; i++) {
                        out[oo + i] = cd[oa + i * sa] != 0 ? ad[ob + i * sb] : bd[oc + i * sc];
                    }
                }));
    }

    @Override
    public void copy(StridedView src, StridedView dst) {
        StridedWalk walk = new StridedWalk(src, null, dst);
        float[] sd = src.data(), dd = dst.data();
        Parallel.forRange(walk.numel, ELEMENTWISE_GRAIN, (start, end) -> walk.walk(start, end,
                (oa, sa, ob, sb, oc, sc, oo, len) -> {
                    if (sa == 1 && sc == 1) {
                        System.arraycopy(sd, oa, dd, oc, len);
                    } else {
                        for (int i = 0; i < len; i++) dd[oc + i * sc] = sd[oa + i * sa];
                    }
                }));
    }

    @Override
    public void reduce(ReduceOp op, StridedView x, boolean[] reduced, float[] out) {
        CpuReductions.reduce(op, x, reduced, out, vector);
    }

    @Override
    public void argReduce(ReduceOp op, StridedView x, int dim, int[] out) {
        CpuReductions.argReduce(op, x, dim, out);
    }

    @Override
    public void softmax(boolean log, float[] x, float[] out, int outer, int n, int inner) {
        CpuReductions.softmax(log, x, out, outer, n, inner);
    }

    @Override
    public void softmaxBackward(boolean log, float[] y, float[] g, float[] out, int outer, int n, int inner) {
        CpuReductions.softmaxBackward(log, y, g, out, outer, n, inner);
    }

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                     float[] a, int aOff, int lda, float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
        Sgemm.sgemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc, vector);
    }

    @Override
    public io.shendu.backend.ConvKernels conv() {
        return CpuConv.INSTANCE;
    }

    @Override
    public io.shendu.backend.PoolKernels pool() {
        return vector ? CpuPool.INSTANCE : CpuPool.PLAIN;
    }

    @Override
    public io.shendu.backend.NormKernels norm() {
        return vector ? CpuNorm.INSTANCE : CpuNorm.PLAIN;
    }
}
