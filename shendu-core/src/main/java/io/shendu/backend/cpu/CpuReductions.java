package io.shendu.backend.cpu;

import io.shendu.backend.ReduceOp;
import io.shendu.backend.StridedView;

/**
 * Reductions and softmax of the fast backend. The reduced and kept dimensions are each merged where memory
 * allows, then one of three loops runs: a contiguous row per output (e.g. a sum over the last dimension), a
 * column accumulation (e.g. a bias gradient summed over the batch), or a general strided walk. Work is split
 * over outputs, or for a single output over fixed chunks, so results do not depend on the thread count.
 */
final class CpuReductions {

    private static final int CHUNK = 1 << 16;

    private CpuReductions() {}

    /** A group of dimensions merged where contiguous, outermost first. */
    private record Dims(int[] shape, int[] strides, int numel) {
        static Dims of(int[] shape, int[] strides, boolean[] pick, boolean want) {
            int[] s = new int[shape.length], st = new int[shape.length];
            int r = 0;
            for (int d = 0; d < shape.length; d++) {
                if (pick[d] != want || shape[d] == 1) continue;
                if (r > 0 && st[r - 1] == strides[d] * shape[d]) {
                    s[r - 1] *= shape[d];
                    st[r - 1] = strides[d];
                } else {
                    s[r] = shape[d];
                    st[r] = strides[d];
                    r++;
                }
            }
            int n = 1;
            for (int i = 0; i < r; i++) n *= s[i];
            return new Dims(java.util.Arrays.copyOf(s, r), java.util.Arrays.copyOf(st, r), n);
        }

        int offset(int flat) {
            int off = 0;
            for (int d = shape.length - 1; d >= 0; d--) {
                off += (flat % shape[d]) * strides[d];
                flat /= shape[d];
            }
            return off;
        }

        boolean unitInner() {
            return shape.length == 1 && strides[0] == 1;
        }
    }

    static void reduce(ReduceOp op, StridedView x, boolean[] reduced, float[] out, boolean vector) {
        Dims kept = Dims.of(x.shape(), x.strides(), reduced, false);
        Dims red = Dims.of(x.shape(), x.strides(), reduced, true);
        float[] xd = x.data();
        int base = x.offset();
        if (x.numel() == 0) {
            java.util.Arrays.fill(out, 0, kept.numel, identity(op));
            return;
        }
        if (red.unitInner() && kept.numel == 1 && red.numel > 2 * CHUNK) {
            chunkedRow(op, xd, base, red.numel, out, vector);
        } else if (red.unitInner() || red.numel == 1) {
            int len = red.numel;
            Parallel.forRange(kept.numel, Math.max(1, CHUNK / len), (s, e) -> {
                for (int o = s; o < e; o++) out[o] = row(op, xd, base + kept.offset(o), len, vector);
            });
        } else if (kept.unitInner()) {
            int cols = kept.numel;
            Parallel.forRange(cols, Math.max(16, CHUNK / red.numel), (s, e) -> {
                int len = e - s;
                if (op != ReduceOp.SUM) {
                    for (int r = 0; r < red.numel; r++) {
                        int off = base + red.offset(r) + s;
                        if (r == 0) System.arraycopy(xd, off, out, s, len);
                        else combineRow(op, xd, off, out, s, len, false);
                    }
                    return;
                }
                double[] acc = new double[len]; // column sums over many rows drift in float
                for (int r = 0; r < red.numel; r++) {
                    int off = base + red.offset(r) + s;
                    for (int i = 0; i < len; i++) acc[i] += xd[off + i];
                }
                for (int i = 0; i < len; i++) out[s + i] = (float) acc[i];
            });
        } else {
            int last = red.shape.length - 1;
            int inner = red.shape[last], innerStride = red.strides[last], outerCount = red.numel / inner;
            Parallel.forRange(kept.numel, Math.max(1, CHUNK / red.numel), (s, e) -> {
                for (int o = s; o < e; o++) {
                    int ko = base + kept.offset(o);
                    if (op == ReduceOp.SUM) {
                        double acc = 0;
                        for (int r = 0; r < outerCount; r++) {
                            int off = ko + red.offset(r * inner);
                            for (int i = 0; i < inner; i++) acc += xd[off + i * innerStride];
                        }
                        out[o] = (float) acc;
                        continue;
                    }
                    float acc = identity(op);
                    for (int r = 0; r < outerCount; r++) {
                        int off = ko + red.offset(r * inner);
                        for (int i = 0; i < inner; i++) acc = combine(op, acc, xd[off + i * innerStride]);
                    }
                    out[o] = acc;
                }
            });
        }
    }

    private static void chunkedRow(ReduceOp op, float[] xd, int base, int n, float[] out, boolean vector) {
        int chunks = (n + CHUNK - 1) / CHUNK;
        float[] partial = new float[chunks];
        Parallel.forRange(chunks, 1, (s, e) -> {
            for (int c = s; c < e; c++) {
                int start = c * CHUNK;
                partial[c] = row(op, xd, base + start, Math.min(CHUNK, n - start), vector);
            }
        });
        float acc = partial[0];
        for (int c = 1; c < chunks; c++) acc = combine(op, acc, partial[c]);
        out[0] = acc;
    }

