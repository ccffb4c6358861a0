package io.shendu.backend.reference;

import io.shendu.backend.Backend;
import io.shendu.backend.BinaryOp;
import io.shendu.backend.ReduceOp;
import io.shendu.backend.ScalarMath;
import io.shendu.backend.Shapes;
import io.shendu.backend.StridedView;
import io.shendu.backend.UnaryOp;

/**
 * The oracle: every kernel as the plainest loop that is obviously right, one element at a time, accumulating
 * in double. Slow by design; the fast backend is tested against it.
 */
public final class ReferenceBackend implements Backend {

    public static final ReferenceBackend INSTANCE = new ReferenceBackend();

    private ReferenceBackend() {}

    @Override
    public String name() {
        return "reference";
    }

    /** The storage offset of the {@code flat}-th element of {@code v} in row-major order. */
    static int offsetOf(StridedView v, int flat) {
        int off = v.offset();
        for (int d = v.rank() - 1; d >= 0; d--) {
            int size = v.shape()[d];
            off += (flat % size) * v.strides()[d];
            flat /= size;
        }
        return off;
    }

    @Override
    public void unary(UnaryOp op, float p, float q, StridedView x, float[] out) {
        for (int i = 0, n = x.numel(); i < n; i++) out[i] = ScalarMath.unary(op, x.data()[offsetOf(x, i)], p, q);
    }

    @Override
    public void binary(BinaryOp op, float p, float q, StridedView a, StridedView b, float[] out) {
        for (int i = 0, n = a.numel(); i < n; i++) {
            out[i] = ScalarMath.binary(op, a.data()[offsetOf(a, i)], b.data()[offsetOf(b, i)], p, q);
        }
    }

    @Override
    public void where(StridedView cond, StridedView a, StridedView b, float[] out) {
        for (int i = 0, n = a.numel(); i < n; i++) {
            out[i] = cond.data()[offsetOf(cond, i)] != 0 ? a.data()[offsetOf(a, i)] : b.data()[offsetOf(b, i)];
        }
    }

    @Override
    public void copy(StridedView src, StridedView dst) {
        for (int i = 0, n = src.numel(); i < n; i++) dst.data()[offsetOf(dst, i)] = src.data()[offsetOf(src, i)];
    }

    @Override
    public void reduce(ReduceOp op, StridedView x, boolean[] reduced, float[] out) {
        int[] shape = x.shape();
        int[] keptShape = new int[shape.length];
        for (int d = 0; d < shape.length; d++) keptShape[d] = reduced[d] ? 1 : shape[d];
        int outSize = Shapes.numel(keptShape);
        double[] acc = new double[outSize];
        boolean[] seen = new boolean[outSize];
        int[] keptStrides = Shapes.contiguousStrides(keptShape);
        int[] index = new int[shape.length];
        for (int i = 0, n = x.numel(); i < n; i++) {
            int rest = i;
            for (int d = shape.length - 1; d >= 0; d--) {
                index[d] = rest % shape[d];
                rest /= shape[d];
            }
            int o = 0;
            for (int d = 0; d < shape.length; d++) if (!reduced[d]) o += index[d] * keptStrides[d];
            double v = x.data()[offsetOf(x, i)];
            if (!seen[o]) {
                acc[o] = v;
                seen[o] = true;
            } else {
                acc[o] = switch (op) {
                    case SUM -> acc[o] + v;
                    case MAX -> (v > acc[o] || Double.isNaN(v)) ? v : acc[o];
                    case MIN -> (v < acc[o] || Double.isNaN(v)) ? v : acc[o];
                    default -> throw new IllegalArgumentException("reduce: use argReduce for " + op);
                };
            }
        }
        for (int o = 0; o < outSize; o++) out[o] = seen[o] ? (float) acc[o] : identity(op);
    }

    private static float identity(ReduceOp op) {
        return switch (op) {
            case SUM -> 0f;
            case MAX -> Float.NEGATIVE_INFINITY;
            case MIN -> Float.POSITIVE_INFINITY;
            default -> throw new IllegalArgumentException("reduce: no identity for " + op);
        };
    }

    @Override
    public void argReduce(ReduceOp op, StridedView x, int dim, int[] out) {
        int[] shape = x.shape();
        int n = shape[dim];
        int outer = 1, inner = 1;
        for (int d = 0; d < dim; d++) outer *= shape[d];
        for (int d = dim + 1; d < shape.length; d++) inner *= shape[d];
        for (int o = 0; o < outer; o++) {
            for (int in = 0; in < inner; in++) {
                int best = 0;
                float bestValue = x.data()[offsetOf(x, (o * n) * inner + in)];
                for (int j = 1; j < n; j++) {
                    float v = x.data()[offsetOf(x, (o * n + j) * inner + in)];
                    boolean better = op == ReduceOp.ARGMAX ? v > bestValue : v < bestValue;
                    if (better && !Float.isNaN(bestValue) || Float.isNaN(v) && !Float.isNaN(bestValue)) {
                        best = j;
                        bestValue = v;
                    }
                }
                out[o * inner + in] = best;
            }
        }
    }

    @Override
    public void softmax(boolean log, float[] x, float[] out, int outer, int n, int inner) {
        for (int o = 0; o < outer; o++) {
            for (int in = 0; in < inner; in++) {
                int base = o * n * inner + in;
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < n; j++) max = Math.max(max, x[base + j * inner]);
                double sum = 0;
                for (int j = 0; j < n; j++) sum += Math.exp(x[base + j * inner] - max);
                for (int j = 0; j < n; j++) {
                    double shifted = x[base + j * inner] - max;
                    out[base + j * inner] = (float) (log ? shifted - Math.log(sum) : Math.exp(shifted) / sum);
                }
            }
        }
    }

    @Override
    public void softmaxBackward(boolean log, float[] y, float[] g, float[] out, int outer, int n, int inner) {
        for (int o = 0; o < outer; o++) {
            for (int in = 0; in < inner; in++) {
                int base = o * n * inner + in;
                double dot = 0;
                for (int j = 0; j < n; j++) {
                    int k = base + j * inner;
                    dot += log ? g[k] : (double) g[k] * y[k];
                }
                for (int j = 0; j < n; j++) {
                    int k = base + j * inner;
                    out[k] = (float) (log ? g[k] - Math.exp(y[k]) * dot : y[k] * (g[k] - dot));
                }
            }
        }
    }

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                     float[] a, int aOff, int lda, float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double sum = 0;
                for (int p = 0; p < k; p++) {
                    float av = transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
                    float bv = transB ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
                    sum += (double) av * bv;
                }
                int ci = cOff + i * ldc + j;
                c[ci] = (float) (alpha * sum + (beta == 0 ? 0 : beta * c[ci]));
            }
        }
    }

    @Override
    public io.shendu.backend.ConvKernels conv() {
        return ReferenceConv.INSTANCE;
    }

    @Override
    public io.shendu.backend.PoolKernels pool() {
        return ReferencePool.INSTANCE;
    }

    @Override
    public io.shendu.backend.NormKernels norm() {
        return ReferenceNorm.INSTANCE;
    }
}