    private static float row(ReduceOp op, float[] x, int off, int len, boolean vector) {
        if (op == ReduceOp.SUM && vector) return VectorLoops.sum(x, off, len);
        if (op == ReduceOp.SUM) {
            double sum = 0;
            for (int i = 0; i < len; i++) sum += x[off + i];
            return (float) sum;
        }
        float acc = identity(op);
        switch (op) {
            case MAX -> { for (int i = 0; i < len; i++) acc = max(acc, x[off + i]); }
            case MIN -> { for (int i = 0; i < len; i++) acc = min(acc, x[off + i]); }
            default -> throw new IllegalArgumentException("reduce: use argReduce for " + op);
        }
        return acc;
    }

    private static void combineRow(ReduceOp op, float[] x, int xo, float[] out, int oo, int len, boolean vector) {
        if (op == ReduceOp.SUM && vector) {
            VectorLoops.accumulate(x, xo, out, oo, len);
            return;
        }
        for (int i = 0; i < len; i++) out[oo + i] = combine(op, out[oo + i], x[xo + i]);
    }

    private static float combine(ReduceOp op, float acc, float v) {
        return switch (op) {
            case SUM -> acc + v;
            case MAX -> max(acc, v);
            case MIN -> min(acc, v);
            default -> throw new IllegalArgumentException("reduce: use argReduce for " + op);
        };
    }

    /** NaN wins, as in PyTorch's max. */
    private static float max(float a, float b) {
        return a >= b || a != a ? a : b;
    }

    private static float min(float a, float b) {
        return a <= b || a != a ? a : b;
    }

    private static float identity(ReduceOp op) {
        return switch (op) {
            case SUM -> 0f;
            case MAX -> Float.NEGATIVE_INFINITY;
            case MIN -> Float.POSITIVE_INFINITY;
            default -> throw new IllegalArgumentException("reduce: use argReduce for " + op);
        };
    }

    static void argReduce(ReduceOp op, StridedView x, int dim, int[] out) {
        int[] shape = x.shape(), strides = x.strides();
        int n = shape[dim], stride = strides[dim];
        boolean[] pick = new boolean[shape.length];
        pick[dim] = true;
        Dims kept = Dims.of(shape, strides, pick, false);
        float[] xd = x.data();
        int base = x.offset();
        boolean isMax = op == ReduceOp.ARGMAX;
        Parallel.forRange(kept.numel, Math.max(1, CHUNK / Math.max(n, 1)), (s, e) -> {
            for (int o = s; o < e; o++) {
                int off = base + kept.offset(o);
                int best = 0;
                float bestValue = xd[off];
                for (int j = 1; j < n && bestValue == bestValue; j++) {
                    float v = xd[off + j * stride];
                    if ((isMax ? v > bestValue : v < bestValue) || v != v) {
                        best = j;
                        bestValue = v;
                    }
                }
                out[o] = best;
            }
        });
    }

    static void softmax(boolean log, float[] x, float[] out, int outer, int n, int inner) {
        Parallel.forRange(outer * inner, Math.max(1, CHUNK / Math.max(n, 1)), (s, e) -> {
            for (int r = s; r < e; r++) {
                int base = (r / inner) * n * inner + r % inner;
                float max = Float.NEGATIVE_INFINITY;
                for (int j = 0; j < n; j++) max = Math.max(max, x[base + j * inner]);
                double sum = 0;
                for (int j = 0; j < n; j++) {
                    double ex = Math.exp((double) x[base + j * inner] - max);
                    if (!log) out[base + j * inner] = (float) ex;
                    sum += ex;
                }
                if (log) {
                    double logSum = Math.log(sum);
                    for (int j = 0; j < n; j++) out[base + j * inner] = (float) (((double) x[base + j * inner] - max) - logSum);
                } else {
                    float inv = (float) (1 / sum);
                    for (int j = 0; j < n; j++) out[base + j * inner] *= inv;
                }
            }
        });
    }

    static void softmaxBackward(boolean log, float[] y, float[] g, float[] out, int outer, int n, int inner) {
        Parallel.forRange(outer * inner, Math.max(1, CHUNK / Math.max(n, 1)), (s, e) -> {
            for (int r = s; r < e; r++) {
                int base = (r / inner) * n * inner + r % inner;
                double dot = 0;
                for (int j = 0; j < n; j++) {
                    int k = base + j * inner;
                    dot += log ? g[k] : g[k] * y[k];
                }
                float d = (float) dot;
                for (int j = 0; j < n; j++) {
                    int k = base + j * inner;
                    out[k] = log ? g[k] - (float) Math.exp(y[k]) * d : y[k] * (g[k] - d);
                }
            }
        });
    }
}
